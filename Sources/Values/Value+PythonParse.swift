/// Reading Python literals: what a model writes in a test (`f([1, 2],
/// 'a') == {'x': (1.5, None)}`), read as data without running any of it.
/// Numbers (with a sign, `_` separators, exponents, `inf`/`nan` only as
/// `float('inf')`), strings and bytes (quotes of either kind, the common
/// escapes, adjacent literals joined), `True`, `False`, `None`, lists,
/// tuples, sets, dicts and `set()`/`frozenset([...])`. Anything else
/// (names, calls, expressions) is not a literal: nil. Nesting is bounded.
public struct PythonLiteralReader {
  var scalars: [Unicode.Scalar]
  public private(set) var position = 0
  static let maxDepth = 64

  public init(_ text: some StringProtocol) { scalars = Array(text.unicodeScalars) }

  /// The whole of `text` as one literal, or nil.
  public static func value(_ text: some StringProtocol) -> Value? {
    var reader = PythonLiteralReader(text)
    guard let value = reader.literal(), reader.atEnd else { return nil }
    return value
  }

  public var atEnd: Bool {
    var copy = self
    copy.skipSpace()
    return copy.position == copy.scalars.count
  }

  var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

  mutating func skipSpace() {
    while let c = peek, c == " " || c == "\t" { position += 1 }
  }

  /// Consumes `token` (after spaces) when it comes next.
  public mutating func take(_ token: String) -> Bool {
    skipSpace()
    let wanted = Array(token.unicodeScalars)
    guard position + wanted.count <= scalars.count, Array(scalars[position..<position + wanted.count]) == wanted
    else { return false }
    // A word must end there (`None` is not the start of `Nones`).
    if let last = wanted.last, Self.isWord(last), position + wanted.count < scalars.count,
      Self.isWord(scalars[position + wanted.count])
    {
      return false
    }
    position += wanted.count
    return true
  }

