import Foundation
import GRDB
import Journal
import Judge
import Policy
import Verdicts

/// One run's view of the store: the journal its search writes and replays.
public struct RunJournal: SearchJournal {
  public let store: RunStore
  public let runID: String
  /// Tasks already finished when the run was opened (0 for a new run).
  public let resumedOutcomes: Int?

  public var isResumed: Bool { resumedOutcomes != nil }

  public func outcome(task: String) async throws -> TaskOutcome? {
    let run = runID
    return try await store.read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM task_outcomes WHERE run_id = ? AND task_id = ?", arguments: [run, task])
      else { return nil }
      return try Self.outcome(row)
    }
  }

  static func outcome(_ row: Row) throws -> TaskOutcome {
    let chosen: String? = try row.decode(forColumn: "chosen")
    return TaskOutcome(
      taskID: try row.decode(forColumn: "task_id"), solved: try row.decode(forColumn: "solved"),
      chosen: try chosen.map { try CandidateCodec.decode($0) },
      hiddenPassed: try row.decode(forColumn: "hidden_passed"),
      hiddenTotal: try row.decode(forColumn: "hidden_total"), attempts: try row.decode(forColumn: "attempts"),
      sandboxRuns: try row.decode(forColumn: "sandbox_runs"), proposals: try row.decode(forColumn: "proposals"),
      wallMilliseconds: try row.decode(forColumn: "wall_ms"),
      stop: try row.decode(forColumn: "stop"), reason: try row.decode(forColumn: "reason"),
      slowestTestMilliseconds: try row.decode(forColumn: "slowest_test_ms"))
  }

  static func proposal(_ row: Row) throws -> ProposalRecord {
    ProposalRecord(
      taskID: try row.decode(forColumn: "task_id"), step: try row.decode(forColumn: "step"),
      kind: try ProposalRecord.Kind(named: try row.decode(forColumn: "kind")),
      parent: try row.decode(forColumn: "parent_candidate"),
      candidates: try CandidateCodec.decodeList(try row.decode(forColumn: "candidates")),
      milliseconds: try row.decode(forColumn: "policy_ms"))
  }

  public func proposal(task: String, step: Int) async throws -> ProposalRecord? {
    let run = runID
    return try await store.read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM proposals WHERE run_id = ? AND task_id = ? AND step = ?",
          arguments: [run, task, step])
      else { return nil }
      return try Self.proposal(row)
    }
  }

  public func attempt(task: String, step: Int, index: Int, selection: TestSelection) async throws -> AttemptRecord? {
    let run = runID
    return try await store.read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM attempts WHERE run_id = ? AND task_id = ? AND step = ? AND idx = ? AND selection = ?",
          arguments: [run, task, step, index, selection.rawValue])
      else { return nil }
      return try Self.attempt(row, db)
    }
  }

  /// Every attempt of the run, in the order recorded.
  public func attempts() async throws -> [AttemptRecord] {
    let run = runID
    return try await store.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY id", arguments: [run]).map {
        try Self.attempt($0, db)
      }
    }
  }

  static func attempt(_ row: Row, _ db: Database) throws -> AttemptRecord {
    let attemptID: Int64 = try row.decode(forColumn: "id")
    let results = try Row.fetchAll(
      db, sql: "SELECT * FROM verdicts WHERE attempt_id = ? ORDER BY test_index", arguments: [attemptID]
    ).map { v -> TestResult in
      let verdict = TestVerdict(
        kind: try TestVerdict.Kind(named: try v.decode(forColumn: "kind")),
        expected: try v.decode(forColumn: "expected"),
        actual: try v.decode(forColumn: "actual"), errorType: try v.decode(forColumn: "error_type"),
        message: try v.decode(forColumn: "message"), line: try v.decode(forColumn: "line"))
      return TestResult(
        index: try v.decode(forColumn: "test_index"), isPublic: try v.decode(forColumn: "is_public"), verdict: verdict,
        milliseconds: try v.decode(forColumn: "ms"))
    }
    let candidate = Candidate(
      program: try row.decode(forColumn: "program"), score: try row.decode(forColumn: "score"),
      provenance: Provenance(
        policy: try row.decode(forColumn: "policy"), parameters: try row.decode(forColumn: "parameters"),
        sampleIndex: try row.decode(forColumn: "sample_index"),
        parent: try row.decode(forColumn: "parent_candidate")),
      payload: try row.decode(forColumn: "payload"), cost: try row.decode(forColumn: "cost"),
      usage: try (row.decode(forColumn: "prompt_tokens") as Int?).map {
        Usage(
          promptTokens: $0, completionTokens: try row.decode(forColumn: "completion_tokens") ?? 0,
          milliseconds: try row.decode(forColumn: "model_ms") ?? 0)
      })
    return AttemptRecord(
      taskID: try row.decode(forColumn: "task_id"), step: try row.decode(forColumn: "step"),
      index: try row.decode(forColumn: "idx"), candidate: candidate,
      selection: try TestSelection(named: try row.decode(forColumn: "selection")), results: results,
      milliseconds: try row.decode(forColumn: "wall_ms"))
  }

  public func record(_ proposal: ProposalRecord) async throws {
    let run = runID
    let candidates = try CandidateCodec.encodeList(proposal.candidates)
    let now = RunStore.now()
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO proposals (run_id, task_id, step, kind, parent_candidate, candidates, policy_ms, recorded_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run, proposal.taskID, proposal.step, proposal.kind.rawValue, proposal.parent, candidates,
          proposal.milliseconds, now,
        ])
    }
  }

  public func record(_ attempt: AttemptRecord) async throws {
    let run = runID
    let now = RunStore.now()
    try await store.write { db in
      let c = attempt.candidate
      let reward = attempt.reward
      try db.execute(
        sql: """
          INSERT INTO attempts (run_id, task_id, step, idx, selection, candidate_id, program, score, policy,
            parameters, sample_index, parent_candidate, payload, cost, prompt_tokens, completion_tokens,
            model_ms, passed, total, outcome, per_test, grade, wall_ms, recorded_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run, attempt.taskID, attempt.step, attempt.index, attempt.selection.rawValue, c.id, c.program, c.score,
          c.provenance.policy, c.provenance.parameters, c.provenance.sampleIndex, c.provenance.parent, c.payload,
          c.cost, c.usage?.promptTokens, c.usage?.completionTokens, c.usage?.milliseconds,
          attempt.results.filter { $0.verdict == .passed }.count, attempt.results.count, reward.outcome,
          reward.perTest, reward.grade.rawValue, attempt.milliseconds, now,
        ])
      let attemptID = db.lastInsertedRowID
      for result in attempt.results {
        let f = result.verdict.fields
        try db.execute(
          sql: """
            INSERT INTO verdicts (attempt_id, test_index, is_public, kind, detail, expected, actual, error_type,
              message, line, ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            attemptID, result.index, result.isPublic, result.verdict.kind.rawValue, result.verdict.detail,
            f.expected, f.actual, f.errorType, f.message, f.line, result.milliseconds,
          ])
      }
    }
  }

  public func record(_ outcome: TaskOutcome) async throws {
    let run = runID
    let chosen = try outcome.chosen.map { try CandidateCodec.encode($0) }
    let now = RunStore.now()
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO task_outcomes (run_id, task_id, solved, chosen, hidden_passed, hidden_total, attempts,
            sandbox_runs, proposals, wall_ms, stop, reason, slowest_test_ms, recorded_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run, outcome.taskID, outcome.solved, chosen, outcome.hiddenPassed, outcome.hiddenTotal, outcome.attempts,
          outcome.sandboxRuns, outcome.proposals, outcome.wallMilliseconds, outcome.stop, outcome.reason,
          outcome.slowestTestMilliseconds, now,
        ])
    }
  }
}

