/// How one test of a candidate ended: the reward signal everything learns from.
/// The judge decides it (`Sources/Judge`); everything downstream (search,
/// evaluation, the store, reports) reads it from here.
public enum TestVerdict: Sendable, Equatable {
  case passed
  /// The returned value is not the expected one (Python literals, shortened).
  case wrongAnswer(expected: String, actual: String)
  /// A program's output has the expected tokens, laid out otherwise than
  /// its task's `exact` or `lines` checker requires (or its checker said so).
  case presentationError(expected: String, actual: String)
  /// The candidate raised (type, message, line of the program).
  case runtimeError(type: String, message: String, line: Int?)
  case syntaxError(message: String, line: Int?)
  case timeout
  case memoryLimit
  case outputLimit
  /// A forbidden system call.
  case violation(String)
  /// The candidate interfered with the harness or its result channel.
  case tamper(String)
  /// The sandbox or the harness failed; never counted against a candidate.
  case infrastructureError(String)

  /// The verdict's stable name: `passed`, `wrong_answer`, `runtime_error`, ...
  public var kind: Kind {
    switch self {
    case .passed: .passed
    case .wrongAnswer: .wrongAnswer
    case .presentationError: .presentationError
    case .runtimeError: .runtimeError
    case .syntaxError: .syntaxError
    case .timeout: .timeout
    case .memoryLimit: .memoryLimit
    case .outputLimit: .outputLimit
    case .violation: .violation
    case .tamper: .tamper
    case .infrastructureError: .infrastructureError
    }
  }

  /// The kinds, with their names in reports, journals and the store.
  public enum Kind: String, Vocabulary, CodingKeyRepresentable {
    case passed
    case wrongAnswer = "wrong_answer"
    case presentationError = "presentation_error"
    case runtimeError = "runtime_error"
    case syntaxError = "syntax_error"
    case timeout
    case memoryLimit = "memory_limit"
    case outputLimit = "output_limit"
    case violation
    case tamper
    case infrastructureError = "infrastructure_error"

    public static let vocabulary = "verdict kind"
  }

  /// A line for people and for a policy's feedback.
  public var detail: String {
    switch self {
    case .passed: "passed"
    case .wrongAnswer(let expected, let actual): "expected \(expected), got \(actual)"
    case .presentationError(let expected, let actual): "presentation: expected \(expected), got \(actual)"
    case .runtimeError(let type, let message, let line):
      "\(type): \(message)" + (line.map { " (line \($0))" } ?? "")
    case .syntaxError(let message, let line): "SyntaxError: \(message)" + (line.map { " (line \($0))" } ?? "")
    case .timeout: "time limit exceeded"
    case .memoryLimit: "memory limit exceeded"
    case .outputLimit: "output limit exceeded"
    case .violation(let call): "forbidden system call: \(call)"
    case .tamper(let what): "tampering: \(what)"
    case .infrastructureError(let what): "infrastructure error: \(what)"
    }
  }
}

extension TestVerdict {
  /// The verdict's fields, flat, for storage: what `init(kind:...)` reads back.
  public var fields: (expected: String?, actual: String?, errorType: String?, message: String?, line: Int?) {
    switch self {
    case .wrongAnswer(let expected, let actual), .presentationError(let expected, let actual):
      (expected, actual, nil, nil, nil)
    case .runtimeError(let type, let message, let line): (nil, nil, type, message, line)
    case .syntaxError(let message, let line): (nil, nil, nil, message, line)
    case .violation(let what), .tamper(let what), .infrastructureError(let what): (nil, nil, nil, what, nil)
    case .passed, .timeout, .memoryLimit, .outputLimit: (nil, nil, nil, nil, nil)
    }
  }

  /// A verdict from its stored fields.
  public init(
    kind: Kind, expected: String? = nil, actual: String? = nil, errorType: String? = nil, message: String? = nil,
    line: Int? = nil
  ) {
    switch kind {
    case .passed: self = .passed
    case .wrongAnswer: self = .wrongAnswer(expected: expected ?? "", actual: actual ?? "")
    case .presentationError: self = .presentationError(expected: expected ?? "", actual: actual ?? "")
    case .runtimeError: self = .runtimeError(type: errorType ?? "", message: message ?? "", line: line)
    case .syntaxError: self = .syntaxError(message: message ?? "", line: line)
    case .timeout: self = .timeout
    case .memoryLimit: self = .memoryLimit
    case .outputLimit: self = .outputLimit
    case .violation: self = .violation(message ?? "")
    case .tamper: self = .tamper(message ?? "")
    case .infrastructureError: self = .infrastructureError(message ?? "")
    }
  }
}
