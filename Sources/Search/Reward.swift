import Judge

/// What a candidate's public tests are worth to search. Only public tests
/// feed search; the hidden tests decide the final verdict.
public struct Reward: Sendable, Equatable, Comparable, CustomStringConvertible {
  /// How a candidate failed, worst first: a program that does not parse
  /// (or that the sandbox stopped) is further from a solution than one that
  /// raises, which is further than one that returns a wrong value.
  public enum Grade: Int, Sendable, Comparable, CaseIterable {
    case syntaxError = 0
    case runtimeError, wrongAnswer, passed

    public static func < (a: Grade, b: Grade) -> Bool { a.rawValue < b.rawValue }

    /// The grade of one test's verdict.
    public init(_ verdict: TestVerdict) {
      switch verdict.kind {
      case .passed: self = .passed
      case .wrongAnswer: self = .wrongAnswer
      case .runtimeError, .timeout, .memoryLimit, .outputLimit, .infrastructureError: self = .runtimeError
      case .syntaxError, .violation, .tamper: self = .syntaxError
      }
    }
  }

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
    (a.outcome ? 1 : 0, a.perTest, a.grade.rawValue) < (b.outcome ? 1 : 0, b.perTest, b.grade.rawValue)
  }

  public var description: String {
    "\(outcome ? "pass" : "fail") \(Int((perTest * 100).rounded()))% \(grade)"
  }
}