/// Candidates as JSON in the store.
enum CandidateCodec {
  struct Stored: Codable {
    var id: String
    var program: String
    var score: Double
    var provenance: Provenance
    var payload: String?
    var cost: Double?
    var usage: Usage?
  }

  static func stored(_ c: Candidate) -> Stored {
    Stored(
      id: c.id, program: c.program, score: c.score, provenance: c.provenance, payload: c.payload, cost: c.cost,
      usage: c.usage)
  }

  static func candidate(_ s: Stored) -> Candidate {
    Candidate(
      program: s.program, score: s.score, provenance: s.provenance, payload: s.payload, cost: s.cost,
      usage: s.usage)
  }

  static func encode(_ c: Candidate) throws -> String {
    String(decoding: try JSONEncoder().encode(stored(c)), as: UTF8.self)
  }

  static func decode(_ text: String) throws -> Candidate {
    candidate(try JSONDecoder().decode(Stored.self, from: Data(text.utf8)))
  }

  static func encodeList(_ cs: [Candidate]) throws -> String {
    String(decoding: try JSONEncoder().encode(cs.map(stored)), as: UTF8.self)
  }

  static func decodeList(_ text: String) throws -> [Candidate] {
    try JSONDecoder().decode([Stored].self, from: Data(text.utf8)).map(candidate)
  }
}
