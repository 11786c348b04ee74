import Foundation
import Sandbox
import Suites
import Support
import Values
import Verdicts

/// From a test's record (or its absence) and the run's end to a verdict.
///
/// The trust boundary: every record comes from the harness's trusted side,
/// which derives it from its own observations; an outcome is only accepted
/// for the kind of test that can have it (a data test is decided here, by
/// comparing the returned value with the expected one, which never entered
/// the jail; only a statement test can be `passed` by the trusted side).
/// Text that a candidate wrote (exception types and messages) is escaped
/// here, once, so that every consumer (terminal, store, reports) gets text
/// that is safe to show.
enum VerdictRules {
  static let signalKill: Int = 9
  static let signalCPU: Int = 24

  static func verdict(
    for index: Int, in task: CodingTask, records: Records, run: SandboxResult, checked: [Int: TestVerdict] = [:]
  ) -> TestVerdict {
    if let tamper = records.tamper { return .tamper(tamper) }
    guard let record = records.tests[index] else { return missing(records: records, run: run) }
    let fields = record.fields
    func text(_ key: String) -> String {
      if case .string(let s)? = fields[key] { return candidateText(s) }
      return ""
    }
    func number(_ key: String) -> Int? {
      if case .number(let lexeme, isInteger: true)? = fields[key] { return Int(lexeme) }
      return nil
    }
    let test = task.tests[index].body
    switch (record.outcome, test) {
    case (.returned, .data(_, let expected)):
      guard let json = fields["value"], let actual = try? Value(json: json) else {
        return .tamper("a returned value that does not decode")
      }
      return expected.accepts(actual)
        ? .passed
        : .wrongAnswer(expected: shorten(expected.pythonLiteral), actual: candidateText(shorten(actual.pythonLiteral)))
    case (.passed, .statement):
      return .passed
    case (.exited, .io(_, let expected)):
      guard let output = output(of: record) else { return .tamper("an output that does not decode") }
      guard number("code") == 0 else {
        return .runtimeError(
          type: "SystemExit", message: "the program exited with code \(number("code") ?? -1)", line: nil)
      }
      guard let checker = task.io?.checker else { return .tamper("an output record for a task that is not a program") }
      if case .program = checker {
        return checked[index] ?? .infrastructureError("the task's checker did not judge this test")
      }
      switch OutputCheck.check(output, expected: expected, checker: checker) {
      case .accepted: return .passed
      case .wrong(let expected, let actual): return .wrongAnswer(expected: expected, actual: actual)
      case .presentation(let expected, let actual): return .presentationError(expected: expected, actual: actual)
      }
    case (.exited, _), (.outputLimit, .data), (.outputLimit, .statement):
      return .tamper("a \(record.outcome.rawValue) record for a test that is not a program's")
    case (.returned, .io), (.passed, .io), (.failed, .io), (.testError, .io), (.setupError, .io), (.unencodable, .io):
      return .tamper("a \(record.outcome.rawValue) record for a program's test")
    case (.outputLimit, .io):
      return .outputLimit
    case (.raised, .io):
      // The program's own account of its uncaught exception.
      if text("type") == "MemoryError" { return .memoryLimit }
      return .runtimeError(type: text("type"), message: text("message"), line: number("line"))
    case (.returned, .statement), (.passed, .data):
      return .tamper("a \(record.outcome.rawValue) record for a test of another kind")
    case (.failed, .statement), (.testError, .statement):
      return statementFailure(record, index: index, task: task)
    case (.failed, .data), (.testError, .data), (.setupError, .data):
      return .tamper("a \(record.outcome.rawValue) record for a data test")
    case (.setupError, .statement):
      return .infrastructureError("the task's own test code failed: \(text("type")): \(text("message"))")
    case (.unencodable, _):
      return .wrongAnswer(
        expected: expectedText(task, index), actual: "<\(text("type")) object: \(text("message"))>")
    case (.raised, _):
      return .runtimeError(type: text("type"), message: text("message"), line: number("line"))
    case (.timeout, _):
      return .timeout
    case (.died, _):
      return died(pid: number("pid"), signal: number("signal"), exitCode: number("exit_code"), run: run)
    case (.syntaxError, _):
      return .syntaxError(message: text("message"), line: number("line"))
    case (.loadError, _):
      return .runtimeError(
        type: text("type"), message: text("message") + " (while loading the program)", line: number("line"))
    case (.missing, _):
      return .runtimeError(type: "NameError", message: "the program defines no function \(task.entryPoint)", line: nil)
    case (.tamper, _):
      return .tamper(text("reason"))
    case (.startFailed, _):
      // The job's process and memory limits are the candidate's to spend.
      return .runtimeError(type: "ResourceError", message: text("reason"), line: nil)
    }
  }

