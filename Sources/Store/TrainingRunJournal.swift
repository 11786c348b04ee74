import Foundation
import GRDB
import Journal

extension RunStore {
  /// Starts the training run `identity` names, or resumes it. A store
  /// whose latest training run is another is refused, naming what differs.
  public func openTraining(_ identity: RunIdentity) async throws(StoreError) -> TrainingRunJournal {
    let (id, resumed) = try await begin(identity, taskCount: 0, refusingOthers: true)
    return TrainingRunJournal(store: self, runID: id, isResumed: resumed)
  }

  /// A training run's recorded rounds, in order.
  public func rounds(run id: String) async throws(StoreError) -> [CurvePoint] {
    let rows = try await read { db in
      try Row.fetchAll(db, sql: "SELECT round, point FROM rounds WHERE run_id = ? ORDER BY round", arguments: [id])
        .map {
          (round: try $0.decode(Int.self, forColumn: "round"), point: try $0.decode(String.self, forColumn: "point"))
        }
    }
    return try rows.map { row throws(StoreError) in
      do {
        return try JSONDecoder().decode(CurvePoint.self, from: Data(row.point.utf8))
      } catch {
        throw StoreError(path: path, message: "round \(row.round) of \(id) is not a round record: \(error)")
      }
    }
  }
}

/// One training run's view of the store: its rounds, and its searches as
/// runs of their own.
public struct TrainingRunJournal: TrainingJournal {
  public let store: RunStore
  public let runID: String
  public let isResumed: Bool

  public func rounds() async throws -> [CurvePoint] { try await store.rounds(run: runID) }

  public func record(_ point: CurvePoint) async throws {
    let run = runID
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let text = String(decoding: try encoder.encode(point), as: UTF8.self)
    let now = RunStore.now()
    try await store.write { db in
      try db.execute(
        sql: "INSERT OR REPLACE INTO rounds (run_id, round, point, recorded_at) VALUES (?, ?, ?, ?)",
        arguments: [run, point.round, text, now])
    }
  }

  public func search(_ identity: RunIdentity, taskCount: Int) async throws -> any SearchJournal {
    try await store.open(identity, taskCount: taskCount)
  }

  public func finish(_ search: RunIdentity) async throws { try await store.finish(run: search.id) }
}
