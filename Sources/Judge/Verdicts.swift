import Sandbox
import Suites
import Values

/// From a test's record (or its absence) and the run's end to a verdict.
enum Verdicts {
  static let signalKill: Int = 9
  static let signalCPU: Int = 24

  static func verdict(for index: Int, in task: CodingTask, records: Records, run: SandboxResult) -> TestVerdict {
    if let tamper = records.tamper { return .tamper(tamper) }
    guard let record = records.tests[index] else { return missing(records: records, run: run) }
    let f = record.fields
    func text(_ key: String) -> String {
      if case .string(let s)? = f[key] { return s }
      return ""
    }
    func number(_ key: String) -> Int? {
      if case .number(let lexeme, isInteger: true)? = f[key] { return Int(lexeme) }
      return nil
    }
    switch record.status {
    case "returned":
      guard case .data(_, let expected) = task.tests[index].body else {
        return .tamper("a returned value for a statement test")
      }
      guard let json = f["value"], let actual = try? Value(json: json) else {
        return .tamper("a returned value that does not decode")
      }
      return expected.accepts(actual)
        ? .passed : .wrongAnswer(expected: shorten(expected.pythonLiteral), actual: shorten(actual.pythonLiteral))
    case "unencodable":
      return .wrongAnswer(expected: expectedText(task, index), actual: "<\(text("type")) object: \(text("message"))>")
    case "raised":
      return .runtimeError(type: text("type"), message: shorten(text("message")), line: number("line"))
    case "timeout":
      return .timeout
    case "died":
      return died(pid: number("pid"), signal: number("signal"), exitCode: number("exit_code"), run: run)
    case "syntax_error":
      return .syntaxError(message: text("message"), line: number("line"))
    case "load_error":
      return .runtimeError(
        type: text("type"), message: shorten(text("message")) + " (while loading the program)", line: number("line"))
    case "missing":
      return .runtimeError(type: "NameError", message: text("message"), line: nil)
    case "harness_killed":
      return .tamper(text("message"))
    case "passed":
      return .passed
    case "failed", "test_error":
      var actual = record.status == "failed" ? "the assertion failed" : "\(text("type")): \(shorten(text("message")))"
      if case .object? = f["last_call"], let call = f["last_call"], let args = call["args"],
        let reply = call["reply"], case .string(let status)? = reply["status"], status == "returned",
        let value = reply["value"], let returned = try? Value(json: value), let argList = try? Value(json: args),
        case .list(let argValues) = argList
      {
        let shown = argValues.map(\.pythonLiteral).joined(separator: ", ")
        actual += "; \(task.entryPoint)(\(shorten(shown))) returned \(shorten(returned.pythonLiteral))"
      }
      return .wrongAnswer(expected: shorten(expectedText(task, index)), actual: actual)
    case "setup_error":
      return .infrastructureError("the task's own test code failed: \(text("type")): \(text("message"))")
    default:
      return .tamper("a record with an unknown status '\(record.status)'")
    }
  }

  /// No record for the test: the run ended before it, and how it ended says why.
  static func missing(records: Records, run: SandboxResult) -> TestVerdict {
    switch run.termination {
    case .timeout: return .timeout
    case .memoryLimit: return .memoryLimit
    case .outputLimit: return .outputLimit
    case .violation(let call): return .violation(call.description)
    case .setupFailed(let reason): return .infrastructureError("sandbox setup failed: \(reason)")
    case .cancelled: return .infrastructureError("cancelled")
    case .exited, .signaled:
      if records.truncated { return .infrastructureError("the result channel overflowed its cap") }
      if records.done { return .infrastructureError("the harness skipped the test") }
      return .tamper("the test process was killed or exited before reporting (\(run.termination))")
    }
  }

  static func died(pid: Int?, signal: Int?, exitCode: Int?, run: SandboxResult) -> TestVerdict {
    if let pid, run.violationPIDs.contains(Int32(pid)), case .violation(let call) = run.termination {
      return .violation(call.description)
    }
    if let pid, run.violationPIDs.contains(Int32(pid)) { return .violation("a forbidden system call") }
    if signal == signalKill && run.oomKills > 0 { return .memoryLimit }
    if signal == signalCPU { return .timeout }
    if let exitCode {
      return .runtimeError(
        type: "SystemExit", message: "the candidate's process exited with code \(exitCode)", line: nil)
    }
    return .runtimeError(
      type: "Killed", message: "the candidate's process was killed by signal \(signal ?? -1)", line: nil)
  }

  static func expectedText(_ task: CodingTask, _ index: Int) -> String {
    switch task.tests[index].body {
    case .data(_, let expected): shorten(expected.pythonLiteral)
    case .statement(let code): code
    }
  }

  static func shorten(_ s: String, _ limit: Int = 300) -> String {
    s.count <= limit ? s : String(s.prefix(limit - 3)) + "..."
  }
}
