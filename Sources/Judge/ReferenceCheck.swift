import Sandbox
import Suites
import Support

/// Runs every task's reference solution against all of its tests: a suite
/// is sound when every reference passes every test.
public enum ReferenceCheck {
  /// The outcome for one task.
  public struct Outcome: Sendable {
    public var task: CodingTask
    /// Nil when the task has no reference solution.
    public var judgement: Judgement?
    public var passed: Bool { judgement?.allPassed ?? false }
    /// The task has no reference solution (the formats make it optional):
    /// nothing to check, neither a pass nor a failure.
    public var skipped: Bool { judgement == nil }
    /// Why it did not pass, in one line.
    public var problem: String? {
      guard let judgement else { return "no reference solution" }
      guard let failure = judgement.firstFailure else { return nil }
      return "test \(failure.index): \(failure.verdict.detail)"
    }
  }

  /// Checks the tasks with at most `workers` at once (the pool bounds it too),
  /// calling `progress` as each one finishes, in completion order.
  public static func run(
    _ tasks: [CodingTask], judge: Judge, workers: Int, progress: @Sendable (Outcome) -> Void = { _ in }
  ) async throws -> [Outcome] {
    try await boundedMap(tasks, workers: workers) { task in
      guard let solution = task.solution else { return Outcome(task: task, judgement: nil) }
      return Outcome(task: task, judgement: try await judge.judge(solution, for: task, tests: .all))
    } each: {
      progress($0)
    }
  }
}
