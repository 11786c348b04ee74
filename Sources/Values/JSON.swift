/// A JSON document as parsed: numbers keep their spelling, so `1` (an int)
/// and `1.0` (a float) stay apart, and objects keep their key order.
public indirect enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  /// The number as written; `isInteger` when it has no fraction or exponent.
  case number(String, isInteger: Bool)
  case string(String)
  case array([JSON])
  case object([(key: String, value: JSON)])

  public static func == (a: JSON, b: JSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x, let i), .number(let y, let j)): return x == y && i == j
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// The value of `key` in an object.
  public subscript(key: String) -> JSON? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  /// A short name of the kind, for messages.
  public var kind: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number(_, let integer): integer ? "an integer" : "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// Where a JSON text is malformed.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String
  public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSON {
  /// Parses one JSON value (RFC 8259, plus Python's `NaN`, `Infinity` and
  /// `-Infinity`, which `json.dumps` writes for floats). Nesting is limited
  /// to 512 levels. A `\u` escape of a lone surrogate (which `json.dumps`
  /// writes for a Python str that is not valid Unicode) is an error: no
  /// string can hold it, and replacing it would change the text.
  public static func parse(_ text: String) throws(JSONError) -> JSON {
    var parser = Parser(Array(text.utf8))
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    if parser.index < parser.bytes.count { throw parser.error("unexpected text after the value") }
    return value
  }

  /// The compact JSON text of this value.
  public var text: String {
    var out: [UInt8] = []
    write(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Writes UTF-8 bytes: a string's text is valid UTF-8, and only ASCII
  /// bytes are ever escaped, so whole runs of it are copied as they are
  /// (a standard-input task's spec holds megabytes of test input; a
  /// character at a time was most of the judge's own time).
  func write(to out: inout [UInt8]) {
    switch self {
    case .null: out += "null".utf8
    case .bool(let b): out += (b ? "true" : "false").utf8
    case .number(let lexeme, _): out += lexeme.utf8
    case .string(let s): JSON.quote(s, into: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        item.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (i, member) in members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        JSON.quote(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        member.value.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  static func quote(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { bytes in
      out.append(UInt8(ascii: "\""))
      var run = 0
      for index in bytes.indices {
        let byte = bytes[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        out += bytes[run..<index]
        switch byte {
        case UInt8(ascii: "\""): out += #"\""#.utf8
        case UInt8(ascii: "\\"): out += #"\\"#.utf8
        case UInt8(ascii: "\n"): out += #"\n"#.utf8
        case UInt8(ascii: "\r"): out += #"\r"#.utf8
        case UInt8(ascii: "\t"): out += #"\t"#.utf8
        default:
          let hex = String(byte, radix: 16)
          out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
        }
        run = index + 1
      }
      out += bytes[run...]
      out.append(UInt8(ascii: "\""))
    }
  }
}

private struct Parser {
  let bytes: [UInt8]
  var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func error(_ message: String) -> JSONError {
    var line = 1
    var column = 1
    for byte in bytes[0..<min(index, bytes.count)] {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return JSONError(line: line, column: column, message: message)
  }

  mutating func skipSpace() {
    while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
  }

  mutating func expect(_ word: String) throws(JSONError) {
    let w = Array(word.utf8)
    guard bytes.count - index >= w.count, Array(bytes[index..<index + w.count]) == w else {
      throw error("unexpected text (expected \(word))")
    }
    index += w.count
  }

  mutating func value(depth: Int) throws(JSONError) -> JSON {
    guard depth < 512 else { throw error("nesting deeper than 512 levels") }
    guard index < bytes.count else { throw error("unexpected end of text") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    case UInt8(ascii: "N"):
      try expect("NaN")
      return .number("NaN", isInteger: false)
    case UInt8(ascii: "I"):
      try expect("Infinity")
      return .number("Infinity", isInteger: false)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
    }
  }

  mutating func object(depth: Int) throws(JSONError) -> JSON {
    index += 1
    var members: [(key: String, value: JSON)] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
      let key = try string()
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
      index += 1
      skipSpace()
      members.append((key, try value(depth: depth + 1)))
      skipSpace()
      guard index < bytes.count else { throw error("unterminated object") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      throw error("expected ',' or '}' in an object")
    }
  }

  mutating func array(depth: Int) throws(JSONError) -> JSON {
    index += 1
    var items: [JSON] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value(depth: depth + 1))
      skipSpace()
      guard index < bytes.count else { throw error("unterminated array") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      throw error("expected ',' or ']' in an array")
    }
  }

  mutating func number() throws(JSONError) -> JSON {
    let start = index
    if bytes[index] == UInt8(ascii: "-") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
        try expect("Infinity")
        return .number("-Infinity", isInteger: false)
      }
    }
    var integer = true
    func digits() -> Int {
      let s = index
      while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
      return index - s
    }
    guard digits() > 0 else { throw error("expected digits") }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      integer = false
      guard digits() > 0 else { throw error("expected digits after '.'") }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      integer = false
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard digits() > 0 else { throw error("expected digits in the exponent") }
    }
    return .number(String(decoding: bytes[start..<index], as: UTF8.self), isInteger: integer)
  }

  mutating func string() throws(JSONError) -> String {
    index += 1
    var scalars = String.UnicodeScalarView()
    var chunkStart = index
    func flush(_ parser: Parser, _ scalars: inout String.UnicodeScalarView, _ from: Int, _ to: Int) {
      scalars.append(contentsOf: String(decoding: parser.bytes[from..<to], as: UTF8.self).unicodeScalars)
    }
    while true {
      guard index < bytes.count else { throw error("unterminated string") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        flush(self, &scalars, chunkStart, index)
        index += 1
        return String(scalars)
      }
      if byte < 0x20 { throw error("control character in a string") }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      flush(self, &scalars, chunkStart, index)
      index += 1
      guard index < bytes.count else { throw error("unterminated escape") }
      let escape = bytes[index]
      index += 1
      switch escape {
      case UInt8(ascii: "\""): scalars.append("\"")
      case UInt8(ascii: "\\"): scalars.append("\\")
      case UInt8(ascii: "/"): scalars.append("/")
      case UInt8(ascii: "b"): scalars.append("\u{8}")
      case UInt8(ascii: "f"): scalars.append("\u{c}")
      case UInt8(ascii: "n"): scalars.append("\n")
      case UInt8(ascii: "r"): scalars.append("\r")
      case UInt8(ascii: "t"): scalars.append("\t")
      case UInt8(ascii: "u"):
        let escapeStart = index - 2
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        {
          let save = index
          index += 2
          let low = try hex4()
          if (0xDC00..<0xE000).contains(low) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else {
            index = save
          }
        }
        guard let scalar = Unicode.Scalar(code) else {
          // A Swift string cannot hold it, and replacing it would change the
          // text; a str with lone surrogates travels as {"str": [code points]}.
          index = escapeStart
          let what = code < 0xDC00 ? "a high surrogate not followed by a low one" : "a low surrogate after no high one"
          throw error("lone surrogate \\u\(String(code, radix: 16)) in a string (\(what)): not Unicode text")
        }
        scalars.append(scalar)
      default: throw error("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
      }
      chunkStart = index
    }
  }

  mutating func hex4() throws(JSONError) -> UInt32 {
    guard bytes.count - index >= 4 else { throw error("short \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[index]
      let digit: UInt32
      switch b {
      case 0x30...0x39: digit = UInt32(b - 0x30)
      case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
      case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value * 16 + digit
      index += 1
    }
    return value
  }
}
