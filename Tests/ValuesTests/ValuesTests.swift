import Foundation
import Testing
import Values

@Suite(.timeLimit(.minutes(10))) struct JSONTests {
  @Test("Numbers keep int and float apart, and any size")
  func numbers() throws {
    let parsed = try JSON.parse("[1, 1.0, -0, 1e3, 123456789012345678901234567890, NaN, -Infinity]")
    guard case .array(let items) = parsed else {
      Issue.record("not an array")
      return
    }
    let values = try items.map { try Value(json: $0) }
    #expect(values[0] == .int(1))
    #expect(values[1] == .float(1.0))
    #expect(values[2] == .int(0))
    #expect(values[3] == .float(1000))
    #expect(values[4] == .bigInt("123456789012345678901234567890"))
    #expect(values[5].pythonLiteral == "nan")
    #expect(values[6] == .float(-.infinity))
  }

  @Test(
    "Errors name the line and column",
    arguments: [
      ("{\n  \"a\": [1, 2,\n}", 3), ("[1, 2", 1), ("{\"a\" 1}", 1), ("\"\\q\"", 1), ("[01x]", 1),
    ])
  func errors(_ text: String, _ line: Int) {
    #expect {
      try JSON.parse(text)
    } throws: { error in
      (error as? JSONError)?.line == line
    }
  }

  @Test("Strings: escapes, surrogate pairs, unicode")
  func strings() throws {
    #expect(try JSON.parse(#""a\n\"\u00e9\ud83d\ude00""#) == .string("a\n\"é😀"))
    let round = JSON.string("tab\t \u{1} é")
    #expect(try JSON.parse(round.text) == round)
  }

  @Test("Strings are written byte for byte: escapes at ASCII only, whatever the characters around them")
  func writtenStrings() throws {
    // A quote with a combining mark, CR LF (one Character in Swift), and
    // control characters between multi-byte ones: the escapes fall inside
    // grapheme clusters, never inside a scalar.
    let text = "\"\u{301}a\r\nb\\\u{0}é\u{1f}😀\u{7f}\u{2028}"
    let json = JSON.object([
      ("k\"\n", .string(text)), ("n", .array([.null, .bool(true), .number("1", isInteger: true)])),
    ])
    #expect(
      json.text == #"{"k\"\n":"\"\#u{301}a\r\nb\\\u0000é\u001f😀\#u{7f}\#u{2028}","n":[null,true,1]}"#)
    #expect(try JSON.parse(json.text) == json)
    let long = String(repeating: "12 345\n", count: 50_000)
    #expect(JSON.string(long).text == "\"" + String(repeating: #"12 345\n"#, count: 50_000) + "\"")
  }

  @Test("Deep nesting is refused, not a crash")
  func deep() {
    let text = String(repeating: "[", count: 100_000)
    #expect(throws: JSONError.self) { try JSON.parse(text) }
  }
}

@Suite(.timeLimit(.minutes(10))) struct ValueTests {
  static let samples: [Value] = [
    .none, .bool(true), .int(-3), .bigInt("-99999999999999999999"), .float(0.1), .float(1e16), .float(-2.5e-7),
    .str("it's \"q\"\n"), .bytes([0, 39, 65, 255]), .list([.int(1), .list([])]), .tuple([.int(1)]),
    .tuple([]), .set([.int(2), .int(1)]), .set([]), .frozenset([.str("x")]),
    .dict([.init(.str("a"), .list([.int(1)])), .init(.tuple([.int(1), .int(2)]), .none)]),
  ]

  @Test("Tagged JSON round-trips every type")
  func roundTrip() throws {
    for value in Self.samples {
      let back = try Value(json: try JSON.parse(value.json.text))
      #expect(back == value, "\(value.pythonLiteral)")
    }
  }

  @Test("Strict comparison: types must match; floats within 1e-9; sets and dicts ignore order")
  func accepts() {
    #expect(!Value.int(1).accepts(.float(1)))
    #expect(!Value.int(1).accepts(.bool(true)))
    #expect(!Value.list([.int(1)]).accepts(.tuple([.int(1)])))
    #expect(Value.float(0.3).accepts(.float(0.1 + 0.2)))
    #expect(!Value.float(0.3).accepts(.float(0.3001)))
    #expect(Value.set([.int(1), .int(2)]).accepts(.set([.int(2), .int(1)])))
    #expect(!Value.set([.int(1), .int(1)]).accepts(.set([.int(1), .int(2)])))
    #expect(
      Value.dict([.init(.str("a"), .int(1)), .init(.str("b"), .int(2))])
        .accepts(.dict([.init(.str("b"), .int(2)), .init(.str("a"), .int(1))])))
    #expect(Value.float(.nan).accepts(.float(.nan)))
  }

  @Test("Hand-written dicts: a plain object is a dict with string keys")
  func plainObjects() throws {
    let value = try Value(json: try JSON.parse(#"{"a": 1, "b": {"tuple": [1, 2]}}"#))
    #expect(value == .dict([.init(.str("a"), .int(1)), .init(.str("b"), .tuple([.int(1), .int(2)]))]))
  }

  /// Python itself is the reference for `repr`.
  @Test("Python literals match Python's repr")
  func pythonRepr() throws {
    var floats: [Double] = [
      0.1, 1e16, 1e15, 123456789.0, 1e-5, 1e-4, 0.0001234, .leastNonzeroMagnitude, 1.7976931348623157e308, -0.0, 2.5,
      100.0,
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<300 {
      floats.append(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))
      floats.append(Double.random(in: -1e6...1e6))
    }
    let values: [Value] =
      floats.map { .float($0) } + Self.samples
      + [.str("\u{0}\u{7f}\u{85}\u{a0}é\u{2028}\u{1F600}\u{E000}"), .str("'"), .str("\"'")]
    let program = "import sys, json\nfor line in sys.stdin:\n    print(repr(eval(line)))\n"
    let input = values.map(\.pythonLiteral).joined(separator: "\n") + "\n"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-I", "-S", "-c", program]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(lines.count == values.count)
    for (value, line) in zip(values, lines) where !(value.pythonLiteral.hasPrefix("{") && value.typeName == "set") {
      #expect(value.pythonLiteral == line)
    }
  }
}