  /// A statement test that failed: the assertion, and the last call the
  /// statement made, as the trusted side recorded it.
  static func statementFailure(_ record: Records.Test, index: Int, task: CodingTask) -> TestVerdict {
    let fields = record.fields
    var actual = "the assertion failed"
    if record.outcome == .testError, case .string(let type)? = fields["type"],
      case .string(let message)? = fields["message"]
    {
      actual = candidateText("\(type): \(shorten(message))")
    }
    if let call = fields["call"], let args = call["args"], let value = call["value"],
      let returned = try? Value(json: value), case .list(let argValues)? = try? Value(json: args)
    {
      let shown = argValues.map(\.pythonLiteral).joined(separator: ", ")
      actual += "; \(task.entryPoint)(\(shorten(shown))) returned \(candidateText(shorten(returned.pythonLiteral)))"
    }
    return .wrongAnswer(expected: shorten(expectedText(task, index)), actual: actual)
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
      if records.truncated { return .tamper("the result channel overflowed its cap") }
      if records.done { return .infrastructureError("the harness skipped the test") }
      // With two users, no candidate can end the trusted side: the task's
      // own test code did (or the harness failed). With one, a candidate
      // could have.
      if run.layers.contains(.trustedUser) {
        return .infrastructureError(
          "the test runner ended before reporting (\(run.termination)): the task's own test code or the harness")
      }
      return .tamper("the test runner ended before reporting (\(run.termination))")
    }
  }

  static func died(pid: Int?, signal: Int?, exitCode: Int?, run: SandboxResult) -> TestVerdict {
    if let pid, run.violationPIDs.contains(Int32(truncatingIfNeeded: pid)), case .violation(let call) = run.termination
    {
      return .violation(call.description)
    }
    if let pid, run.violationPIDs.contains(Int32(truncatingIfNeeded: pid)) {
      return .violation("a forbidden system call")
    }
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
    case .io(_, let output): OutputCheck.shown(Array(output.utf8))
    }
  }

  /// What a program wrote to stdout on a test, as its record carries it.
  static func output(of record: Records.Test) -> [UInt8]? {
    guard case .string(let encoded)? = record.fields["stdout"], let data = Data(base64Encoded: encoded) else {
      return nil
    }
    return Array(data)
  }

  /// The outputs of the tests a program ran to exit code 0: what a task's
  /// checker program judges.
  static func cleanOutputs(_ records: Records, indices: [Int]) -> [Int: [UInt8]] {
    var outputs: [Int: [UInt8]] = [:]
    for index in indices {
      guard let record = records.tests[index], record.outcome == .exited,
        case .number("0", isInteger: true)? = record.fields["code"], let output = output(of: record)
      else { continue }
      outputs[index] = output
    }
    return outputs
  }

  static func shorten(_ s: String, _ limit: Int = 300) -> String {
    s.count <= limit ? s : String(s.prefix(limit - 3)) + "..."
  }

  /// What a candidate wrote, made safe to show: bounded, on one line, every
  /// control character and escape sequence written visibly.
  static func candidateText(_ s: String) -> String { SafeText.visible(s, limit: 2000) }
}
