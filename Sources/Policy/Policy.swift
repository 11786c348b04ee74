import Suites
import Support

/// Something that proposes candidate programs for a task and repairs them
/// from test feedback: the built-in synthesizer, or a language model.
///
/// A policy sees a ``TaskView``: the prompt, the signature and the public
/// tests, never the hidden ones. Errors it throws are infrastructure faults
/// (a model server that is down), never a failed attempt.
public protocol Policy: Sendable {
  /// A short stable name (`builtin`, `openai:model`).
  var name: String { get }
  /// What exactly is proposing: a checkpoint, or a model with its settings.
  /// Candidates carry it in their provenance; runs are keyed by it.
  var parameters: String { get }
  /// Up to `request.count` candidates, best first by the policy's own score.
  func propose(_ request: ProposeRequest) async throws -> [Candidate]
  /// Repairs of a failing candidate, given its feedback on public tests.
  func revise(_ request: ReviseRequest) async throws -> [Candidate]
  /// Why this policy cannot write `task` at all (a signature or values
  /// outside what it can express), or nil when it can try. A declined task
  /// is not searched; the reason is reported as its outcome.
  func declines(_ task: TaskView) -> String?
}

extension Policy {
  /// A policy that can try any task.
  public func declines(_ task: TaskView) -> String? { nil }
}

/// What a proposal may use.
public struct ProposeRequest: Sendable {
  public var task: TaskView
  public var count: Int
  /// Feedback on earlier candidates of this task, if any.
  public var history: [Feedback]
  /// Makes sampling reproducible.
  public var seed: UInt64
  /// Whether duplicates may be dropped: search wants distinct candidates;
  /// pass@k wants every sample, repeats included.
  public var distinct: Bool

  public init(task: TaskView, count: Int, history: [Feedback] = [], seed: UInt64 = 0, distinct: Bool = true) {
    self.task = task
    self.count = count
    self.history = history
    self.seed = seed
    self.distinct = distinct
  }
}

/// What a revision may use.
public struct ReviseRequest: Sendable {
  public var task: TaskView
  public var candidate: Candidate
  public var feedback: Feedback
  public var count: Int
  public var seed: UInt64

  public init(task: TaskView, candidate: Candidate, feedback: Feedback, count: Int, seed: UInt64 = 0) {
    self.task = task
    self.candidate = candidate
    self.feedback = feedback
    self.count = count
    self.seed = seed
  }
}

/// A proposed program and where it came from.
public struct Candidate: Sendable, Equatable, Identifiable {
  /// A stable id: a hash of the program.
  public var id: String
  /// The complete Python program (it defines the task's entry point).
  public var program: String
  /// The policy's own score (a log-probability, higher is better).
  public var score: Double
  public var provenance: Provenance
  /// Policy-specific data for revising it later (the synthesizer's expression).
  public var payload: String?
  /// What finding it cost the policy: programs enumerated before it (the
  /// synthesizer) or tokens generated (a language model).
  public var cost: Double?
  /// A language model's tokens and latency for the request that made it.
  public var usage: Usage?

  public init(
    program: String, score: Double, provenance: Provenance, payload: String? = nil, cost: Double? = nil,
    usage: Usage? = nil
  ) {
    self.id = Candidate.id(of: program)
    self.program = program
    self.score = score
    self.provenance = provenance
    self.payload = payload
    self.cost = cost
    self.usage = usage
  }

  /// FNV-1a of the program text, as 16 hex digits.
  public static func id(of program: String) -> String { FNV1a.hex(program) }
}

/// What one model request cost: tokens as the server counted them, and
/// the wall time of the request (retries included).
public struct Usage: Sendable, Equatable, Codable {
  public var promptTokens: Int
  public var completionTokens: Int
  public var milliseconds: Double

  public init(promptTokens: Int, completionTokens: Int, milliseconds: Double) {
    self.promptTokens = promptTokens
    self.completionTokens = completionTokens
    self.milliseconds = milliseconds
  }

  enum CodingKeys: String, CodingKey {
    case promptTokens = "prompt_tokens"
    case completionTokens = "completion_tokens"
    case milliseconds = "latency_ms"
  }
}

/// Where a candidate came from.
public struct Provenance: Sendable, Equatable, Codable {
  /// The policy's name.
  public var policy: String
  /// Its parameters: a checkpoint or a model, with settings.
  public var parameters: String
  /// The candidate's index among what one request returned.
  public var sampleIndex: Int
  /// The candidate this one revises, if any.
  public var parent: String?

  public init(policy: String, parameters: String, sampleIndex: Int, parent: String? = nil) {
    self.policy = policy
    self.parameters = parameters
    self.sampleIndex = sampleIndex
    self.parent = parent
  }
}

/// How a policy's candidates that pass every public test are chosen among:
/// `first`, the policy's own best (the cheapest program, the most likely
/// sample); `cluster`, the best of the largest behaviour cluster on
/// generated inputs (AlphaCode's selection), where few public tests let
/// wrong programs through; `codet`, by dual agreement with tests the
/// model wrote (CodeT), for a language model only.
public enum Selection: String, Sendable, CaseIterable, Codable {
  case first, cluster, codet
}

/// A policy that can also write tests for a task (CodeT's model-written
/// tests), read as data tests: arguments and an expected value, literals
/// only, so no code the policy wrote runs as a test. They only rank
/// candidates; they are never the task's tests and never decide whether
/// it is solved.
public protocol TestWritingPolicy: Policy {
  /// Data tests for `task`, distinct, and what they cost.
  func writeTests(for task: TaskView, seed: UInt64) async throws -> (tests: [TestCase], usage: Usage)
}
