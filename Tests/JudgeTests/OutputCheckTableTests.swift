import Testing

@testable import Judge
@testable import Suites

/// The built-in checkers against hostile outputs, outside any sandbox: what
/// a program can write that looks like the answer and is not, and layouts
/// that are the answer. Each row: the output's bytes, the expected output,
/// the checker, and whether it is accepted.
@Suite struct OutputCheckTableTests {
  struct Row: CustomTestStringConvertible, Sendable {
    var name: String
    var actual: [UInt8]
    var expected: String
    var checker: OutputChecker
    var accepted: Bool
    var testDescription: String { name }

    init(_ name: String, _ actual: String, _ expected: String, _ checker: OutputChecker, _ accepted: Bool) {
      self.init(name, Array(actual.utf8), expected, checker, accepted)
    }

    init(_ name: String, _ actual: [UInt8], _ expected: String, _ checker: OutputChecker, _ accepted: Bool) {
      (self.name, self.actual, self.expected, self.checker, self.accepted) = (name, actual, expected, checker, accepted)
    }
  }

  static let float = OutputChecker.float(tolerance: 1e-6)

  static let rows: [Row] = [
    // Numbers a judge would not read, though Swift's Double(_:) does.
    Row("float: a hex float is not a number", "0x1p3\n", "8\n", float, false),
    Row("float: a hex integer is not a number", "0x8\n", "8\n", float, false),
    Row("float: a NUL byte does not end a number", Array("8\u{0}junk\n".utf8), "8\n", float, false),
    Row("float: nan is no number", "nan\n", "0.5\n", float, false),
    Row("float: inf is not within tolerance of a large number", "inf\n", "1e308\n", float, false),
    Row("float: an overflowing exponent is inf", "1e400\n", "1e308\n", float, false),
    Row("float: Arabic-Indic digits are no digits", "٣\n", "3\n", float, false),
    Row("float: fullwidth digits are no digits", "３\n", "3\n", float, false),
    Row("float: a bare exponent", "1e\n", "1\n", float, false),
    Row("float: a lone point", ".\n", "0\n", float, false),
    Row("float: two signs", "--1\n", "1\n", float, false),
    Row("float: an underscore between digits", "1_000\n", "1000\n", float, false),
    Row("float: a BOM before the number", "\u{FEFF}0.5\n", "0.5\n", float, false),
    // Spellings of the right value that judges accept.
    Row("float: 1e-7 is within 1e-6 of 0", "1e-7\n", "0\n", float, true),
    Row("float: -0 is 0", "-0\n", "0\n", float, true),
    Row("float: a tiny exponent is 0", "1e-999999999\n", "0\n", float, true),
    Row("float: a leading plus, a trailing point, a leading point", "+8 5. .5\n", "8 5 0.5\n", float, true),
    Row("float: an exponent for an integer", "1E+5\n", "100000\n", float, true),
    Row("float: a word must match exactly", "Yes\n", "YES\n", float, false),
    // Whitespace: ASCII only separates tokens.
    Row("tokens: a no-break space is not a separator", "1\u{A0}2\n", "1 2\n", .tokens, false),
    Row("tokens: an ideographic space is not a separator", "1\u{3000}2\n", "1 2\n", .tokens, false),
    Row("tokens: CRLF and tabs separate", "1\t2\r\n", "1 2\n", .tokens, true),
    Row("tokens: a vertical tab and a form feed separate", "1\u{0B}2\u{0C}\n", "1 2\n", .tokens, true),
    Row("tokens: a BOM is part of the first token", "\u{FEFF}3\n", "3\n", .tokens, false),
    Row("tokens: a NUL is part of a token", Array("3\u{0}\n".utf8), "3\n", .tokens, false),
    Row("tokens: invalid UTF-8 never equals U+FFFD", [0xFF, 0x0A], "\u{FFFD}\n", .tokens, false),
    // Lines: trailing whitespace and blank lines at the end only.
    Row("lines: CRLF is a line end", "a b\r\nc\r\n", "a b\nc\n", .lines, true),
    Row("lines: a bare CR does not end a line", "a\rb\n", "a\nb\n", .lines, false),
    Row("lines: a leading blank line", "\na\n", "a\n", .lines, false),
    Row("lines: trailing blank lines", "a\n\n\n", "a\n", .lines, true),
    Row("exact: CRLF is not LF", "a\r\n", "a\n", .exact, false),
    Row("exact: a missing final newline", "a", "a\n", .exact, false),
  ]

  @Test("Each hostile output: accepted only when it is the answer", arguments: rows)
  func row(_ r: Row) {
    let finding = OutputCheck.check(r.actual, expected: r.expected, checker: r.checker)
    #expect((finding == .accepted) == r.accepted, "\(r.name): \(finding)")
    if case .wrong(let expected, let actual) = finding {
      // What is shown is escaped: no control byte reaches a terminal.
      #expect(!(expected + actual).unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(actual)")
    }
  }
}
