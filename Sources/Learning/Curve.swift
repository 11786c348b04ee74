import Foundation
import Journal
import Support

/// `curve.json`: what the training run is and every finished round, as
/// the run store holds them (an export, rewritten after every round).
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

  /// Writes atomically: a killed run leaves the previous curve whole.
  public func save(_ path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    // Task ids from a downloaded suite may hold bidirectional controls:
    // JSON escapes, as in every other export.
    try (SafeText.json(encoder.encode(self)) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}

func median(_ values: [Double]) -> Double? {
  guard !values.isEmpty else { return nil }
  let sorted = values.sorted()
  return sorted.count % 2 == 1
    ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
