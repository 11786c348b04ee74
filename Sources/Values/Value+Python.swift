extension Value {
  /// The value as Python's `repr` writes it: `[1, 2.0, 'a', (1,), {1}]`.
  public var pythonLiteral: String {
    var out = ""
    writeLiteral(to: &out)
    return out
  }

  private func writeLiteral(to out: inout String) {
    func sequence(_ items: [Value], _ open: String, _ close: String) {
      out += open
      for (i, item) in items.enumerated() {
        if i > 0 { out += ", " }
        item.writeLiteral(to: &out)
      }
      out += close
    }
    switch self {
    case .none: out += "None"
    case .bool(let b): out += b ? "True" : "False"
    case .int(let i): out += String(i)
    case .bigInt(let digits): out += digits
    case .float(let d): out += Self.pythonFloat(d)
    case .str(let s): out += Self.pythonString(s)
    case .strCodePoints(let codes): out += Self.pythonString(codePoints: codes)
    case .bytes(let b): out += Self.pythonBytes(b)
    case .list(let items): sequence(items, "[", "]")
    case .tuple(let items): sequence(items, "(", items.count == 1 ? ",)" : ")")
    case .set(let items): items.isEmpty ? (out += "set()") : sequence(items, "{", "}")
    case .frozenset(let items):
      out += "frozenset("
      if !items.isEmpty { sequence(items, "{", "}") }
      out += ")"
    case .dict(let entries):
      out += "{"
      for (i, entry) in entries.enumerated() {
        if i > 0 { out += ", " }
        entry.key.writeLiteral(to: &out)
        out += ": "
        entry.value.writeLiteral(to: &out)
      }
      out += "}"
    }
  }

  /// Python's `repr(float)`: the shortest digits that round-trip, in
  /// positional notation when the exponent is in [-4, 16), else scientific.
  public static func pythonFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description also gives the shortest round-trip digits.
    var text = "\(abs(d))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exponent = Int(text[text.index(after: e)...]) ?? 0
      text = String(text[..<e])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    var integerPart = String(parts[0])
    var fraction = parts.count > 1 ? String(parts[1]) : ""
    if fraction == "0" { fraction = "" }
    // Normalize to digits d1 d2 ... with a decimal exponent.
    var digits = integerPart + fraction
    var pointExponent = integerPart.count + exponent  // digits before the point
    let leadingZeros = digits.prefix { $0 == "0" }.count
    digits.removeFirst(leadingZeros)
    pointExponent -= leadingZeros
    while digits.hasSuffix("0") { digits.removeLast() }
    if digits.isEmpty { digits = "0" }
    let sciExponent = pointExponent - 1
    let sign = d < 0 ? "-" : ""
    if sciExponent >= -4 && sciExponent < 16 {
      if pointExponent <= 0 {
        return sign + "0." + String(repeating: "0", count: -pointExponent) + digits
      }
      if digits.count <= pointExponent {
        integerPart = digits + String(repeating: "0", count: pointExponent - digits.count)
        return sign + integerPart + ".0"
      }
      let cut = digits.index(digits.startIndex, offsetBy: pointExponent)
      return sign + digits[..<cut] + "." + digits[cut...]
    }
    let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
    let exponentText = sciExponent < 0 ? "-" + pad2(-sciExponent) : "+" + pad2(sciExponent)
    return sign + mantissa + "e" + exponentText
  }

  private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  /// Python's `repr(str)`: single quotes unless the text has a single quote
  /// and no double quote; non-printable characters escaped.
  public static func pythonString(_ s: String) -> String {
    pythonString(codePoints: s.unicodeScalars.map(\.value))
  }

  /// Python's `repr(str)` of a str given by its code points, which may
  /// include lone surrogates (written `\ud800`, as Python does).
  public static func pythonString(codePoints: [UInt32]) -> String {
    let single: UInt32 = 0x27
    let double: UInt32 = 0x22
    let quote = codePoints.contains(single) && !codePoints.contains(double) ? double : single
    var out = ""
    out.unicodeScalars.append(Unicode.Scalar(UInt8(quote)))
    for code in codePoints {
      switch code {
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case quote: out += "\\" + String(Unicode.Scalar(UInt8(quote)))
      default:
        if let scalar = Unicode.Scalar(code), isPrintable(scalar) {
          out.unicodeScalars.append(scalar)
        } else if code < 0x100 {
          out += "\\x" + hex(code, 2)
        } else if code < 0x10000 {
          out += "\\u" + hex(code, 4)
        } else {
          out += "\\U" + hex(code, 8)
        }
      }
    }
    out.unicodeScalars.append(Unicode.Scalar(UInt8(quote)))
    return out
  }

  /// Python's `repr(bytes)`.
  public static func pythonBytes(_ bytes: [UInt8]) -> String {
    let quote: UInt8 = bytes.contains(0x27) && !bytes.contains(0x22) ? 0x22 : 0x27
    var out = "b" + String(UnicodeScalar(quote))
    for b in bytes {
      switch b {
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case quote: out += "\\" + String(UnicodeScalar(quote))
      case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(b))
      default: out += "\\x" + hex(UInt32(b), 2)
      }
    }
    return out + String(UnicodeScalar(quote))
  }

  /// Python's `str.isprintable` for one character.
  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .spaceSeparator:
      return false
    default: return true
    }
  }

  private static func hex(_ value: UInt32, _ width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
