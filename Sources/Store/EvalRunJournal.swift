import Foundation
import GRDB
import Journal
import Policy
import Verdicts

extension RunStore {
  /// Starts the eval run `identity` names, or resumes it. A store whose
  /// latest eval is another run is refused, naming what differs (a report
  /// directory holds one eval; `--fresh` salts the identity to start
  /// another beside it).
  public func openEval(_ identity: RunIdentity, taskCount: Int) async throws(StoreError) -> EvalRunJournal {
    let (id, resumed) = try await begin(identity, taskCount: taskCount, refusingOthers: true)
    let (samples, runs) = try await evalRecords(run: id)
    return EvalRunJournal(
      store: self, runID: id, cache: MemoryEvalJournal(samples: samples, runs: runs, isResumed: resumed))
  }

  /// An eval run's samples and runs, each in the order recorded.
  public func evalRecords(run id: String) async throws(StoreError) -> (samples: [SampleProgram], runs: [SampleRun]) {
    try await read { db in
      let samples = try Row.fetchAll(db, sql: "SELECT * FROM samples WHERE run_id = ? ORDER BY id", arguments: [id])
        .map { row in
          SampleProgram(
            taskID: try row.decode(forColumn: "task_id"), sample: try row.decode(forColumn: "sample"),
            program: try row.decode(forColumn: "program"),
            usage: try (row.decode(forColumn: "prompt_tokens") as Int?).map {
              Usage(
                promptTokens: $0, completionTokens: try row.decode(forColumn: "completion_tokens") ?? 0,
                milliseconds: try row.decode(forColumn: "model_ms") ?? 0)
            })
        }
      let runs = try Row.fetchAll(
        db, sql: "SELECT * FROM sample_runs WHERE run_id = ? ORDER BY id", arguments: [id]
      ).map { row in
        let verdicts = try Row.fetchAll(
          db, sql: "SELECT * FROM sample_verdicts WHERE sample_run_id = ? ORDER BY test",
          arguments: [try row.decode(forColumn: "id") as Int64]
        ).map { v in
          SampleRun.Verdict(
            test: try v.decode(forColumn: "test"), kind: try TestVerdict.Kind(named: try v.decode(forColumn: "kind")),
            detail: try v.decode(forColumn: "detail"), ms: try v.decode(forColumn: "ms"))
        }
        return SampleRun(
          taskID: try row.decode(forColumn: "task_id"), sample: try row.decode(forColumn: "sample"),
          run: try row.decode(forColumn: "run"), passed: try row.decode(forColumn: "passed"),
          infrastructureError: try row.decode(forColumn: "infrastructure_error"), verdicts: verdicts,
          ms: try row.decode(forColumn: "wall_ms"))
      }
      return (samples, runs)
    }
  }
}

/// One eval run's view of the store. Every sample and run is written in a
/// transaction of its own as it happens; reads come from a copy in memory,
/// loaded when the run was opened.
public struct EvalRunJournal: EvalJournal {
  public let store: RunStore
  public let runID: String
  let cache: MemoryEvalJournal

  public var isResumed: Bool { cache.isResumed }

  public func programs(for taskID: String) async -> [SampleProgram]? { await cache.programs(for: taskID) }
  public func run(task: String, sample: Int, run: Int) async -> SampleRun? {
    await cache.run(task: task, sample: sample, run: run)
  }
  /// The exports read the store, whose order is the order of the commits.
  public func samples() async throws -> [SampleProgram] { try await store.evalRecords(run: runID).samples }
  public func runs() async throws -> [SampleRun] { try await store.evalRecords(run: runID).runs }

  public func record(_ programs: [SampleProgram]) async throws {
    let run = runID
    let now = RunStore.now()
    try await store.write { db in
      for p in programs {
        try db.execute(
          sql: """
            INSERT INTO samples (run_id, task_id, sample, program, prompt_tokens, completion_tokens, model_ms,
              recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            run, p.taskID, p.sample, p.program, p.usage?.promptTokens, p.usage?.completionTokens,
            p.usage?.milliseconds, now,
          ])
      }
    }
    await cache.record(programs)
  }

  public func record(_ sampleRun: SampleRun) async throws {
    let run = runID
    let now = RunStore.now()
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO sample_runs (run_id, task_id, sample, run, passed, infrastructure_error, wall_ms, recorded_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          run, sampleRun.taskID, sampleRun.sample, sampleRun.run, sampleRun.passed, sampleRun.infrastructureError,
          sampleRun.ms, now,
        ])
      let id = db.lastInsertedRowID
      for v in sampleRun.verdicts {
        try db.execute(
          sql: "INSERT INTO sample_verdicts (sample_run_id, test, kind, detail, ms) VALUES (?, ?, ?, ?, ?)",
          arguments: [id, v.test, v.kind.rawValue, v.detail, v.ms])
      }
    }
    await cache.record(sampleRun)
  }
}
