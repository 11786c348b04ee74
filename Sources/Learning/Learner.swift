import Foundation
import Policy

/// What the trainer asks of a policy family: the policy of a round, and how
/// to learn from a round's experience. The built-in synthesizer trains its
/// model; a language model learns through exemplars and the user's own
/// fine-tuning (the trainer exports the data either way).
public protocol Learner: Sendable {
  /// For logs: `builtin, behavior cloning`.
  var description: String { get }
  /// Everything about the learner that changes what a round proposes,
  /// measures or learns (its method and rates, the starting policy, the
  /// policies' budgets or sampling), by name: part of a training run's
  /// identity, so that a run resumed with other options is refused rather
  /// than reporting rounds made with the old ones.
  var identity: [String: String] { get }
  /// The policy that searches the training tasks, or is evaluated, at `round`.
  func policy(round: Int, purpose: Purpose) async throws -> any Policy
  /// Learns from round `experience.round`, making round + 1's policy.
  func learn(from experience: Experience) async throws -> RoundUpdate
  /// Where round `round`'s parameters are, when they are a file.
  func checkpoint(round: Int) -> String?
  /// What its policies' cost counts (its family's `costUnit`), recorded in
  /// the curve for the report.
  var costUnit: String { get }
}

/// What a learner did with a round's experience.
public struct RoundUpdate: Sendable, Equatable {
  /// A line saying what it did (the curve's `update`).
  public var line: String
  /// The real training tasks it learned from (the solved ones).
  public var realTasks: Int
  /// The dreamed tasks it learned from beside them.
  public var dreamedTasks: Int

  public init(line: String, realTasks: Int, dreamedTasks: Int = 0) {
    self.line = line
    self.realTasks = realTasks
    self.dreamedTasks = dreamedTasks
  }
}

/// What a round's policy is for.
public enum Purpose: Sendable {
  /// Searching the training tasks (the expert, with its search budget).
  case search
  /// Being measured on the eval tasks (at the fixed eval budget).
  case evaluation
}

/// Training that cannot go on, and why.
public struct LearningError: Error, CustomStringConvertible {
  public var message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}
