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

  public init(_ task: CodingTask) {
    id = task.id
    prompt = task.prompt
    entryPoint = task.entryPoint
    signature = task.signature
    promptCode = task.promptCode
    publicTests = Array(task.publicTests)
    tags = task.tags
    level = task.level
  }

  /// The public data tests as (arguments, expected) pairs.
  public var publicExamples: [(args: [Value], expected: Value)] {
    publicTests.compactMap {
      if case .data(let args, let expected) = $0.body { return (args, expected) }
      return nil
    }
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
