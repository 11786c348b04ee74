import Foundation
import GRDB
import Journal

/// A recorded run read back, for people (`crucible show`): nothing here
/// writes, and nothing starts or resumes a run.
extension RunStore {
  /// A search run's outcomes, in the order they were recorded.
  public func outcomes(run id: String) async throws(StoreError) -> [TaskOutcome] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM task_outcomes WHERE run_id = ? ORDER BY rowid", arguments: [id]).map {
        try RunJournal.outcome($0)
      }
    }
  }

  /// One task of a search run: every policy call and every sandbox run
  /// (with its verdicts), in the order recorded.
  public func searchRecords(run id: String, task: String) async throws(StoreError)
    -> (proposals: [ProposalRecord], attempts: [AttemptRecord])
  {
    try await read { db in
      let proposals = try Row.fetchAll(
        db, sql: "SELECT * FROM proposals WHERE run_id = ? AND task_id = ? ORDER BY step", arguments: [id, task]
      ).map { try RunJournal.proposal($0) }
      let attempts = try Row.fetchAll(
        db, sql: "SELECT * FROM attempts WHERE run_id = ? AND task_id = ? ORDER BY id", arguments: [id, task]
      ).map { try RunJournal.attempt($0, db) }
      return (proposals, attempts)
    }
  }
}
