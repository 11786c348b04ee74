import Suites

/// Chooses among a task's candidates that all pass its public tests (a
/// behaviour cluster, agreement with a model's tests): search collects up
/// to ``consistent`` of them before it stops, then the choice ranks them.
/// Without one, search stops at its first public pass and takes the
/// policy's best.
public protocol ConsistentChoice: Sendable {
  /// Candidates passing every public test to collect before choosing.
  var consistent: Int { get }
  /// `programs` (in the policy's order), best first by index, and the
  /// sandbox jobs the ranking ran.
  func order(_ programs: [String], for task: CodingTask) async throws -> (order: [Int], runs: Int)
}
