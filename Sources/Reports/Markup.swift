import Support

/// Text made safe for the reports: HTML, XML (JUnit) and Markdown. Any of
/// it may hold what a candidate wrote.
enum Markup {
  /// `text` for HTML or XML, in content or in an attribute value: controls
  /// and hidden characters shown as visible escapes (`SafeText.visible`),
  /// then `& < > " '` as entities. Well-formed XML 1.0 for any input:
  /// every character XML forbids even as a reference (C0 controls but tab,
  /// newline and return; U+FFFE, U+FFFF) is among those made visible.
  /// `singleLine: false` keeps newlines and tabs, for element content; an
  /// attribute should stay single-line (a parser turns its newlines into
  /// spaces).
  static func escape(_ text: String, singleLine: Bool = true, limit: Int? = nil) -> String {
    replacing(SafeText.visible(text, singleLine: singleLine, limit: limit), entities)
  }

  static let entities: [Unicode.Scalar: String] = [
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;",
  ]

  /// `text` as Markdown outside a table (a heading, a list item): on one
  /// line, controls and hidden characters visible, `<` backslash-escaped
  /// (renderers pass raw HTML through), and `[` too (no link or image a
  /// candidate wrote renders, nor fetches anything). A backslash before ASCII
  /// punctuation is doubled (else `\\<b>` would escape the escape and open
  /// a tag); elsewhere it is literal in Markdown and kept, so `\\x1b`
  /// reads the same raw and rendered.
  static func line(_ text: String, limit: Int? = nil) -> String {
    markdown(SafeText.visible(text, limit: limit), table: false)
  }

  /// `text` as one Markdown table cell: `line`, with `|` escaped too (it
  /// would end the cell).
  static func cell(_ text: String, limit: Int? = nil) -> String {
    markdown(SafeText.visible(text, limit: limit), table: true)
  }

  static func markdown(_ text: String, table: Bool) -> String {
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    for (index, scalar) in scalars.enumerated() {
      switch scalar {
      case "<": out.append(contentsOf: "\\<".unicodeScalars)
      case "|" where table: out.append(contentsOf: "\\|".unicodeScalars)
      // A link or an image (`![passed](https://...)`) would render what a
      // candidate chose, fetched from where it chose: every link, image,
      // reference and footnote opens with `[`, which stays text.
      case "[": out.append(contentsOf: "\\[".unicodeScalars)
      case "\\" where index + 1 < scalars.count && isASCIIPunctuation(scalars[index + 1]):
        out.append(contentsOf: "\\\\".unicodeScalars)
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  /// What a backslash escapes in Markdown (CommonMark: ASCII punctuation).
  static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(scalar)
  }

  /// `text` with each scalar in `map` replaced: by scalar, not by
  /// character, since a combining mark after `<` makes one character that
  /// equals no `<` yet still opens a tag for a parser.
  static func replacing(_ text: String, _ map: [Unicode.Scalar: String]) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if let replacement = map[scalar] {
        out.append(contentsOf: replacement.unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
