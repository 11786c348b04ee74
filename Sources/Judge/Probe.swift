import Foundation
import Sandbox
import Suites
import Support
import Values

/// What a program did with one input that has no expected output: the key
/// that behaviour clustering compares. Built from the trusted side's
/// records like a verdict, but never shown, and small: a returned value
/// is kept as a digest of its canonical form under the judge's equality
/// (sets and dicts in any order, NaN equal to NaN, `-0.0` to `0.0`,
/// strings by code point, floats to 9 significant digits), a program's
/// output as a digest of its tokens, an exception by its type's name
/// (escaped, cut short). Two programs agree when they returned equal
/// values or failed the same way; a digest collision (not made to resist
/// a crafted one) can only merge two clusters, never change a verdict.
public enum Behaviour: Sendable, Hashable {
  case returned(digest: String)
  /// A standard-input program's output: the digest of its
  /// whitespace-separated tokens.
  case printed(digest: String)
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
  /// CPU seconds per probe input (at most the judge's own limit).
  public static let probeTimeoutSeconds = 1.0
  /// Bytes of returned values one probe job may write.
  static let probeResultBudget = 8 << 20

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
    // Inputs no one checked the sizes of, and answers no one compares
    // with a key: a short limit per input, a small budget for values.
    var judge = self
    judge.stopAtFirstFailure = false
    judge.testTimeoutSeconds = min(testTimeoutSeconds, Self.probeTimeoutSeconds)
    judge.wallFactor = 2
    judge.resultBudgetBytes = Self.probeResultBudget
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
          return .returned(digest: Behaviour.digest(Behaviour.rounded(value).exactKey))
        case .exited:
          guard let output = VerdictRules.output(of: record) else { return .failed("tamper") }
          guard case .number("0", isInteger: true)? = record.fields["code"] else { return .failed("exit") }
          let tokens = output.split { $0 == 0x20 || (0x09...0x0D).contains($0) }
          return .printed(digest: Behaviour.digest(Array(tokens.joined(separator: [0x20]))))
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

extension Behaviour {
  /// The digest of a value's canonical bytes: two FNV-1a hashes, 128 bits.
  public static func digest(_ bytes: [UInt8]) -> String {
    FNV1a.hex(FNV1a.hash(bytes)) + FNV1a.hex(FNV1a.hash([0x5A] + bytes + [UInt8(truncatingIfNeeded: bytes.count)]))
  }

  /// The value with every float rounded to 9 significant digits: values
  /// the judge would accept as equal (within 1e-9) mostly share a key.
  public static func rounded(_ value: Value) -> Value {
    switch value {
    case .float(let x) where x.isFinite: .float(Double(String(format: "%.9g", x)) ?? x)
    case .list(let xs): .list(xs.map(rounded))
    case .tuple(let xs): .tuple(xs.map(rounded))
    case .set(let xs): .set(xs.map(rounded))
    case .frozenset(let xs): .frozenset(xs.map(rounded))
    case .dict(let entries): .dict(entries.map { Value.DictEntry(rounded($0.key), rounded($0.value)) })
    default: value
    }
  }
}
