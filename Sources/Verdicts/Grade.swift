/// How a candidate failed a test, worst first: a program that does not
/// parse (or that the sandbox stopped) is further from a solution than one
/// that raises, which is further than one that returns a wrong value.
public enum Grade: String, Vocabulary, Comparable {
  case syntaxError = "syntax_error"
  case runtimeError = "runtime_error"
  case wrongAnswer = "wrong_answer"
  case passed

  public static let vocabulary = "grade"

  /// 0 (worst) to 3 (passed): the order, for comparisons and for values.
  public var rank: Int {
    switch self {
    case .syntaxError: 0
    case .runtimeError: 1
    case .wrongAnswer: 2
    case .passed: 3
    }
  }

  public static func < (a: Grade, b: Grade) -> Bool { a.rank < b.rank }

  /// The grade of one test's verdict.
  public init(_ verdict: TestVerdict) { self.init(verdict.kind) }

  /// The grade of a verdict kind.
  public init(_ kind: TestVerdict.Kind) {
    switch kind {
    case .passed: self = .passed
    case .wrongAnswer, .presentationError: self = .wrongAnswer
    case .runtimeError, .timeout, .memoryLimit, .outputLimit, .infrastructureError: self = .runtimeError
    case .syntaxError, .violation, .tamper: self = .syntaxError
    }
  }
}
