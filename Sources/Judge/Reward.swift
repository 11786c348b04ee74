import Verdicts

/// What a candidate's public tests are worth to search. Only public tests
/// feed search; the hidden tests decide the final verdict.
public struct Reward: Sendable, Equatable, Comparable, CustomStringConvertible {
  /// How a candidate failed, worst first (the one vocabulary, in Verdicts).
  public typealias Grade = Verdicts.Grade

  /// The outcome reward: every public test passed.
  public var outcome: Bool
  /// The per-test reward: the fraction of public tests passed.
  public var perTest: Double
  /// The graded reward: the worst way any public test ended.
  public var grade: Grade

  public init(outcome: Bool, perTest: Double, grade: Grade) {
    self.outcome = outcome
    self.perTest = perTest
    self.grade = grade
  }

  /// The reward of a judgement on the public tests. With no public tests
  /// there is nothing to fail: the outcome is vacuously true.
  public init(_ results: [TestResult]) {
    let passed = results.filter { $0.verdict == .passed }.count
    outcome = passed == results.count
    perTest = results.isEmpty ? 1 : Double(passed) / Double(results.count)
    grade = results.map { Grade($0.verdict) }.min() ?? .passed
  }

  /// Outcome first, then the fraction passed, then how the rest failed.
  public static func < (a: Reward, b: Reward) -> Bool {
    (a.outcome ? 1 : 0, a.perTest, a.grade.rank) < (b.outcome ? 1 : 0, b.perTest, b.grade.rank)
  }

  public var description: String {
    "\(outcome ? "pass" : "fail") \(Int((perTest * 100).rounded()))% \(grade.rawValue)"
  }
}
