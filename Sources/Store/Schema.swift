import GRDB

/// The run store's tables. Migrations are append-only: a store written by
/// an older build opens in a newer one.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            suite TEXT NOT NULL,
            policy TEXT NOT NULL,
            parameters TEXT NOT NULL,
            strategy TEXT NOT NULL,
            budget TEXT NOT NULL,
            seed INTEGER NOT NULL,
            task_count INTEGER NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT
          );
          -- What the policy returned at each step of a task's search.
          CREATE TABLE proposals (
            run_id TEXT NOT NULL REFERENCES runs(id),
            task_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            kind TEXT NOT NULL,
            parent_candidate TEXT,
            candidates TEXT NOT NULL,
            policy_ms REAL NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (run_id, task_id, step)
          );
          -- Every sandbox run of a candidate, on the public or the hidden tests.
          CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id),
            task_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            selection TEXT NOT NULL,
            candidate_id TEXT NOT NULL,
            program TEXT NOT NULL,
            score REAL NOT NULL,
            policy TEXT NOT NULL,
            parameters TEXT NOT NULL,
            sample_index INTEGER NOT NULL,
            parent_candidate TEXT,
            payload TEXT,
            passed INTEGER NOT NULL,
            total INTEGER NOT NULL,
            outcome INTEGER NOT NULL,
            per_test REAL NOT NULL,
            grade TEXT NOT NULL,
            wall_ms REAL NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (run_id, task_id, step, idx, selection)
          );
          CREATE INDEX attempts_by_candidate ON attempts(run_id, task_id, candidate_id);
          -- One row per test of an attempt.
          CREATE TABLE verdicts (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            test_index INTEGER NOT NULL,
            is_public INTEGER NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            expected TEXT,
            actual TEXT,
            error_type TEXT,
            message TEXT,
            line INTEGER,
            ms REAL,
            PRIMARY KEY (attempt_id, test_index)
          );
          -- How each task's search ended.
          CREATE TABLE task_outcomes (
            run_id TEXT NOT NULL REFERENCES runs(id),
            task_id TEXT NOT NULL,
            solved INTEGER NOT NULL,
            chosen TEXT,
            hidden_passed INTEGER NOT NULL,
            hidden_total INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            sandbox_runs INTEGER NOT NULL,
            proposals INTEGER NOT NULL,
            wall_ms REAL NOT NULL,
            stop TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (run_id, task_id)
          );
          """)
    }
    migrator.registerMigration("v2: candidate cost") { db in
      try db.execute(sql: "ALTER TABLE attempts ADD COLUMN cost REAL")
    }
    // A language model's request behind each candidate: tokens and latency.
    migrator.registerMigration("v3: model usage") { db in
      try db.execute(sql: "ALTER TABLE attempts ADD COLUMN prompt_tokens INTEGER")
      try db.execute(sql: "ALTER TABLE attempts ADD COLUMN completion_tokens INTEGER")
      try db.execute(sql: "ALTER TABLE attempts ADD COLUMN model_ms REAL")
    }
    // Grades were written as Swift case names (`syntaxError`) beside
    // snake_case verdict kinds; every vocabulary is written as its raw value.
    migrator.registerMigration("v4: grades as raw values") { db in
      try db.execute(
        sql: """
          UPDATE attempts SET grade = CASE grade
            WHEN 'syntaxError' THEN 'syntax_error'
            WHEN 'runtimeError' THEN 'runtime_error'
            WHEN 'wrongAnswer' THEN 'wrong_answer'
            ELSE grade END
          """)
    }
    // Every field of a run's identity, as a JSON object: what a run that
    // differs is told.
    migrator.registerMigration("v5: run identity") { db in
      try db.execute(sql: "ALTER TABLE runs ADD COLUMN identity TEXT")
    }
    // One store for every command: eval's samples and runs, and the rounds
    // of a training run, beside the searches; each run says its kind.
    migrator.registerMigration("v6: eval and training") { db in
      try db.execute(
        sql: """
          ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'solve';
          -- An eval's samples: what the policy proposed (or a samples file held).
          CREATE TABLE samples (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id),
            task_id TEXT NOT NULL,
            sample INTEGER NOT NULL,
            program TEXT NOT NULL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            model_ms REAL,
            recorded_at TEXT NOT NULL,
            UNIQUE (run_id, task_id, sample)
          );
          -- Each run of a sample on every test of its task (run 0 first, then re-runs).
          CREATE TABLE sample_runs (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id),
            task_id TEXT NOT NULL,
            sample INTEGER NOT NULL,
            run INTEGER NOT NULL,
            passed INTEGER NOT NULL,
            infrastructure_error INTEGER NOT NULL,
            wall_ms REAL NOT NULL,
            recorded_at TEXT NOT NULL,
            UNIQUE (run_id, task_id, sample, run)
          );
          CREATE TABLE sample_verdicts (
            sample_run_id INTEGER NOT NULL REFERENCES sample_runs(id) ON DELETE CASCADE,
            test INTEGER NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            ms REAL,
            PRIMARY KEY (sample_run_id, test)
          );
          -- A training run's finished rounds, each as curve.json writes it.
          CREATE TABLE rounds (
            run_id TEXT NOT NULL REFERENCES runs(id),
            round INTEGER NOT NULL,
            point TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (run_id, round)
          );
          """)
    }
    // Why an unsolved task was missed.
    migrator.registerMigration("v7: outcome reasons") { db in
      try db.execute(sql: "ALTER TABLE task_outcomes ADD COLUMN reason TEXT")
    }
    // How close the chosen candidate came to a time limit.
    migrator.registerMigration("v8: slowest test") { db in
      try db.execute(sql: "ALTER TABLE task_outcomes ADD COLUMN slowest_test_ms REAL")
    }
    return migrator
  }
}
