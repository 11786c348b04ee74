import Suites

/// Chooses among a task's candidates that all pass its public tests (a
/// behaviour cluster, agreement with a model's tests): search collects up
/// to ``consistent`` of them before it stops, then the choice ranks them.
/// Without one, search stops at its first public pass and takes the
/// policy's best.
public protocol ConsistentChoice: Sendable {
  /// Candidates passing every public test to collect before choosing.
  var consistent: Int { get }
  /// `programs` (in the policy's order), best first by index; `ran` hears
  /// of each sandbox job as it ends (so a ranking cut short still counts
  /// the jobs it ran).
  func order(_ programs: [String], for task: CodingTask, ran: @escaping @Sendable () -> Void) async throws -> [Int]
}
