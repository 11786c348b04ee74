import Foundation
import TestSupport
import Testing

@testable import crucible

/// What a candidate wrote never reaches the terminal raw: the progress
/// lines, and `crucible check` end to end with a hostile reference.
@Suite(.serialized, .timeLimit(.minutes(3))) struct HostileOutputTests {
  static let clear = "\u{1B}[K"

  @Test(
    "Progress lines, plain and live: one line each, nothing hidden but the bar's own \\r ESC[K",
    arguments: HostileText.cases)
  func progress(_ hostile: HostileText.Case) throws {
    let line = "task-\(hostile.text): FAILED test 0: Exception: \(hostile.text)"
    let plain = Progress(total: 2, label: "check", goodLabel: "pass", live: false)
    let text = try #require(plain.advanceText(done: 1, good: 0, line: line, important: true, elapsed: 1))
    #expect(HostileText.hidden(in: text, multiline: true).isEmpty)
    #expect(text.hasPrefix("[1/2] task-") && text.filter { $0 == "\n" }.count == 1 && text.hasSuffix("\n"))
    #expect(text.contains(hostile.visible))
    #expect(plain.noteText(line) == Output.line(line) + "\n")

    let live = Progress(total: 2, label: "check", goodLabel: "pass", live: true)
    let bar = try #require(live.advanceText(done: 1, good: 0, line: line, important: true, elapsed: 1))
    #expect(bar.hasPrefix("\r" + Self.clear))
    let shown = String(bar.dropFirst(1 + Self.clear.count))
    #expect(HostileText.hidden(in: shown, multiline: true).isEmpty)
    let lines = shown.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines[0].contains(hostile.visible) && lines[1].hasPrefix("check ["))
    #expect(String(live.noteText(line).dropFirst(1 + Self.clear.count)) == Output.line(line) + "\n")
  }

  @Test("A very long verdict is cut on its line")
  func long() {
    let line = Output.line(String(repeating: "\u{1B}", count: 10_000))
    #expect(line.hasSuffix("…[8000 more]") && line.count < 20_000)
  }

  static let program = """
    def f(x):
        raise Exception("\\x1b[2J\\x1b]0;pwned\\x07\\n\(HostileText.forged)\\r\\x9b31m\\u202e\\u2028done")

    """

  static func suite() throws -> (dir: String, path: String) {
    let dir = try scratch("crucible-cli")
    let task: [String: Any] = [
      // A control character in an id is refused at load; a bidirectional
      // override is allowed, and shown visibly.
      "task_id": "hostile\u{202E}[31m", "prompt": "p", "entry_point": "f", "solution": program,
      "tests": [["args": [1], "expected": 1]],
    ]
    let line = try JSONSerialization.data(withJSONObject: task) + Data("\n".utf8)
    try line.write(to: URL(fileURLWithPath: "\(dir)/s.jsonl"))
    return (dir, "\(dir)/s.jsonl")
  }

  @Test("check with a reference that raises escape sequences and a forged line: shown visibly, on its line")
  func check() async throws {
    let (dir, path) = try Self.suite()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["check", path])
    #expect(result.status == 1, "\(result.stderr)")
    for output in [result.stdout, result.stderr] {
      #expect(!output.contains("\u{1B}") && !output.contains("\r"))
      #expect(HostileText.hidden(in: output, multiline: true).isEmpty, "\(output)")
      let lines = output.split(separator: "\n").map { $0.drop { $0 == " " } }
      #expect(!lines.contains { $0.hasPrefix(HostileText.forged.prefix(7)) }, "\(output)")
    }
    #expect(result.stdout.hasPrefix("0/1 reference solutions pass all their tests.\n"))
    #expect(result.stdout.contains("hostile\\u202e[31m: test 0: Exception: \\x1b[2J\\x1b]0;pwned\\x07\\n164/164"))
    #expect(result.stderr.contains("\\x1b[2J"))
  }

  @Test("check --json: one valid JSON document, no raw control bytes, the problem kept")
  func checkJSON() async throws {
    let (dir, path) = try Self.suite()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["check", path, "--json"])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.hasSuffix("}\n") && result.stdout.filter { $0 == "\n" }.count == 1)
    #expect(HostileText.hidden(in: result.stdout, multiline: true).isEmpty, "\(result.stdout)")
    #expect(!result.stdout.utf8.contains { $0 < 0x20 && $0 != 0x0A } && !result.stdout.utf8.contains(0x7F))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let failures = try #require(object["failures"] as? [[String: String]])
    #expect(failures.count == 1 && failures[0]["problem"]?.contains(HostileText.forged) == true)
    #expect(failures[0]["task_id"] == "hostile\u{202E}[31m")
  }
}
