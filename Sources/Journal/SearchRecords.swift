import Judge
import Policy
import Verdicts

/// What a policy returned at one step of a task's search.
public struct ProposalRecord: Sendable, Equatable {
  public enum Kind: String, Vocabulary {
    case propose, revise

    public static let vocabulary = "proposal kind"
  }

  public var taskID: String
  /// The policy call's number within the task, from 0.
  public var step: Int
  public var kind: Kind
  /// The candidate a revision repaired.
  public var parent: String?
  public var candidates: [Candidate]
  /// How long the policy took.
  public var milliseconds: Double

  public init(
    taskID: String, step: Int, kind: Kind, parent: String?, candidates: [Candidate], milliseconds: Double = 0
  ) {
    self.taskID = taskID
    self.step = step
    self.kind = kind
    self.parent = parent
    self.candidates = candidates
    self.milliseconds = milliseconds
  }
}

/// One sandbox run of a candidate: on the public tests during search, or
/// on the hidden tests for the final verdict.
public struct AttemptRecord: Sendable, Equatable {
  public var taskID: String
  /// The step that proposed the candidate, and its index there.
  public var step: Int
  public var index: Int
  public var candidate: Candidate
  public var selection: TestSelection
  public var results: [TestResult]
  /// Wall time of the sandbox run.
  public var milliseconds: Double

  public init(
    taskID: String, step: Int, index: Int, candidate: Candidate, selection: TestSelection, results: [TestResult],
    milliseconds: Double
  ) {
    self.taskID = taskID
    self.step = step
    self.index = index
    self.candidate = candidate
    self.selection = selection
    self.results = results
    self.milliseconds = milliseconds
  }

  /// What the run's tests are worth to search.
  public var reward: Reward { Reward(results) }
}

/// How a task's search ended.
public struct TaskOutcome: Sendable, Equatable {
  public var taskID: String
  /// The chosen candidate passed every public test and every hidden test.
  public var solved: Bool
  /// The chosen candidate, if any was worth checking.
  public var chosen: Candidate?
  public var hiddenPassed: Int
  public var hiddenTotal: Int
  /// Candidates run in the sandbox during search.
  public var attempts: Int
  /// Sandbox runs, the final hidden check included.
  public var sandboxRuns: Int
  public var proposals: Int
  public var wallMilliseconds: Double
  /// Why the search stopped: `passed-public` (a candidate passed every
  /// public test; `solved` says whether it passed the hidden ones),
  /// `budget`, `time`, `exhausted` (the policy had nothing more), or
  /// `no-candidates` (the policy proposed nothing), or `declined` (a task
  /// outside what the policy can write, said before any proposal).
  public var stop: String
  /// Why an unsolved task was missed, in a line: the policy's reason to
  /// decline, the first hidden test a public pass failed, the budget spent
  /// and how close the best candidate came. Nil for a solved task.
  public var reason: String?
  /// The slowest test of the chosen candidate (public and hidden), as the
  /// harness timed it; nil when it was never run.
  public var slowestTestMilliseconds: Double?

  public init(
    taskID: String, solved: Bool, chosen: Candidate?, hiddenPassed: Int, hiddenTotal: Int, attempts: Int,
    sandboxRuns: Int, proposals: Int, wallMilliseconds: Double, stop: String, reason: String? = nil,
    slowestTestMilliseconds: Double? = nil
  ) {
    self.taskID = taskID
    self.solved = solved
    self.chosen = chosen
    self.hiddenPassed = hiddenPassed
    self.hiddenTotal = hiddenTotal
    self.attempts = attempts
    self.sandboxRuns = sandboxRuns
    self.proposals = proposals
    self.wallMilliseconds = wallMilliseconds
    self.stop = stop
    self.reason = reason
    self.slowestTestMilliseconds = slowestTestMilliseconds
  }
}

/// Where search writes what it did, as it does it, and reads it back when
/// a run resumes: a step the journal holds is replayed, never redone.
/// The run store implements it; tests use ``MemoryJournal``.
public protocol SearchJournal: Sendable {
  func outcome(task: String) async throws -> TaskOutcome?
  func proposal(task: String, step: Int) async throws -> ProposalRecord?
  func attempt(task: String, step: Int, index: Int, selection: TestSelection) async throws -> AttemptRecord?
  func record(_ proposal: ProposalRecord) async throws
  func record(_ attempt: AttemptRecord) async throws
  func record(_ outcome: TaskOutcome) async throws
  /// Every attempt of the run, in the order recorded (what a round of
  /// training learns from).
  func attempts() async throws -> [AttemptRecord]
}

/// A journal in memory.
public actor MemoryJournal: SearchJournal {
  public private(set) var proposals: [String: ProposalRecord] = [:]
  public private(set) var attemptsByKey: [String: AttemptRecord] = [:]
  var order: [String] = []
  public private(set) var outcomes: [String: TaskOutcome] = [:]

  public init() {}

  public func outcome(task: String) -> TaskOutcome? { outcomes[task] }
  public func proposal(task: String, step: Int) -> ProposalRecord? { proposals["\(task)#\(step)"] }
  public func attempt(task: String, step: Int, index: Int, selection: TestSelection) -> AttemptRecord? {
    attemptsByKey["\(task)#\(step)#\(index)#\(selection.rawValue)"]
  }
  public func record(_ proposal: ProposalRecord) { proposals["\(proposal.taskID)#\(proposal.step)"] = proposal }
  public func record(_ attempt: AttemptRecord) {
    let key = "\(attempt.taskID)#\(attempt.step)#\(attempt.index)#\(attempt.selection.rawValue)"
    if attemptsByKey.updateValue(attempt, forKey: key) == nil { order.append(key) }
  }
  public func attempts() -> [AttemptRecord] { order.compactMap { attemptsByKey[$0] } }
  public func record(_ outcome: TaskOutcome) { outcomes[outcome.taskID] = outcome }
}
