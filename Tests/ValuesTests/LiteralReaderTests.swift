import Testing
import Values

/// Reading Python literals, as a model's tests are read: what Python
/// writes by hand reads as Python reads it, and code is never a literal.
/// (Python's own repr of random values reads back in EqualityPropertyTests.)
@Suite(.timeLimit(.minutes(1))) struct LiteralReaderTests {
  @Test("Literals written by hand read as Python reads them; code is not a literal")
  func handWritten() {
    let table: [(String, Value?)] = [
      ("1_000", .int(1000)), ("-0x1F", .int(-31)), ("0o17", .int(15)), ("0b101", .int(5)), ("007", nil),
      ("1e3", .float(1000)), (".5", .float(0.5)), ("5.", .float(5)), ("- 2", .int(-2)), ("1j", nil),
      (#"'a' "b""#, .str("ab")), (#"r'\n'"#, .str(#"\n"#)), (#"'\x41\u00e9\101'"#, .str("A\u{e9}A")),
      (#"b'\x00a'"#, .bytes([0, 97])), ("'''x'y'''", .str("x'y")), ("(1)", .int(1)), ("(1,)", .tuple([.int(1)])),
      ("()", .tuple([])), ("{}", .dict([])), ("set()", .set([])), ("{1, 2}", .set([.int(1), .int(2)])),
      ("{1: 'a', 1: 'b'}", .dict([.init(.int(1), .str("b"))])), ("frozenset([1])", .frozenset([.int(1)])),
      ("{1, 1, 2}", .set([.int(1), .int(2)])), ("frozenset([1, 1])", .frozenset([.int(1)])),
      ("{'e\u{301}': 1, '\u{e9}': 2}", .dict([.init(.str("e\u{301}"), .int(1)), .init(.str("\u{e9}"), .int(2))])),
      ("float('-inf')", .float(-.infinity)),
      ("[1, [2, (3, None)]]", .list([.int(1), .list([.int(2), .tuple([.int(3), .none])])])),
      ("99999999999999999999", .bigInt("99999999999999999999")), ("True", .bool(true)),
      ("x", nil), ("print(1)", nil), ("__import__('os')", nil), ("[1, 2", nil), ("'abc", nil), ("1 + 1", nil),
      ("Nonex", nil), ("[1] * 3", nil), ("{'a': 1}['a']", nil), ("'\\ud800'", nil),
      (String(repeating: "[", count: 200) + String(repeating: "]", count: 200), nil),
    ]
    for (text, expected) in table {
      let read = PythonLiteralReader.value(text)
      #expect(read?.pythonLiteral == expected?.pythonLiteral, "\(text)")
      #expect((read == nil) == (expected == nil), "\(text)")
    }
  }
}
