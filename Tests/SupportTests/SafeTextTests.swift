import Foundation
import Support
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct SafeTextTests {
  @Test("Hostile text is shown visibly, on one line, with nothing raw", arguments: HostileText.cases)
  func singleLine(_ hostile: HostileText.Case) {
    let shown = SafeText.visible(hostile.text)
    #expect(HostileText.hidden(in: shown).isEmpty, "\(HostileText.describe(HostileText.hidden(in: shown)))")
    #expect(!shown.contains("\n"))
    #expect(shown.contains(hostile.visible), "\(shown)")
    #expect(SafeText.visible(shown) == shown, "escaping twice is escaping once")
  }

  @Test("Multi-line text keeps its newlines and tabs, and nothing else", arguments: HostileText.cases)
  func multiLine(_ hostile: HostileText.Case) {
    let shown = SafeText.visible(hostile.text, singleLine: false)
    #expect(HostileText.hidden(in: shown, multiline: true).isEmpty)
    func newlines(_ text: String) -> Int { text.unicodeScalars.filter { $0 == "\n" }.count }
    #expect(newlines(shown) == newlines(hostile.text))
    #expect(!shown.contains("\r") && !shown.contains("\u{1B}"))
  }

  @Test("The exact escapes")
  func exact() {
    #expect(SafeText.visible("a\nb\tc\rd\u{1B}[0m") == "a\\nb\\tc\\rd\\x1b[0m")
    #expect(SafeText.visible("a\nb\tc\rd\u{1B}[0m", singleLine: false) == "a\nb\tc\\rd\\x1b[0m")
    #expect(SafeText.visible("\u{0}\u{1F}\u{7F}\u{80}\u{9F}") == "\\x00\\x1f\\x7f\\x80\\x9f")
    let high = HostileText.scalars(0x202E, 0xFDD0, 0x1FFFF, 0x10FFFE)
    #expect(SafeText.visible(high) == "\\u202e\\ufdd0\\U0001ffff\\U0010fffe")
  }

  @Test("Ordinary text and backslashes are kept as they are")
  func ordinary() {
    for text in [
      "expected 3, got 2", "'a\\nb' \\x1b literal", "héllo wörld, 日本語, Ελληνικά, עברית, العربية", "🙂 ☃ 𝔘",
      "NameError: name 'x' is not defined (line 3)", "",
    ] {
      #expect(SafeText.visible(text) == text)
    }
  }

  @Test("Every scalar, escaped alone, leaves nothing hidden")
  func everyScalar() async throws {
    // A million scalars take seconds: they are computed on a thread of
    // their own, not on one of the test process's few pool threads.
    let leaks = try await offThePool { () -> [UInt32] in
      var leaks: [UInt32] = []
      for value in UInt32(0)...0x10FFFF {
        guard let scalar = Unicode.Scalar(value) else { continue }
        let shown = SafeText.visible(String(scalar))
        if !HostileText.hidden(in: shown).isEmpty || shown.contains("\n") { leaks.append(value) }
      }
      return leaks
    }
    #expect(leaks.isEmpty, "\(leaks.prefix(20).map { String($0, radix: 16) })")
  }

  @Test("A limit cuts between escapes and says how much is left")
  func limit() {
    let text = String(repeating: "\u{1B}", count: 10)
    #expect(SafeText.visible(text, limit: 3) == "\\x1b\\x1b\\x1b…[7 more]")
    #expect(SafeText.visible("abc", limit: 3) == "abc")
    #expect(SafeText.visible("abcd", limit: 0) == "…[4 more]")
  }

  @Test("JSON keeps its values and shows nothing hidden", arguments: HostileText.cases)
  func json(_ hostile: HostileText.Case) throws {
    for options: JSONSerialization.WritingOptions in [[.sortedKeys], [.sortedKeys, .prettyPrinted]] {
      let data = try JSONSerialization.data(withJSONObject: ["k": hostile.text, "l": [hostile.text]], options: options)
      let safe = SafeText.json(data)
      let text = String(decoding: safe, as: UTF8.self)
      #expect(HostileText.hidden(in: text, multiline: true).isEmpty, "\(text)")
      let object = try #require(try JSONSerialization.jsonObject(with: safe) as? [String: Any])
      #expect(object["k"] as? String == hostile.text)
      #expect(object["l"] as? [String] == [hostile.text])
    }
  }

  @Test("JSON: scalars above U+FFFF become surrogate pairs")
  func jsonSurrogates() throws {
    let safe = SafeText.json(#"{"k":"a\#u{E0041}b"}"#)
    #expect(safe == #"{"k":"a\udb40\udc41b"}"#)
    let object = try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: String]
    #expect(object?["k"] == "a\u{E0041}b")
  }
}

@Suite(.timeLimit(.minutes(1))) struct JSONLinesSafeTextTests {
  @Test("JSON Lines: one line per value, nothing hidden, the same values read back")
  func lines() throws {
    let values = HostileText.cases.map(\.text)
    let dir = try scratch("crucible-jsonl")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try JSONLines.write(values, to: "\(dir)/a.jsonl")
    let text = try String(contentsOfFile: "\(dir)/a.jsonl", encoding: .utf8)
    #expect(HostileText.hidden(in: text, multiline: true).isEmpty)
    #expect(text.split(separator: "\n").count == values.count)
    #expect(try JSONLines.decode(text, path: "a.jsonl", as: "a string") == values)
    let line = String(decoding: try JSONLines.line(values), as: UTF8.self)
    #expect(HostileText.hidden(in: line, multiline: true).isEmpty && line.filter { $0 == "\n" }.count == 1)
  }
}
