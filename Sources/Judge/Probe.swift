import Foundation
import Sandbox
import Suites
import Support
import Values

/// What a program did with one input that has no expected output: the key
/// that behaviour clustering compares. Built from the trusted side's
/// records like a verdict, but never shown: a returned value is kept as
/// decoded data, an exception by its type's name (escaped, cut short), so
/// two programs agree exactly when they returned equal values or failed
/// the same way.
public enum Behaviour: Sendable, Hashable {
  case returned(Value)
  /// A standard-input program's output, as whitespace-separated tokens.
  case printed([String])
  case raised(String)
  case timeout
  /// Anything else that ended the input (a crash, a tamper, a limit), by
  /// the harness's name for it.
  case failed(String)
}

/// Runs a program on inputs with no expected outputs: how candidates are
/// told apart when every one of them passes the task's public tests.
public protocol BehaviourProbe: Sendable {
  /// One behaviour per input, in order.
  func probe(_ program: String, for task: CodingTask, inputs: [TestCase.Body]) async throws -> [Behaviour]
}

extension Judge: BehaviourProbe {
  /// Runs `program` on `inputs` (a function task's arguments as `.data`
  /// bodies, whose expected value is ignored, or a program's `.io` inputs)
  /// in one sandbox job, with the task's prompt code and limits. Faults of
  /// the sandbox make every input `.failed`; this throws only when
  /// cancelled or when the pool is shut down.
  public func probe(_ program: String, for task: CodingTask, inputs: [TestCase.Body]) async throws -> [Behaviour] {
    guard !inputs.isEmpty else { return [] }
    var probed = task
    probed.tests = inputs.map { TestCase($0) }
    probed.publicCount = inputs.count
    var judge = self
    judge.stopAtFirstFailure = false
    let indices = Array(inputs.indices)
    switch try await judge.execute(program, for: probed, indices: indices) {
    case .refused(let verdict):
      return indices.map { _ in .failed(verdict.kind.rawValue) }
    case .ran(let records, let run):
      if records.tamper != nil { return indices.map { _ in .failed("tamper") } }
      if case .violation = run.termination { return indices.map { _ in .failed("violation") } }
      return indices.map { index in
        guard let record = records.tests[index] else { return .failed("missing") }
        switch record.outcome {
        case .returned:
          guard let json = record.fields["value"], let value = try? Value(json: json) else { return .failed("tamper") }
          return .returned(value)
        case .exited:
          guard let output = VerdictRules.output(of: record) else { return .failed("tamper") }
          guard case .number("0", isInteger: true)? = record.fields["code"] else { return .failed("exit") }
          let tokens = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
          return .printed(tokens)
        case .raised:
          if case .string(let type)? = record.fields["type"] { return .raised(SafeText.visible(type, limit: 100)) }
          return .raised("")
        case .timeout:
          return .timeout
        default:
          return .failed(record.outcome.rawValue)
        }
      }
    }
  }
}
