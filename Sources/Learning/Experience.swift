import Journal
import Judge
import Policy
import Search
import Suites

/// A training task's solution: the program a round's search found that
/// passed all of the task's tests.
public struct Solution: Sendable, Equatable, Codable {
  public var taskID: String
  public var round: Int
  public var program: String
  /// The policy's own form of it (the synthesizer's expression).
  public var payload: String?
  public var cost: Double?

  public init(taskID: String, round: Int, program: String, payload: String?, cost: Double?) {
    self.taskID = taskID
    self.round = round
    self.program = program
    self.payload = payload
    self.cost = cost
  }

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case round, program, payload, cost
  }
}

/// What a round of search on the training tasks produced: what the learner
/// learns from.
public struct Experience: Sendable {
  public var round: Int
  public var tasks: [CodingTask]
  public var outcomes: [TaskOutcome]
  /// Every sandbox run of the round's training search.
  public var attempts: [AttemptRecord]
  /// Every training task solved so far (this round or earlier), with the
  /// latest round's program.
  public var solutions: [String: Solution]

  public init(
    round: Int, tasks: [CodingTask], outcomes: [TaskOutcome], attempts: [AttemptRecord],
    solutions: [String: Solution]
  ) {
    self.round = round
    self.tasks = tasks
    self.outcomes = outcomes
    self.attempts = attempts
    self.solutions = solutions
  }

  /// A candidate's reward for learning: the fraction of all the tests it
  /// was run on (public, and hidden when it was chosen) that passed.
  public struct Scored: Sendable {
    public var taskID: String
    public var candidate: Candidate
    public var reward: Double
  }

  /// Every candidate run this round, with its reward, task by task in the
  /// order they ran.
  public var scored: [Scored] {
    var order: [String] = []
    var totals: [String: (candidate: Candidate, taskID: String, passed: Int, total: Int)] = [:]
    for attempt in attempts {
      let key = attempt.taskID + "\u{1F}" + attempt.candidate.id
      if totals[key] == nil {
        order.append(key)
        totals[key] = (attempt.candidate, attempt.taskID, 0, 0)
      }
      totals[key]!.passed += attempt.results.filter { $0.verdict == .passed }.count
      totals[key]!.total += attempt.results.count
    }
    return order.compactMap { key in
      guard let t = totals[key], t.total > 0 else { return nil }
      return Scored(taskID: t.taskID, candidate: t.candidate, reward: Double(t.passed) / Double(t.total))
    }
  }
}
