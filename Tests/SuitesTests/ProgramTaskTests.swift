import Foundation
import Testing

@testable import Suites

/// Standard-input tasks on disk: task directories with judges' test files,
/// the Crucible JSONL shape, and every problem named where it is.
@Suite(.timeLimit(.minutes(2))) struct ProgramTaskTests {
  /// A valid program task directory, `sum`.
  static let valid: [String: String] = [
    "sum/task.json": #"{"time_limit": 1.5, "memory_limit": 64, "checker": "float", "tolerance": 0.001, "public": 1}"#,
    "sum/prompt.md": "Print a + b.\n",
    "sum/solution.py": "a, b = map(int, input().split())\nprint(a + b)\n",
    "sum/tests/1.in": "1 2\n", "sum/tests/1.out": "3\n",
    "sum/tests/2.in": "2 2\n", "sum/tests/2.out": "4\n",
    "sum/tests/10.in": "10 2\n", "sum/tests/10.out": "12\n",
  ]

  @Test("A task directory: tests/NAME.in and .out in the order of their numbers, limits and checker read")
  func directory() throws {
    let root = try Fixtures.directory(Self.valid)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let task = try #require(try Suite.load(root)["sum"])
    #expect(task.isProgram && task.entryPoint.isEmpty && task.signature == nil)
    #expect(
      task.tests.map(\.body) == [
        .io(input: "1 2\n", output: "3\n"), .io(input: "2 2\n", output: "4\n"),
        .io(input: "10 2\n", output: "12\n"),
      ])
    #expect(task.io == ProgramIO(timeLimitSeconds: 1.5, memoryLimitMiB: 64, checker: .float(tolerance: 0.001)))
    #expect(task.publicCount == 1)
  }

  @Test("checker.py is the checker when the task has one; defaults are 2 s, 256 MiB, tokens")
  func checkerAndDefaults() throws {
    var files = Self.valid
    files["sum/task.json"] = "{}"
    files["sum/checker.py"] = "import sys\nsys.exit(0)\n"
    files["plain/task.json"] = "{}"
    files["plain/prompt.md"] = "Echo.\n"
    files["plain/tests.jsonl"] = #"{"input": "x\n", "output": "x\n"}"# + "\n"
    let root = try Fixtures.directory(files)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let suite = try Suite.load(root)
    #expect(suite["sum"]?.io?.checker == .program("import sys\nsys.exit(0)\n"))
    #expect(suite["plain"]?.io == ProgramIO(timeLimitSeconds: 2, memoryLimitMiB: 256, checker: .tokens))
  }

  @Test("A Crucible JSONL line with input/output tests is a program task")
  func jsonl() throws {
    let line =
      #"{"task_id": "echo", "prompt": "Echo the line.", "tests": [{"input": "a\n", "output": "a\n"}, {"input": "b\n", "output": "b\n"}], "checker": "exact", "time_limit": 3}"#
    let root = try Fixtures.directory(["s.jsonl": line + "\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let task = try #require(try Suite.load("\(root)/s.jsonl")["echo"])
    #expect(task.io == ProgramIO(timeLimitSeconds: 3, memoryLimitMiB: 256, checker: .exact))
    #expect(task.tests.count == 2 && task.publicCount == 1)
  }

  /// A broken program task: the files changed, and what the problem must name.
  struct Broken: CustomTestStringConvertible, Sendable {
    var name: String
    var files: [String: String?]
    var mentions: [String]
    var testDescription: String { name }
  }

  static let broken: [Broken] = [
    Broken(
      name: "an entry point", files: ["sum/task.json": #"{"entry_point": "f"}"#],
      mentions: ["entry_point", "has no entry_point"]),
    Broken(name: "an input without its output", files: ["sum/tests/2.out": nil], mentions: ["2.out", "no pair"]),
    Broken(
      name: "a stray file in tests/", files: ["sum/tests/notes.txt": "hi"], mentions: ["notes.txt", "not a test file"]),
    Broken(
      name: "checker.py named, none there", files: ["sum/task.json": #"{"checker": "checker.py"}"#],
      mentions: ["checker", "no checker.py"]),
    Broken(
      name: "an unknown checker", files: ["sum/task.json": #"{"checker": "regex"}"#],
      mentions: ["checker", "regex", "must be one of"]),
    Broken(
      name: "a checker.py beside another checker",
      files: ["sum/task.json": #"{"checker": "tokens"}"#, "sum/checker.py": "pass\n"],
      mentions: ["checker", "has a checker.py"]),
    Broken(
      name: "a tolerance without float", files: ["sum/task.json": #"{"tolerance": 0.1}"#],
      mentions: ["tolerance", "float checker only"]),
    Broken(
      name: "a time limit of 0", files: ["sum/task.json": #"{"time_limit": 0}"#],
      mentions: ["time_limit", "between"]),
    Broken(
      name: "a memory limit that is not an integer", files: ["sum/task.json": #"{"memory_limit": "lots"}"#],
      mentions: ["memory_limit", "integer"]),
    Broken(
      name: "a function test among input/output tests",
      files: ["sum/tests.jsonl": #"{"args": [1], "expected": 1}"# + "\n"],
      mentions: ["function test"]),
    Broken(
      name: "a time limit on a function task",
      files: [
        "sum/task.json": #"{"entry_point": "f", "time_limit": 1}"#, "sum/tests.jsonl": #"{"args": [1], "expected": 1}"#,
        "sum/tests/1.in": nil, "sum/tests/1.out": nil, "sum/tests/2.in": nil, "sum/tests/2.out": nil,
        "sum/tests/10.in": nil, "sum/tests/10.out": nil,
      ],
      mentions: ["time_limit", "standard-input tasks only"]),
    Broken(
      name: "an output that is not UTF-8", files: ["sum/tests/1.out": "\u{FFFF}"],
      mentions: ["1.out", "UTF-8"]),
  ]

  @Test("Each broken program task is refused with a problem naming its file or field", arguments: broken)
  func refused(_ c: Broken) throws {
    var files = Self.valid
    for (path, text) in c.files { files[path] = text }
    let root = try Fixtures.directory(files.compactMapValues { $0 })
    defer { try? FileManager.default.removeItem(atPath: root) }
    if c.name.hasPrefix("an output that is not UTF-8") {
      // Bytes no UTF-8 decoder accepts.
      try Data([0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: "\(root)/sum/tests/1.out"))
    }
    let error = #expect(throws: SuiteError.self) { try Suite.load(root) }
    let text = "\(String(describing: error))"
    for word in c.mentions { #expect(text.contains(word), "\(c.name): \(text)") }
  }
}

/// Links in a task directory: a host file (`tests/01.in -> /etc/passwd`,
/// `prompt.md -> /etc/hostname`) is refused, since a candidate reads its
/// input and can echo it into a verdict, and a prompt goes to a model; a
/// link that stays inside the task's directory is read, and special files
/// (a fifo, `/dev/zero`) are refused without hanging.
@Suite(.timeLimit(.minutes(2))) struct TaskLinkTests {
  struct Link: CustomTestStringConvertible, Sendable {
    var name: String
    /// The link, under the task's directory, and where it points.
    var link: String
    var target: String
    /// Words the problem must hold; empty: the task loads.
    var mentions: [String]
    var testDescription: String { name }
  }

  static let links: [Link] = [
    Link(
      name: "an input linked to a host file", link: "sum/tests/1.in", target: "/etc/passwd",
      mentions: ["1.in", "outside the task's directory"]),
    Link(
      name: "an expected output linked through ../..", link: "sum/tests/1.out", target: "../../../../../../etc/passwd",
      mentions: ["1.out", "outside the task's directory"]),
    Link(
      name: "a prompt linked to a host file", link: "sum/prompt.md", target: "/etc/hostname", mentions: ["prompt.md"]),
    Link(
      name: "a checker linked to a host file", link: "sum/checker.py", target: "/etc/passwd", mentions: ["checker.py"]),
    Link(name: "an input linked to /dev/zero", link: "sum/tests/1.in", target: "/dev/zero", mentions: ["1.in"]),
    Link(name: "an input linked to another of the task's files", link: "sum/tests/1.in", target: "2.in", mentions: []),
  ]

  @Test("A link out of the task's directory is refused; one inside it is read", arguments: links)
  func link(_ c: Link) throws {
    var files = ProgramTaskTests.valid
    files[c.link] = nil
    files["sum/task.json"] = #"{"public": 1}"#
    let root = try Fixtures.directory(files)
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createSymbolicLink(atPath: "\(root)/\(c.link)", withDestinationPath: c.target)
    if c.mentions.isEmpty {
      let task = try #require(try Suite.load(root)["sum"])
      #expect(task.tests.first?.body == .io(input: "2 2\n", output: "3\n"))
      return
    }
    let error = #expect(throws: SuiteError.self) { try Suite.load(root) }
    let text = "\(String(describing: error))"
    for word in c.mentions { #expect(text.contains(word), "\(c.name): \(text)") }
    #expect(!text.contains("root:"), "\(c.name): \(text)")
  }

  @Test("A fifo in tests/ is refused, and loading does not block on it")
  func fifo() throws {
    var files = ProgramTaskTests.valid
    files["sum/tests/1.in"] = nil
    let root = try Fixtures.directory(files)
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(mkfifo("\(root)/sum/tests/1.in", 0o644) == 0)
    let error = #expect(throws: SuiteError.self) { try Suite.load(root) }
    #expect("\(String(describing: error))".contains("1.in"))
  }
}
