import Suites
import Support
import Verdicts

/// The built-in checkers: a program's output (bytes it wrote, untrusted)
/// against a test's expected output, on the trusted side, outside the jail.
enum OutputCheck {
  /// What a checker found.
  enum Finding: Equatable {
    case accepted
    /// Where they differ, for people and for a policy's feedback.
    case wrong(expected: String, actual: String)
    /// The tokens are right; the layout is not what the checker requires.
    case presentation(expected: String, actual: String)
  }

  static func check(_ actual: [UInt8], expected: String, checker: OutputChecker) -> Finding {
    let expectedBytes = Array(expected.utf8)
    switch checker {
    case .tokens:
      return compareTokens(tokens(actual), tokens(expectedBytes), tolerance: nil)
    case .float(let tolerance):
      return compareTokens(tokens(actual), tokens(expectedBytes), tolerance: tolerance)
    case .exact:
      if actual == expectedBytes { return .accepted }
      return layoutOrWrong(actual, expectedBytes)
    case .lines:
      if lines(actual) == lines(expectedBytes) { return .accepted }
      return layoutOrWrong(actual, expectedBytes)
    case .program:
      // Decided by the task's checker program (ProgramChecker); never here.
      return .wrong(expected: "", actual: "the task's checker program did not run")
    }
  }

  /// `exact` or `lines` failed: a presentation error when the tokens are
  /// equal, else a wrong answer.
  static func layoutOrWrong(_ actual: [UInt8], _ expected: [UInt8]) -> Finding {
    switch compareTokens(tokens(actual), tokens(expected), tolerance: nil) {
    case .accepted:
      return .presentation(expected: shown(expected), actual: shown(actual))
    case let other: return other
    }
  }

  static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

  /// Whitespace-separated tokens (ASCII whitespace, as judges split).
  static func tokens(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    bytes.split(whereSeparator: isSpace)
  }

  /// Lines without their trailing whitespace, trailing blank lines dropped.
  static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var out = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
      var line = line
      while let last = line.last, isSpace(last) { line = line.dropLast() }
      return line
    }
    while out.last?.isEmpty == true { out.removeLast() }
    return out
  }

  static func compareTokens(_ actual: [ArraySlice<UInt8>], _ expected: [ArraySlice<UInt8>], tolerance: Double?)
    -> Finding
  {
    for index in 0..<min(actual.count, expected.count) where actual[index] != expected[index] {
      if let tolerance, close(actual[index], expected[index], tolerance) { continue }
      return .wrong(
        expected: around(expected, index), actual: around(actual, index) + " (token \(index + 1) differs)")
    }
    if actual.count == expected.count { return .accepted }
    let index = min(actual.count, expected.count)
    return .wrong(
      expected: around(expected, index),
      actual: around(actual, index) + " (\(actual.count) tokens, \(expected.count) expected)")
  }

  /// Both are finite numbers within an absolute or a relative `tolerance`
  /// (as testlib's doubleCompare).
  static func close(_ actual: ArraySlice<UInt8>, _ expected: ArraySlice<UInt8>, _ tolerance: Double) -> Bool {
    guard actual.count < 400, isDecimal(actual), isDecimal(expected),
      let a = Double(String(decoding: actual, as: UTF8.self)),
      let e = Double(String(decoding: expected, as: UTF8.self)), a.isFinite, e.isFinite
    else { return false }
    let difference = abs(a - e)
    return difference <= tolerance || difference <= tolerance * abs(e)
  }

  /// A number as judges write one: ASCII, `[+-]digits[.digits][e[+-]digits]`
  /// (the point may lead or end, not both). Swift's `Double(_:)` also reads
  /// hex floats (`0x1p3`), `nan` and `inf`, and stops at a NUL byte
  /// (`0.5\0junk`), none of which a judge takes for a number.
  static func isDecimal(_ token: ArraySlice<UInt8>) -> Bool {
    var rest = token[...]
    func digits() -> Int {
      let count = rest.prefix(while: { (48...57).contains($0) }).count
      rest = rest.dropFirst(count)
      return count
    }
    if let sign = rest.first, sign == 43 || sign == 45 { rest = rest.dropFirst() }
    var mantissa = digits()
    if rest.first == 46 {
      rest = rest.dropFirst()
      mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if let e = rest.first, e == 101 || e == 69 {
      rest = rest.dropFirst()
      if let sign = rest.first, sign == 43 || sign == 45 { rest = rest.dropFirst() }
      guard digits() > 0 else { return false }
    }
    return rest.isEmpty
  }

  /// The tokens around `index`, shortened, made safe to show.
  static func around(_ tokens: [ArraySlice<UInt8>], _ index: Int) -> String {
    if tokens.isEmpty { return "(no output)" }
    let start = max(0, index - 3)
    let end = min(tokens.count, index + 4)
    var text = tokens[start..<end].map { String(decoding: $0.prefix(100), as: UTF8.self) }.joined(separator: " ")
    if start > 0 { text = "... " + text }
    if end < tokens.count { text += " ..." }
    return SafeText.visible(text, limit: 400)
  }

  /// The start of an output, with its line breaks visible.
  static func shown(_ bytes: [UInt8]) -> String {
    bytes.isEmpty ? "(no output)" : SafeText.visible(String(decoding: bytes.prefix(300), as: UTF8.self), limit: 300)
  }
}
