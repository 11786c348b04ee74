/// The tagged JSON encoding of values, used in task files, in job specs for
/// the harness and in the harness's result records.
///
/// `null`, booleans, strings and arrays (lists) are themselves; a number
/// without fraction or exponent is an `int` of any size, any other number is
/// a `float` (also `NaN`, `Infinity`, `-Infinity`). Other types are objects
/// with one tag: `{"tuple": [...]}`, `{"set": [...]}`, `{"frozenset": [...]}`,
/// `{"bytes": "<hex>"}`, `{"dict": [[key, value], ...]}`, and a str that is
/// not valid Unicode (it holds lone surrogates, which JSON text cannot carry)
/// `{"str": [code point, ...]}`. Any other object is read as a dict with
/// string keys, for convenience in hand-written files.
extension Value {
  /// Decodes a value; `path` names it in errors (`tests[2].expected`).
  public init(json: JSON, path: String = "value") throws(ValueError) {
    switch json {
    case .null: self = .none
    case .bool(let b): self = .bool(b)
    case .string(let s): self = .str(s)
    case .number(let lexeme, let isInteger):
      if isInteger {
        guard let value = Value.integer(lexeme) else {
          throw ValueError(path: path, message: "invalid integer \(lexeme)")
        }
        self = value
      } else {
        switch lexeme {
        case "NaN": self = .float(.nan)
        case "Infinity": self = .float(.infinity)
        case "-Infinity": self = .float(-.infinity)
        default:
          guard let d = Double(lexeme) else { throw ValueError(path: path, message: "invalid number \(lexeme)") }
          self = .float(d)
        }
      }
    case .array(let items):
      self = .list(try Self.decode(items, path))
    case .object(let members):
      if members.count == 1, let tagged = try Self.tagged(members[0].key, members[0].value, path) {
        self = tagged
      } else {
        var entries: [DictEntry] = []
        for member in members {
          entries.append(DictEntry(.str(member.key), try Value(json: member.value, path: "\(path).\(member.key)")))
        }
        self = .dict(entries)
      }
    }
  }

  private static func decode(_ items: [JSON], _ path: String) throws(ValueError) -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(items.count)
    for (i, item) in items.enumerated() { out.append(try Value(json: item, path: "\(path)[\(i)]")) }
    return out
  }

  private static func tagged(_ tag: String, _ body: JSON, _ path: String) throws(ValueError) -> Value? {
    let inner = "\(path).\(tag)"
    switch (tag, body) {
    case ("tuple", .array(let items)): return .tuple(try decode(items, inner))
    case ("set", .array(let items)): return .set(try decode(items, inner))
    case ("frozenset", .array(let items)): return .frozenset(try decode(items, inner))
    case ("str", .array(let items)):
      var codes: [UInt32] = []
      codes.reserveCapacity(items.count)
      for (i, item) in items.enumerated() {
        guard case .number(let lexeme, isInteger: true) = item, let code = UInt32(lexeme), code <= 0x10FFFF else {
          throw ValueError(path: "\(inner)[\(i)]", message: "a code point must be an integer in 0...1114111")
        }
        codes.append(code)
      }
      return Value.string(codePoints: codes)
    case ("bytes", .string(let hex)):
      guard let bytes = Self.bytes(hex: hex) else {
        throw ValueError(path: inner, message: "bytes must be an even number of hex digits")
      }
      return .bytes(bytes)
    case ("dict", .array(let pairs)):
      var entries: [DictEntry] = []
      for (i, pair) in pairs.enumerated() {
        guard case .array(let kv) = pair, kv.count == 2 else {
          throw ValueError(path: "\(inner)[\(i)]", message: "a dict entry must be a [key, value] pair")
        }
        entries.append(
          DictEntry(
            try Value(json: kv[0], path: "\(inner)[\(i)][0]"), try Value(json: kv[1], path: "\(inner)[\(i)][1]")))
      }
      return .dict(entries)
    default: return nil
    }
  }

  private static func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < digits.count {
      guard let high = hexDigit(digits[i]), let low = hexDigit(digits[i + 1]) else { return nil }
      out.append(high << 4 | low)
      i += 2
    }
    return out
  }

  private static func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x61 + 10
    case 0x41...0x46: c - 0x41 + 10
    default: nil
    }
  }

  /// The tagged JSON of this value (dicts always tagged).
  public var json: JSON {
    switch self {
    case .none: return .null
    case .bool(let b): return .bool(b)
    case .int(let i): return .number(String(i), isInteger: true)
    case .bigInt(let digits): return .number(digits, isInteger: true)
    case .float(let d):
      if d.isNaN { return .number("NaN", isInteger: false) }
      if d.isInfinite { return .number(d < 0 ? "-Infinity" : "Infinity", isInteger: false) }
      return .number(Value.pythonFloat(d), isInteger: false)
    case .str(let s): return .string(s)
    case .strCodePoints(let codes):
      return .object([("str", .array(codes.map { .number(String($0), isInteger: true) }))])
    case .bytes(let b):
      let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
      return .object([("bytes", .string(hex))])
    case .list(let items): return .array(items.map(\.json))
    case .tuple(let items): return .object([("tuple", .array(items.map(\.json)))])
    case .set(let items): return .object([("set", .array(items.map(\.json)))])
    case .frozenset(let items): return .object([("frozenset", .array(items.map(\.json)))])
    case .dict(let entries): return .object([("dict", .array(entries.map { .array([$0.key.json, $0.value.json]) }))])
    }
  }
}

/// A value that does not decode, with where it is.
public struct ValueError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var message: String
  public var description: String { "\(path): \(message)" }
}
