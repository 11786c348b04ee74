/// How one test of a candidate ended: the reward signal everything learns from.
public enum TestVerdict: Sendable, Equatable {
  case passed
  /// The returned value is not the expected one (Python literals, shortened).
  case wrongAnswer(expected: String, actual: String)
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

  /// The kinds, with their names in reports.
  public enum Kind: String, Sendable, CaseIterable, Codable {
    case passed
    case wrongAnswer = "wrong_answer"
    case runtimeError = "runtime_error"
    case syntaxError = "syntax_error"
    case timeout
    case memoryLimit = "memory_limit"
    case outputLimit = "output_limit"
    case violation
    case tamper
    case infrastructureError = "infrastructure_error"
  }

  /// A line for people and for a policy's feedback.
  public var detail: String {
    switch self {
    case .passed: "passed"
    case .wrongAnswer(let expected, let actual): "expected \(expected), got \(actual)"
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