  static func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) }

  /// One literal at the reader's position, or nil (the position is then
  /// unspecified).
  public mutating func literal(depth: Int = 0) -> Value? {
    guard depth < Self.maxDepth else { return nil }
    skipSpace()
    guard let c = peek else { return nil }
    if take("None") { return Value.none }
    if take("True") { return .bool(true) }
    if take("False") { return .bool(false) }
    if take("set()") { return .set([]) }
    if take("float(") {
      guard case .str(let name)? = string(), take(")") else { return nil }
      switch name.lowercased() {
      case "inf", "+inf", "infinity": return .float(.infinity)
      case "-inf", "-infinity": return .float(-.infinity)
      case "nan": return .float(.nan)
      default: return Double(name).map { .float($0) }
      }
    }
    if take("frozenset(") {
      if take(")") { return .frozenset([]) }
      guard let inner = literal(depth: depth + 1), take(")") else { return nil }
      switch inner {
      case .list(let xs), .tuple(let xs), .set(let xs):
        var seen: Set<[UInt8]> = []
        return .frozenset(xs.filter { seen.insert($0.exactKey).inserted })
      default: return nil
      }
    }
    switch c {
    case "[":
      position += 1
      guard let items = items(closing: "]", depth: depth) else { return nil }
      return .list(items.values)
    case "(":
      position += 1
      guard let items = items(closing: ")", depth: depth) else { return nil }
      // `(x)` is x; `(x,)` and `()` are tuples.
      if items.values.count == 1 && !items.trailingComma { return items.values[0] }
      return .tuple(items.values)
    case "{":
      position += 1
      return braces(depth: depth)
    case "'", "\"":
      return string()
    case "b", "B", "r", "R", "u", "U":
      return string()
    case "-", "+", ".", "0"..."9":
      return number()
    default:
      return nil
    }
  }

  /// A call's positional arguments after its `(`, through its `)`: nil
  /// when one is not a literal (or is a keyword argument).
  public mutating func arguments() -> [Value]? {
    items(closing: ")", depth: 0)?.values
  }

  /// Consumes a comment (`# ...`) to the end of the line, if one is next.
  public mutating func skipComment() {
    skipSpace()
    if peek == "#" { position = scalars.count }
  }

  mutating func items(closing: Unicode.Scalar, depth: Int) -> (values: [Value], trailingComma: Bool)? {
    var values: [Value] = []
    var trailingComma = false
    while true {
      if take(String(closing)) { return (values, trailingComma) }
      guard let value = literal(depth: depth + 1) else { return nil }
      values.append(value)
      trailingComma = take(",")
      if !trailingComma {
        guard take(String(closing)) else { return nil }
        return (values, false)
      }
    }
  }

  mutating func braces(depth: Int) -> Value? {
    if take("}") { return .dict([]) }
    guard let first = literal(depth: depth + 1) else { return nil }
    if take(":") {
      var entries: [Value.DictEntry] = []
      var places: [[UInt8]: Int] = [:]
      var key = first
      while true {
        guard let value = literal(depth: depth + 1) else { return nil }
        // A repeated key keeps its first place and its last value, as Python's.
        if let at = places[key.exactKey] {
          entries[at].value = value
        } else {
          places[key.exactKey] = entries.count
          entries.append(Value.DictEntry(key, value))
        }
        if take("}") { return .dict(entries) }
        guard take(",") else { return nil }
        if take("}") { return .dict(entries) }
        guard let next = literal(depth: depth + 1), take(":") else { return nil }
        key = next
      }
    }
    // A repeated member is one member, as Python's.
    var members = [first]
    var seen: Set<[UInt8]> = [first.exactKey]
    while take(",") {
      if take("}") { return .set(members) }
      guard let next = literal(depth: depth + 1) else { return nil }
      if seen.insert(next.exactKey).inserted { members.append(next) }
    }
    return take("}") ? .set(members) : nil
  }

  mutating func number() -> Value? {
    skipSpace()
    var text = ""
    if let c = peek, c == "-" || c == "+" {
      text.unicodeScalars.append(c)
      position += 1
      skipSpace()
    }
    while let c = peek,
      ("0"..."9").contains(c) || c == "." || c == "_" || c == "e" || c == "E" || c == "x"
        || c == "X" || c == "o" || c == "O" || c == "j" || ("a"..."f").contains(c) || ("A"..."F").contains(c)
        || ((c == "-" || c == "+") && (text.last == "e" || text.last == "E") && !text.lowercased().contains("x"))
    {
      if c != "_" { text.unicodeScalars.append(c) }
      position += 1
    }
    let body = String(text.drop { $0 == "-" || $0 == "+" })
    let negative = text.hasPrefix("-")
    if body.isEmpty || body.hasSuffix("j") || body.hasSuffix("J") { return nil }
    let lower = body.lowercased()
    if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") {
      let radix = lower.hasPrefix("0x") ? 16 : lower.hasPrefix("0o") ? 8 : 2
      guard let n = Int(lower.dropFirst(2), radix: radix) else { return nil }
      return .int(negative ? -n : n)
    }
    if body.allSatisfy(\.isNumber) {
      // Python refuses leading zeros in a non-zero decimal integer.
      if body.count > 1, body.hasPrefix("0"), body.contains(where: { $0 != "0" }) { return nil }
      return Value.integer((negative ? "-" : "") + body)
    }
    guard let d = Double(body), body.first != "e", body.first != "E" else { return nil }
    return .float(negative ? -d : d)
  }

  /// A string or bytes literal, adjacent ones joined (`'a' 'b'`).
  mutating func string() -> Value? {
    var text: [Unicode.Scalar] = []
    var bytes: [UInt8]?
    var any = false
    while true {
      skipSpace()
      let start = position
      var raw = false
      var isBytes = false
      while let c = peek, "bBrRuU".unicodeScalars.contains(c), position - start < 2 {
        if c == "r" || c == "R" { raw = true }
        if c == "b" || c == "B" { isBytes = true }
        position += 1
      }
      guard let quote = peek, quote == "'" || quote == "\"" else {
        position = start
        break
      }
      position += 1
      let triple = position + 1 < scalars.count && scalars[position] == quote && scalars[position + 1] == quote
      if triple { position += 2 }
      var piece: [Unicode.Scalar] = []
      var closed = false
      while let c = peek {
        position += 1
        if c == quote {
          if !triple {
            closed = true
            break
          }
          if position + 1 < scalars.count, scalars[position] == quote, scalars[position + 1] == quote {
            position += 2
            closed = true
            break
          }
          piece.append(c)
          continue
        }
        if c == "\n" && !triple { return nil }
        if c == "\\" && !raw {
          guard let escaped = escape() else { return nil }
          piece += escaped
        } else {
          piece.append(c)
        }
      }
      guard closed else { return nil }
      if any, (bytes != nil) != isBytes { return nil }  // str and bytes do not join
      any = true
      if isBytes {
        guard piece.allSatisfy({ $0.value < 128 || $0.value <= 0xFF }) else { return nil }
        bytes = (bytes ?? []) + piece.map { UInt8(truncatingIfNeeded: $0.value) }
      } else {
        text += piece
      }
    }
    guard any else { return nil }
    if let bytes { return .bytes(bytes) }
    var out = ""
    out.unicodeScalars.append(contentsOf: text)
    return .str(out)
  }

  mutating func escape() -> [Unicode.Scalar]? {
    guard let c = peek else { return nil }
    position += 1
    func hex(_ count: Int) -> [Unicode.Scalar]? {
      guard position + count <= scalars.count else { return nil }
      let digits = String(String.UnicodeScalarView(scalars[position..<position + count]))
      position += count
      guard let n = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(n) else { return nil }
      return [scalar]
    }
    switch c {
    case "n": return ["\n"]
    case "t": return ["\t"]
    case "r": return ["\r"]
    case "0"..."7":
      // Up to three octal digits, as Python's `\0` and `\012`.
      var n = c.value - 48
      for _ in 0..<2 {
        guard let d = peek, ("0"..."7").contains(d) else { break }
        n = n * 8 + d.value - 48
        position += 1
      }
      return Unicode.Scalar(n).map { [$0] }
    case "\\", "'", "\"": return [c]
    case "\n": return []
    case "a": return ["\u{07}"]
    case "b": return ["\u{08}"]
    case "f": return ["\u{0C}"]
    case "v": return ["\u{0B}"]
    case "x": return hex(2)
    case "u": return hex(4)
    case "U": return hex(8)
    default: return ["\\", c]
    }
  }
}
