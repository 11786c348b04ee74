import Sandbox
import Suites
import Verdicts

/// Which of a task's tests to run.
public enum TestSelection: String, Vocabulary {
  /// The public tests only: what search and a policy's feedback may use.
  case publicOnly = "public"
  /// The hidden tests only: what decides.
  case hiddenOnly = "hidden"
  /// All of them.
  case all

  public static let vocabulary = "test selection"

  public func indices(_ task: CodingTask) -> Range<Int> {
    switch self {
    case .publicOnly: 0..<task.publicCount
    case .hiddenOnly: task.publicCount..<task.tests.count
    case .all: 0..<task.tests.count
    }
  }
}

/// The verdict of one test.
public struct TestResult: Sendable, Equatable {
  /// The test's index in the task.
  public var index: Int
  public var isPublic: Bool
  public var verdict: TestVerdict
  /// Time the call (or statement) took, as the harness measured it.
  public var milliseconds: Double?

  public init(index: Int, isPublic: Bool, verdict: TestVerdict, milliseconds: Double? = nil) {
    self.index = index
    self.isPublic = isPublic
    self.verdict = verdict
    self.milliseconds = milliseconds
  }
}

/// Everything one sandboxed test run found out about a candidate.
public struct Judgement: Sendable {
  public init(taskID: String, results: [TestResult], run: SandboxResult?) {
    self.taskID = taskID
    self.results = results
    self.run = run
  }

  public var taskID: String
  public var results: [TestResult]
  /// The sandbox run: times, memory, output, layers.
  public var run: SandboxResult?

  /// All selected tests passed (and there was at least one).
  public var allPassed: Bool { !results.isEmpty && results.allSatisfy { $0.verdict == .passed } }
  /// Fraction of the selected tests that passed.
  public var passFraction: Double {
    results.isEmpty ? 0 : Double(results.filter { $0.verdict == .passed }.count) / Double(results.count)
  }
  /// Whether an infrastructure fault, not the candidate, decided some result.
  public var hasInfrastructureError: Bool { results.contains { $0.verdict.kind == .infrastructureError } }
  /// The first test that did not pass.
  public var firstFailure: TestResult? { results.first { $0.verdict != .passed } }
}
