import Foundation

/// One round of training, as `curve.json` records it.
public struct CurvePoint: Sendable, Equatable, Codable {
  public var round: Int
  /// The round's parameters (a checkpoint path, relative to the directory).
  public var checkpoint: String?
  public var parameters: String
  public var trainSolved: Int
  public var trainTasks: Int
  public var evalSolved: Int
  public var evalTasks: Int
  /// Median, over solved eval tasks, of what the policy spent before it
  /// found the chosen solution (programs enumerated, for the synthesizer).
  public var evalMedianPrograms: Double?
  public var trainMedianPrograms: Double?
  public var evalSolvedTasks: [String]
  /// Eval tasks solved for the first time this round.
  public var newlySolved: [String]
  /// Eval tasks the previous round solved and this one does not.
  public var lost: [String]
  public var trainSandboxRuns: Int
  public var evalSandboxRuns: Int
  /// What the learner did after this round ("" after the last).
  public var update: String
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case round, checkpoint, parameters, update, seconds, lost
    case trainSolved = "train_solved"
    case trainTasks = "train_tasks"
    case evalSolved = "eval_solved"
    case evalTasks = "eval_tasks"
    case evalMedianPrograms = "eval_median_programs"
    case trainMedianPrograms = "train_median_programs"
    case evalSolvedTasks = "eval_solved_tasks"
    case newlySolved = "newly_solved"
    case trainSandboxRuns = "train_sandbox_runs"
    case evalSandboxRuns = "eval_sandbox_runs"
  }
}

/// `curve.json`: what the training run is and every finished round.
public struct Curve: Sendable, Equatable, Codable {
  public static let format = "crucible-learning-curve"
  public var format: String = Curve.format
  public var version: Int = 1
  /// What identifies the run: suites, learner, strategy, budgets, seed.
  public var run: [String: String]
  public var points: [CurvePoint]
  /// What the policy's cost counts (the learner's family's unit:
  /// `programs`, `completion tokens`), written by the trainer; nil in a
  /// curve from before it was recorded. Not part of the run's identity.
  public var costUnit: String?

  enum CodingKeys: String, CodingKey {
    case format, version, run, points
    case costUnit = "cost_unit"
  }

  public init(run: [String: String], points: [CurvePoint] = [], costUnit: String? = nil) {
    self.run = run
    self.points = points
    self.costUnit = costUnit
  }

  public static func load(_ path: String) throws -> Curve? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    do {
      let curve = try JSONDecoder().decode(Curve.self, from: data)
      guard curve.format == format, curve.version == 1 else {
        throw LearningError(message: "\(path): field format/version: not a version 1 \(format)")
      }
      return curve
    } catch let error as LearningError {
      throw error
    } catch {
      throw LearningError(message: "\(path): not a learning curve (\(error.localizedDescription))")
    }
  }

  /// Writes atomically: a killed run leaves the previous curve whole.
  public func save(_ path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}

func median(_ values: [Double]) -> Double? {
  guard !values.isEmpty else { return nil }
  let sorted = values.sorted()
  return sorted.count % 2 == 1
    ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
