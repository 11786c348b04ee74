import Foundation
import Journal

/// `curve.json`: what the training run is and every finished round, as
/// the run store holds them (an export, rewritten after every round).
public struct Curve: Sendable, Equatable, Codable {
  public static let format = "crucible-learning-curve"
  public var format: String = Curve.format
  public var version: Int = 1
  /// What identifies the run: suites, learner, strategy, budgets, seed.
  public var run: [String: String]
  public var points: [CurvePoint]

  public init(run: [String: String], points: [CurvePoint] = []) {
    self.run = run
    self.points = points
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
