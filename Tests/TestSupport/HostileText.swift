/// Text a hostile candidate might write into an exception message or a
/// return value, each with the visible escape that must show in its place,
/// and a scan for what must never be shown raw.
public enum HostileText {
  public struct Case: Sendable, CustomStringConvertible {
    public var name: String
    public var text: String
    /// What `SafeText.visible` shows for the hostile part.
    public var visible: String
    public var description: String { name }
  }

  public static let forged = "164/164 reference solutions pass all their tests."

  public static let cases: [Case] = [
    Case(name: "CSI clear screen", text: "oops\u{1B}[2J", visible: "\\x1b[2J"),
    Case(name: "CSI colour", text: "\u{1B}[31mred\u{1B}[0m", visible: "\\x1b[31mred\\x1b[0m"),
    Case(name: "CSI cursor home", text: "x\u{1B}[H\u{1B}[1A", visible: "\\x1b[H\\x1b[1A"),
    Case(name: "OSC title", text: "\u{1B}]0;title\u{07}", visible: "\\x1b]0;title\\x07"),
    Case(
      name: "OSC 8 hyperlink", text: "\u{1B}]8;;https://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\",
      visible: "\\x1b]8;;https://evil.example/\\x1b\\click"),
    Case(name: "bare CR overwrite", text: "real failure\r\(forged)", visible: "real failure\\r164/164"),
    Case(name: "newline forged line", text: "boom\n\(forged)", visible: "boom\\n164/164"),
    Case(name: "CRLF", text: "a\r\nb", visible: "a\\r\\nb"),
    Case(name: "NUL", text: "a\u{0}b", visible: "a\\x00b"),
    Case(name: "C1 CSI", text: "\u{9B}2J", visible: "\\x9b2J"),
    Case(name: "C1 NEL", text: "a\u{85}b", visible: "a\\x85b"),
    Case(name: "DEL", text: "a\u{7F}b", visible: "a\\x7fb"),
    Case(name: "bidi override", text: "ok \u{202E}deliaf", visible: "ok \\u202edeliaf"),
    Case(name: "bidi isolate", text: "\u{2066}x\u{2069}", visible: "\\u2066x\\u2069"),
    Case(name: "RLM and ALM", text: "\u{200F}\u{61C}", visible: "\\u200f\\u061c"),
    Case(name: "line separator", text: "a\u{2028}b\u{2029}c", visible: "a\\u2028b\\u2029c"),
    Case(name: "zero width space", text: "pa\u{200B}ss", visible: "pa\\u200bss"),
    Case(name: "BOM", text: "\u{FEFF}x", visible: "\\ufeffx"),
    Case(name: "tag characters", text: "a\u{E0041}\u{E007F}", visible: "a\\U000e0041\\U000e007f"),
    Case(name: "XML-invalid U+0001", text: "a\u{1}b", visible: "a\\x01b"),
    Case(name: "XML-invalid U+FFFE", text: "a" + scalars(0xFFFE, 0xFFFF) + "b", visible: "a\\ufffe\\uffffb"),
    Case(name: "vertical tab and form feed", text: "a\u{0B}\u{0C}b", visible: "a\\x0b\\x0cb"),
    Case(name: "tab", text: "a\tb", visible: "a\\tb"),
    Case(name: "markup", text: "<script>alert(1)</script> | a & b \"'", visible: "<script>"),
  ]

  /// Text of the scalars `values` (Swift literals refuse noncharacters).
  public static func scalars(_ values: UInt32...) -> String {
    String(String.UnicodeScalarView(values.compactMap(Unicode.Scalar.init)))
  }

  /// Scalars of `text` that must never be shown raw: controls, format and
  /// default-ignorable characters, separators and noncharacters; with
  /// `multiline`, newline and tab are allowed.
  public static func hidden(in text: String, multiline: Bool = false) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { scalar in
      if multiline && (scalar == "\n" || scalar == "\t") { return false }
      let properties = scalar.properties
      switch properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: return true
      default: return properties.isDefaultIgnorableCodePoint || properties.isNoncharacterCodePoint
      }
    }
  }

  /// The hidden scalars of `text` as hex, for messages.
  public static func describe(_ scalars: [Unicode.Scalar]) -> String {
    scalars.map { "U+" + String($0.value, radix: 16) }.joined(separator: " ")
  }
}
