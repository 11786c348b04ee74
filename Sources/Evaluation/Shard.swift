import Foundation
import Suites
import Support

/// One slice of a suite, for a cluster job: shard `index` of `count`
/// (0-based). A task's shard is FNV-1a of its id modulo `count`: stable
/// when tasks are added, removed or reordered.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) throws(ShardError) {
    guard count >= 1, count <= 100_000 else { throw ShardError("the shard count must be 1 to 100000 (got \(count))") }
    guard index >= 0, index < count else {
      throw ShardError("the shard index must be 0 to \(count - 1) (got \(index))")
    }
    self.index = index
    self.count = count
  }

  /// `I/N` as `--shard` takes it.
  public init(parsing text: String) throws(ShardError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0].trimmingCharacters(in: .whitespaces)),
      let count = Int(parts[1].trimmingCharacters(in: .whitespaces))
    else { throw ShardError("--shard must be I/N, e.g. 0/4 (got '\(text)')") }
    try self.init(index: index, count: count)
  }

  /// The shard a cluster scheduler assigned: Slurm arrays
  /// (`SLURM_ARRAY_TASK_ID` less `SLURM_ARRAY_TASK_MIN`, of
  /// `SLURM_ARRAY_TASK_COUNT`) or Kubernetes indexed Jobs
  /// (`JOB_COMPLETION_INDEX`, of `count`, which Kubernetes does not put in
  /// the environment). Nil when neither is set.
  public static func fromEnvironment(_ environment: [String: String], count: Int?) throws(ShardError) -> Shard? {
    func number(_ name: String) throws(ShardError) -> Int? {
      guard let text = environment[name] else { return nil }
      guard let value = Int(text) else { throw ShardError("\(name) is not a number (got '\(text)')") }
      return value
    }
    if let id = try number("SLURM_ARRAY_TASK_ID") {
      let listed = try number("SLURM_ARRAY_TASK_COUNT")
      guard let total = listed ?? count else {
        throw ShardError("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT; pass --shard-count")
      }
      let minimum = try number("SLURM_ARRAY_TASK_MIN") ?? 0
      do {
        return try Shard(index: id - minimum, count: total)
      } catch {
        throw ShardError(
          "SLURM_ARRAY_TASK_ID=\(id) (less SLURM_ARRAY_TASK_MIN=\(minimum)) of "
            + (listed.map { "SLURM_ARRAY_TASK_COUNT=\($0)" } ?? "--shard-count \(total)") + ": \(error.description)")
      }
    }
    if let index = try number("JOB_COMPLETION_INDEX") {
      let fromEnvironment = try number("CRUCIBLE_SHARD_COUNT")
      guard let total = count ?? fromEnvironment else {
        throw ShardError(
          "JOB_COMPLETION_INDEX is set; pass --shard-count (the Job's completions) or set CRUCIBLE_SHARD_COUNT")
      }
      do {
        return try Shard(index: index, count: total)
      } catch {
        throw ShardError("JOB_COMPLETION_INDEX=\(index) of \(total) shards: \(error.description)")
      }
    }
    return nil
  }

  public func contains(_ taskID: String) -> Bool { Self.of(taskID, count: count) == index }

  public static func of(_ taskID: String, count: Int) -> Int { Int(FNV1a.hash(taskID) % UInt64(count)) }

  public var description: String { "\(index)/\(count)" }
}

public struct ShardError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
