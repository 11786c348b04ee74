import Judge
import Sandbox
import Suites
import TestSupport
import Testing
import Values

/// The equality rule as the judge applies it to what a candidate returned
/// through the sandbox: the red team's loose comparisons (an infinity for
/// any float, NFD for NFC, a lone surrogate for U+FFFD) fail, and the
/// values the rule accepts pass. (The rule itself is proven against a
/// Python reference in ValuesTests.)
@Suite(.timeLimit(.minutes(5))) struct EqualityThroughJudgeTests {
  struct Row: Sendable, CustomStringConvertible {
    let expected: Value
    let returned: String
    let passes: Bool
    var description: String { "\(expected.pythonLiteral) vs \(returned)" }
  }

  static let rows: [Row] = [
    Row(expected: .float(1.0), returned: "float('inf')", passes: false),
    Row(expected: .float(-1e300), returned: "float('-inf')", passes: false),
    Row(expected: .float(.infinity), returned: "float('inf')", passes: true),
    Row(expected: .float(.infinity), returned: "1e308", passes: false),
    Row(expected: .float(1.0), returned: "1.0 + 1e-12", passes: true),
    Row(expected: .float(1.0), returned: "1.0 + 1e-6", passes: false),
    Row(expected: .float(.nan), returned: "float('nan')", passes: true),
    Row(expected: .float(1.0), returned: "float('nan')", passes: false),
    Row(expected: .float(0.0), returned: "-0.0", passes: true),
    Row(expected: .str("\u{e9}"), returned: "'e\\u0301'", passes: false),
    Row(expected: .str("\u{e9}"), returned: "'\\u00e9'", passes: true),
    Row(expected: Value.string(codePoints: [0xD800])!, returned: "'\\ud800'", passes: true),
    Row(expected: .str("\u{FFFD}"), returned: "'\\ud800'", passes: false),
    Row(expected: .list([.str("\u{FFFD}")]), returned: "['\\udfff']", passes: false),
    Row(expected: .int(1), returned: "True", passes: false),
    Row(expected: .int(1), returned: "1.0", passes: false),
    Row(expected: .float(1.0), returned: "1", passes: false),
    Row(expected: .tuple([.int(1)]), returned: "[1]", passes: false),
    Row(expected: .set([.float(1.0)]), returned: "{1.0000000001}", passes: false),
    Row(expected: .dict([.init(.int(1), .str("a"))]), returned: "{1.0: 'a'}", passes: false),
    Row(expected: .bigInt("123456789012345678901234567890"), returned: "123456789012345678901234567890", passes: true),
    Row(expected: .set([.float(.nan), .float(.nan)]), returned: "{float('nan'), float('nan')}", passes: true),
  ]

  @Test("Returned values are judged by the documented rule", arguments: rows)
  func row(_ row: Row) async throws {
    let task = CodingTask(
      id: "equality", prompt: "Return the value.", entryPoint: "f", signature: nil, solution: nil,
      tests: [.data([], row.expected)], publicCount: 0, origin: Origin(file: "memory", format: .crucible))
    let judge = Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 2)
    let judgement = try await judge.judge("def f():\n    return \(row.returned)\n", for: task)
    #expect(judgement.results.count == 1)
    #expect((judgement.results.first?.verdict == .passed) == row.passes, "\(judgement.results.map(\.verdict.detail))")
    #expect(judgement.results.allSatisfy { $0.verdict.kind == .passed || $0.verdict.kind == .wrongAnswer })
  }
}
