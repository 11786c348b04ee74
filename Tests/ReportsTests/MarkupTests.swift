import Foundation
import Support
import TestSupport
import Testing

@testable import Reports

@Suite(.timeLimit(.minutes(2))) struct MarkupTests {
  @Test(
    "XML and HTML text: one line, nothing hidden, well-formed, and it reads back as the visible text",
    arguments: HostileText.cases)
  func xml(_ hostile: HostileText.Case) throws {
    let escaped = Markup.escape(hostile.text)
    #expect(HostileText.hidden(in: escaped).isEmpty, "\(HostileText.describe(HostileText.hidden(in: escaped)))")
    #expect(!escaped.contains("\n") && !escaped.contains("<") && !escaped.contains("\""))
    let document = XMLCheck("<r a=\"\(escaped)\" b='\(escaped)'>\(escaped)</r>")
    #expect(document.wellFormed, "\(document.error ?? "")")
    let root = try #require(document.named("r").first)
    let visible = SafeText.visible(hostile.text)
    #expect(root.text == visible && root.attributes["a"] == visible && root.attributes["b"] == visible)
    #expect(visible.contains(hostile.visible))
  }

  @Test("XML content keeps its newlines when asked, and stays well-formed", arguments: HostileText.cases)
  func xmlMultiLine(_ hostile: HostileText.Case) throws {
    let escaped = Markup.escape(hostile.text, singleLine: false)
    #expect(HostileText.hidden(in: escaped, multiline: true).isEmpty)
    let document = XMLCheck("<r>\(escaped)</r>")
    #expect(document.wellFormed, "\(document.error ?? "")")
    #expect(document.named("r").first?.text == SafeText.visible(hostile.text, singleLine: false))
  }

  @Test("A Markdown cell: one line, nothing hidden, no bare | or <", arguments: HostileText.cases)
  func cell(_ hostile: HostileText.Case) {
    for text in [hostile.text, "a | b \\| c \\\\| d", "x\\<b>y<\u{301}z"] {
      let cell = Markup.cell(text)
      #expect(HostileText.hidden(in: cell).isEmpty)
      #expect(!cell.contains("\n"))
      #expect(Self.bare("|", in: cell).isEmpty && Self.bare("<", in: cell).isEmpty, "\(cell)")
    }
    #expect(Markup.cell(hostile.text).contains(Markup.cell(hostile.visible)))
  }

  @Test(
    "Markdown: no link or image a candidate wrote renders (no bare [)",
    arguments: [
      "![all tests passed](https://img.shields.io/badge/eval-100%25-green)", "[click](https://example.com)",
      "\\[x](y)", "[ref]: https://example.com", "![x][ref]",
    ])
  func links(_ text: String) {
    for escaped in [Markup.cell(text), Markup.line(text)] {
      #expect(Self.bare("[", in: escaped).isEmpty, "\(escaped)")
    }
  }

  @Test("A Markdown line: one line, nothing hidden, no bare <", arguments: HostileText.cases)
  func line(_ hostile: HostileText.Case) {
    let line = Markup.line(hostile.text)
    #expect(HostileText.hidden(in: line).isEmpty && !line.contains("\n"))
    #expect(Self.bare("<", in: line).isEmpty)
  }

  @Test("The exact Markdown escapes")
  func exact() {
    #expect(Markup.cell("a|b<c>\\d\\<\n") == "a\\|b\\<c>\\d\\\\\\<\\n")
    #expect(Markup.line("'a\\\\nb' | <b>") == "'a\\\\\\nb' | \\<b>")
    #expect(Markup.escape("a&b<c>\"'\n", singleLine: false) == "a&amp;b&lt;c&gt;&quot;&apos;\n")
  }

  /// Offsets of `scalar` in `text` not escaped by an odd run of backslashes.
  static func bare(_ scalar: Unicode.Scalar, in text: String) -> [Int] {
    let scalars = Array(text.unicodeScalars)
    return scalars.indices.filter { index in
      guard scalars[index] == scalar else { return false }
      let run = scalars[..<index].reversed().prefix { $0 == "\\" }.count
      return run % 2 == 0
    }
  }
}
