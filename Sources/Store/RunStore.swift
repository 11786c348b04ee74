import Foundation
import GRDB
import Journal
import Judge
import Policy
import Support

/// The run store: SQLite in WAL mode. Every proposal, attempt and verdict
/// is written when it happens, in its own transaction, so a killed process
/// loses at most the run in flight; a run is resumed by its key.
public final class RunStore: Sendable {
  public let path: String
  let database: DatabasePool

  /// Opens (creating if needed) the store at `path`.
  public init(path: String) throws(StoreError) {
    self.path = path
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty {
      do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw StoreError(path: path, message: "cannot create its directory (\(error.localizedDescription))")
      }
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw StoreError(path: path, message: "is a directory, not a store")
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      // Durable against a killed process (the WAL is in the OS's hands at
      // commit); FULL would add an fsync per commit for power loss.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }
    do {
      database = try Self.open(path, configuration)
    } catch {
      let corrupt = [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains((error as? DatabaseError)?.resultCode)
      throw StoreError(
        path: path,
        message: "cannot open the store: \(Self.describe(error))"
          + (corrupt
            ? " (not a Crucible run store, or damaged; move it aside, or use another --out/--store: "
              + "the run starts afresh)" : ""))
    }
  }

  /// Opens the pool and brings the schema up to date. Processes opening a
  /// new store at once race twice: the switch to WAL mode can fail with
  /// "database is locked" without waiting, and GRDB reads which migrations
  /// are applied before it takes the write lock, so two openers can start
  /// the same migration. Each loser rolls back whole (an error, or, for a
  /// migration that succeeds twice, a duplicate row in GRDB's own table of
  /// applied migrations); it tries again, a little later, with what the
  /// winner committed.
  static func open(_ path: String, _ configuration: Configuration) throws -> DatabasePool {
    let migrator = Schema.migrator
    var attempt = 1
    while true {
      do {
        let database = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(database)
        return database
      } catch {
        let code = (error as? DatabaseError)?.resultCode
        guard attempt < 8, [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR, .SQLITE_CONSTRAINT].contains(code) else {
          throw error
        }
        usleep(UInt32(20_000 * attempt))
        attempt += 1
      }
    }
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
    return "\(error)"
  }

  func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await database.write(updates)
    } catch let mismatch as RunMismatch {
      throw StoreError(path: path, message: mismatch.description, mismatch: mismatch)
    } catch {
      throw StoreError(path: path, message: "write failed: \(Self.describe(error))")
    }
  }

  func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await database.read(value)
    } catch {
      throw StoreError(path: path, message: "read failed: \(Self.describe(error))")
    }
  }

  static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

  // MARK: runs

  /// Starts the search run `identity` names (of kind `solve` or
  /// `trainSearch`), or resumes it when the store holds it already. With
  /// `refusingOthers`, a store whose latest solve of the same suite is
  /// another run (an edited suite, other options) is not started beside:
  /// the error names each field that differs.
  public func open(_ identity: RunIdentity, taskCount: Int, refusingOthers: Bool = false) async throws(StoreError)
    -> RunJournal
  {
    let (id, resumed) = try await begin(identity, taskCount: taskCount, refusingOthers: refusingOthers)
    let done =
      resumed
      ? try await read { db in
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM task_outcomes WHERE run_id = ?", arguments: [id]) ?? 0
      } : nil
    return RunJournal(store: self, runID: id, resumedOutcomes: done)
  }

  /// Starts or resumes the run `identity` names: its id, and whether it
  /// resumes. With `refusingOthers` and no salt, the store's latest run
  /// of its kind (of its suite, for a solve) decides: the same fields
  /// resume it (a run started with `--fresh` included), other fields are
  /// refused. A salted identity (`--fresh`, a training round's search) is
  /// resumed only by its own id.
  func begin(_ identity: RunIdentity, taskCount: Int, refusingOthers: Bool) async throws(StoreError)
    -> (id: String, resumed: Bool)
  {
    let fields = identity.fields
    let identityJSON = String(decoding: (try? JSONEncoder.sorted.encode(fields)) ?? Data(), as: UTF8.self)
    let now = Self.now()
    return try await write { db -> (id: String, resumed: Bool) in
      func resume(_ id: String) throws -> (id: String, resumed: Bool) {
        try db.execute(sql: "UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?", arguments: [id])
        return (id, true)
      }
      // A solve's output directory may hold runs of several suites; an
      // eval's report directory and a training directory hold one run.
      if refusingOthers, identity.salt.isEmpty,
        let latest = try Row.fetchOne(
          db,
          sql: "SELECT id, identity FROM runs WHERE kind = ? AND (suite = ? OR kind != 'solve') "
            + "ORDER BY rowid DESC LIMIT 1",
          arguments: [identity.kind.rawValue, identity.suite])
      {
        let latestID: String = try latest.decode(forColumn: "id")
        let recorded = try (latest.decode(forColumn: "identity") as String?).flatMap {
          try? JSONDecoder().decode([String: String].self, from: Data($0.utf8))
        }
        if recorded == fields || (recorded == nil && latestID == identity.id) { return try resume(latestID) }
        throw RunMismatch(runID: latestID, recorded: recorded, wanted: identity)
      }
      if try Row.fetchOne(db, sql: "SELECT id FROM runs WHERE id = ?", arguments: [identity.id]) != nil {
        return try resume(identity.id)
      }
      try db.execute(
        sql: """
          INSERT INTO runs (id, kind, suite, policy, parameters, strategy, budget, seed, task_count, status,
            created_at, identity)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)
          """,
        arguments: [
          identity.id, identity.kind.rawValue, identity.suite, fields["policy"] ?? fields["learner"] ?? "",
          fields["parameters"] ?? "", fields["strategy"] ?? "", fields["budget"] ?? "",
          Int64(bitPattern: UInt64(fields["seed"] ?? "") ?? 0), taskCount, now, identityJSON,
        ])
      return (identity.id, false)
    }
  }

  public func finish(run id: String) async throws(StoreError) {
    let now = Self.now()
    try await write { db in
      try db.execute(sql: "UPDATE runs SET status = 'completed', finished_at = ? WHERE id = ?", arguments: [now, id])
    }
  }

  /// Every attempt of a run, in the order recorded.
  public func attempts(run id: String) async throws(StoreError) -> [StoredAttempt] {
    try await read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, task_id, step, idx, selection, candidate_id, passed, total, policy, prompt_tokens,
            completion_tokens, model_ms
          FROM attempts WHERE run_id = ? ORDER BY id
          """, arguments: [id]
      ).map { row in
        StoredAttempt(
          id: try row.decode(forColumn: "id"), taskID: try row.decode(forColumn: "task_id"),
          step: try row.decode(forColumn: "step"), index: try row.decode(forColumn: "idx"),
          selection: try row.decode(forColumn: "selection"),
          candidateID: try row.decode(forColumn: "candidate_id"), passed: try row.decode(forColumn: "passed"),
          total: try row.decode(forColumn: "total"), policy: try row.decode(forColumn: "policy"),
          usage: try (row.decode(forColumn: "prompt_tokens") as Int?).map {
            Usage(
              promptTokens: $0, completionTokens: try row.decode(forColumn: "completion_tokens") ?? 0,
              milliseconds: try row.decode(forColumn: "model_ms") ?? 0)
          })
      }
    }
  }

  /// How many verdict rows the store holds for a run.
  public func verdictCount(run id: String) async throws(StoreError) -> Int {
    try await read { db in
      try Int.fetchOne(
        db, sql: "SELECT COUNT(*) FROM verdicts JOIN attempts ON attempts.id = verdicts.attempt_id WHERE run_id = ?",
        arguments: [id]) ?? 0
    }
  }

  /// The runs the store holds, newest first.
  public func runs() async throws(StoreError) -> [StoredRun] {
    try await read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT r.id, r.kind, r.suite, r.policy, r.parameters, r.strategy, r.budget, r.status, r.task_count,
            r.created_at,
            (SELECT COUNT(*) FROM task_outcomes t WHERE t.run_id = r.id) AS done,
            (SELECT COUNT(*) FROM task_outcomes t WHERE t.run_id = r.id AND t.solved = 1) AS solved
          FROM runs r ORDER BY r.created_at DESC, r.id
          """
      ).map {
        StoredRun(
          id: try $0.decode(forColumn: "id"), kind: try $0.decode(forColumn: "kind"),
          suite: try $0.decode(forColumn: "suite"), policy: try $0.decode(forColumn: "policy"),
          parameters: try $0.decode(forColumn: "parameters"),
          strategy: try $0.decode(forColumn: "strategy"), budget: try $0.decode(forColumn: "budget"),
          status: try $0.decode(forColumn: "status"), taskCount: try $0.decode(forColumn: "task_count"),
          createdAt: try $0.decode(forColumn: "created_at"), done: try $0.decode(forColumn: "done"),
          solved: try $0.decode(forColumn: "solved"))
      }
    }
  }
}

extension JSONEncoder {
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}

/// A store that cannot be used, naming the file.
public struct StoreError: Error, CustomStringConvertible {
  public var path: String
  public var message: String
  /// Set when the store holds another run than the one asked for.
  public var mismatch: RunMismatch? = nil
  public var description: String { "store \(path): \(message)" }
}

public struct StoredAttempt: Sendable, Equatable {
  public var id: Int64
  public var taskID: String
  public var step: Int
  public var index: Int
  public var selection: String
  public var candidateID: String
  public var passed: Int
  public var total: Int
  public var policy: String
  /// A language model's request behind the candidate, when there was one.
  public var usage: Usage?
}

public struct StoredRun: Sendable {
  public var id: String
  /// `solve`, `eval`, `train` or `train_search` (RunKind's raw values).
  public var kind: String
  public var suite: String
  public var policy: String
  public var parameters: String
  public var strategy: String
  public var budget: String
  public var status: String
  public var taskCount: Int
  public var createdAt: String
  public var done: Int
  public var solved: Int
}
