import Foundation

/// Text someone else wrote (a candidate program's exception message or
/// return value, a model's answer, a task id from a downloaded suite),
/// made safe to show: on a terminal, in a log line, a table cell, a
/// report. Such text can hold escape sequences that clear the screen or
/// retitle the window, a newline or a bare carriage return that forges a
/// line, or bidirectional and invisible characters that make it read as
/// something it is not. Every such character is shown as an escape
/// instead; everything else is kept as it is.
public enum SafeText {
  /// `text` with every control, separator, format, invisible and
  /// noncharacter scalar written as a visible escape:
  ///
  /// - newline, carriage return and tab as `\n`, `\r` and `\t`. With
  ///   `singleLine: false`, a newline and a tab stay as they are (multi-line
  ///   text such as a traceback); a carriage return is escaped either way,
  ///   since a bare one moves the cursor back and overwrites the line.
  /// - every other control character, C0 (U+0000 to U+001F, ESC among
  ///   them), DEL (U+007F) and C1 (U+0080 to U+009F, the one-byte CSI
  ///   U+009B and NEL U+0085 among them), as `\xHH`: `\x1b`, `\x00`, `\x9b`.
  /// - the line and paragraph separators U+2028 and U+2029; every format
  ///   character (general category Cf: the bidirectional controls U+202A to
  ///   U+202E, U+2066 to U+2069, U+200E, U+200F and U+061C, the zero-width
  ///   characters and joiners, the soft hyphen, the byte order mark U+FEFF,
  ///   the interlinear annotation marks U+FFF9 to U+FFFB, the tag characters
  ///   U+E0000 to U+E007F); every other default-ignorable code point (which
  ///   fonts draw as nothing: variation selectors, Hangul fillers, U+034F);
  ///   and every noncharacter (U+FDD0 to U+FDEF, U+FFFE and U+FFFF and their
  ///   twins in each plane), as `\uHHHH`, or `\UHHHHHHHH` above U+FFFF:
  ///   `\u202e`, `\u2028`, `\ufffe`, `\U000e0041`. Emoji sequences show
  ///   their joiners and variation selectors too: every scalar is seen.
  ///
  /// Hex digits are lowercase and of fixed width, so an escape reads
  /// unambiguously. A backslash in `text` stays a single backslash: the
  /// text is mostly Python (`'a\\nb'` is a repr), which doubled backslashes
  /// would make hard to read, and a literal `\x1b` in `text` is only ever
  /// four harmless characters on one line. So the result is for reading,
  /// not decoding (a literal `\x1b` and an escaped ESC look the same); it
  /// holds nothing to escape, so escaping it again (with no `limit`)
  /// changes nothing. It never holds a raw character of the kinds above
  /// (nor a newline or a tab when `singleLine`).
  ///
  /// With a `limit`, at most that many scalars of `text` are shown, followed
  /// by `…[N more]` when some are cut: an escape is never cut in half.
  public static func visible(_ text: String, singleLine: Bool = true, limit: Int? = nil) -> String {
    let scalars = text.unicodeScalars
    let shown = limit.map { max(0, $0) } ?? Int.max
    if scalars.allSatisfy({ !needsEscape($0, singleLine: singleLine) }), shown == Int.max || scalars.count <= shown {
      return text
    }
    var out = String.UnicodeScalarView()
    var count = 0
    for scalar in scalars {
      guard count < shown else { break }
      count += 1
      if needsEscape(scalar, singleLine: singleLine) {
        out.append(contentsOf: escape(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    var result = String(out)
    if count < scalars.count { result += "…[\(scalars.count - count) more]" }
    return result
  }

  /// Whether `visible(_:singleLine:)` writes `scalar` as an escape.
  public static func needsEscape(_ scalar: Unicode.Scalar, singleLine: Bool = true) -> Bool {
    switch scalar.value {
    case 0x20...0x7E: return false
    case 0x0A, 0x09: return singleLine
    case 0x00...0x1F, 0x7F...0x9F: return true
    default:
      let properties = scalar.properties
      switch properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator: return true
      default: return properties.isDefaultIgnorableCodePoint || properties.isNoncharacterCodePoint
      }
    }
  }

  /// The visible escape of one scalar: `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`
  /// or `\UHHHHHHHH`.
  static func escape(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "\n": return "\\n"
    case "\r": return "\\r"
    case "\t": return "\\t"
    default:
      let value = scalar.value
      if value <= 0xFF { return "\\x" + hex(value, width: 2) }
      if value <= 0xFFFF { return "\\u" + hex(value, width: 4) }
      return "\\U" + hex(value, width: 8)
    }
  }

  static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  /// JSON text with every scalar that `visible` escapes written as a JSON
  /// escape instead (`\u009b`, `\u202e`, a surrogate pair above U+FFFF),
  /// except newline, return and tab: in valid JSON those are whitespace
  /// between tokens (a string holds them escaped). The document parses to
  /// the same values; printed, it shows nothing hidden. Foundation's
  /// serializers escape C0 controls in strings but write DEL, C1 controls,
  /// U+2028 and the bidirectional controls raw.
  public static func json(_ json: String) -> String {
    func hidden(_ scalar: Unicode.Scalar) -> Bool { scalar != "\r" && needsEscape(scalar, singleLine: false) }
    guard json.unicodeScalars.contains(where: hidden) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      guard hidden(scalar) else {
        out.append(scalar)
        continue
      }
      for unit in String(scalar).utf16 { out.append(contentsOf: "\\u\(hex(UInt32(unit), width: 4))".unicodeScalars) }
    }
    return String(out)
  }

  /// The same for JSON as UTF-8 bytes.
  public static func json(_ data: Data) -> Data {
    Data(json(String(decoding: data, as: UTF8.self)).utf8)
  }
}
