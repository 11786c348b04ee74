import Suites
import Values
import Verdicts

/// A task as a policy may see it: everything but the hidden tests. It can
/// only be made from a ``CodingTask``, which keeps the hidden tests out by
/// construction.
public struct TaskView: Sendable {
  public let id: String
  public let prompt: String
  public let entryPoint: String
  public let signature: Signature?
  /// HumanEval's prompt code: the signature and docstring to complete.
  public let promptCode: String?
  /// The public tests only.
  public let publicTests: [TestCase]
  public let tags: [String]
  public let level: Int?
  /// Set for a standard-input task: what a program's author is told of
  /// how it runs and is checked (never a `checker.py`'s source).
  public let program: ProgramView?

  /// A whole program reading standard input, not a function.
  public var isProgram: Bool { program != nil }

  public init(_ task: CodingTask) {
    id = task.id
    prompt = task.prompt
    entryPoint = task.entryPoint
    signature = task.signature
    promptCode = task.promptCode
    publicTests = Array(task.publicTests)
    tags = task.tags
    level = task.level
    program = task.io.map(ProgramView.init)
  }

  /// The public data tests as (arguments, expected) pairs.
  public var publicExamples: [(args: [Value], expected: Value)] {
    publicTests.compactMap {
      if case .data(let args, let expected) = $0.body { return (args, expected) }
      return nil
    }
  }

  /// The public standard-input tests as (input, expected output) pairs.
  public var publicIO: [(input: String, output: String)] {
    publicTests.compactMap {
      if case .io(let input, let output) = $0.body { return (input, output) }
      return nil
    }
  }
}

/// What a policy may know of how a standard-input task's program runs:
/// its limits and how its output is checked, by name. A task's own
/// checker program stays on the trusted side: only that there is one.
public struct ProgramView: Sendable, Equatable {
  /// Wall-clock seconds per test.
  public let timeLimitSeconds: Double
  /// The program's memory, MiB, per test.
  public let memoryLimitMiB: Int
  /// `tokens`, `exact`, `lines`, `float` or `checker.py` (``OutputChecker/name``).
  public let checker: String
  /// The `float` checker's absolute or relative tolerance.
  public let tolerance: Double?

  public init(_ io: ProgramIO) {
    timeLimitSeconds = io.timeLimitSeconds
    memoryLimitMiB = io.memoryLimitMiB
    checker = io.checker.name
    if case .float(let tolerance) = io.checker { self.tolerance = tolerance } else { tolerance = nil }
  }

  public init(timeLimitSeconds: Double, memoryLimitMiB: Int, checker: String, tolerance: Double? = nil) {
    self.timeLimitSeconds = timeLimitSeconds
    self.memoryLimitMiB = memoryLimitMiB
    self.checker = checker
    self.tolerance = tolerance
  }
}

/// What a candidate's public tests said: the environment's feedback.
public struct Feedback: Sendable, Equatable {
  /// One public test's outcome.
  public struct TestOutcome: Sendable, Equatable {
    /// Index of the test in the task.
    public var index: Int
    public var passed: Bool
    /// The verdict's kind (`passed`, `wrong_answer`, `runtime_error`, ...).
    public var kind: TestVerdict.Kind
    /// A line for people and models: expected and actual, or the error.
    public var detail: String

    public init(index: Int, passed: Bool, kind: TestVerdict.Kind, detail: String) {
      self.index = index
      self.passed = passed
      self.kind = kind
      self.detail = detail
    }
  }

  public var candidateID: String
  public var outcomes: [TestOutcome]

  public init(candidateID: String, outcomes: [TestOutcome]) {
    self.candidateID = candidateID
    self.outcomes = outcomes
  }

  public var passedCount: Int { outcomes.filter(\.passed).count }
}
