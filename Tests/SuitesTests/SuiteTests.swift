import Foundation
import Testing
import Values

@testable import Suites

@Suite(.timeLimit(.minutes(10))) struct SuiteLoadingTests {
  @Test("HumanEval lines: prompt code, solution = prompt + body, check(candidate)")
  func humanEval() throws {
    let root = try Fixtures.directory(["he.jsonl": Fixtures.humanEval])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let suite = try Suite.load("\(root)/he.jsonl")
    #expect(suite.tasks.count == 2)
    let task = try #require(suite["Demo/0"])
    #expect(task.entryPoint == "add")
    #expect(task.promptCode == task.prompt)
    #expect(task.solution?.hasSuffix("    return a + b\n") == true)
    #expect(task.tests == [.statement("check(candidate)")])
    #expect(task.publicCount == 0)
    #expect(task.signature?.description == "def add(a: int, b: int) -> int")
    #expect(task.origin.format == .humanEval && task.origin.line == 1)
  }

  @Test("MBPP lines: the entry point comes from the asserts; one test per assert")
  func mbpp() throws {
    let root = try Fixtures.directory(["m.jsonl": Fixtures.mbpp])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let suite = try Suite.load("\(root)/m.jsonl")
    let task = try #require(suite["MBPP/11"])
    #expect(task.entryPoint == "count_vowels")
    #expect(task.tests.count == 3)
    #expect(task.publicCount == 1)
    #expect(suite["MBPP/12"]?.entryPoint == "max_of_three")
  }

  @Test("Crucible lines: typed data tests, public count, code test, tags and level")
  func crucible() throws {
    let root = try Fixtures.directory(["c.jsonl": Fixtures.crucible])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let suite = try Suite.load("\(root)/c.jsonl")
    let pairs = try #require(suite["pairs"])
    #expect(pairs.publicCount == 1)
    #expect(
      pairs.tests[0]
        == .data([.list([.int(5), .int(6)])], .list([.tuple([.int(0), .int(5)]), .tuple([.int(1), .int(6)])])))
    #expect(pairs.signature?.returns?.description == "list[tuple[int, int]]")
    #expect(pairs.tags == ["lists"] && pairs.level == 1)
    let keys = try #require(suite["keys"])
    #expect(keys.tests.count == 3)
    #expect(keys.tests.last == .statement("check(candidate)"))
    #expect(keys.testSetup.contains("def check"))
    #expect(keys.publicCount == 1)  // the documented default: half, at most 3
  }

  @Test("Task directories, found recursively next to JSONL files, and .jsonl.gz")
  func directories() throws {
    var files = Fixtures.taskDirectory
    files["t/more.jsonl"] = Fixtures.crucible
    let root = try Fixtures.directory(files)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
    gzip.arguments = ["\(root)/t/more.jsonl"]
    try gzip.run()
    gzip.waitUntilExit()
    let suite = try Suite.load(root)
    #expect(suite.tasks.map(\.id).sorted() == ["keys", "pairs", "reverse"])
    let reverse = try #require(suite["reverse"])
    #expect(reverse.prompt == "Reverse the string.\n")
    #expect(reverse.tests.count == 3)
    #expect(reverse.solution == "def rev(s):\n    return s[::-1]\n")
    #expect(reverse.publicCount == 1)
  }

  /// Each broken input must produce a problem that names where it is.
  @Test(
    "Invalid input: every problem names file, line or task, field and value",
    arguments: [
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "level": "hard"}"#,
        "level", "\"hard\""
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": 1, "expected": 2}]}"#, "tests[0].args",
        "1"
      ),
      (#"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1]}]}"#, "tests[0].expected", nil),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "2f", "tests": [{"args": [1], "expected": 2}]}"#,
        "entry_point", "\"2f\""
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "public": 5}"#,
        "public", "5"
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2, "expcted": 3}]}"#,
        "tests[0].expcted", "3"
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "signature": "def g(x)"}"#,
        "signature", "\"def g(x)\""
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1, 2], "expected": 2}], "signature": "def f(x)"}"#,
        "tests[0].args", nil
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [{"bytes": "xyz"}], "expected": 2}]}"#,
        "tests[0].args[0].bytes", nil
      ),
      (
        #"{"task_id": "a", "prompt": "", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}"#, "prompt",
        "\"\""
      ),
      (#"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": []}"#, "tests", nil),
      (
        #"{"task_id": "a", "text": "t", "code": "def f(): pass", "test_list": ["print(1)"]}"#, "test_list[0]",
        "\"print(1)\""
      ),
      (
        #"{"task_id": "a", "prompt": "def f():\n", "canonical_solution": "", "test": "assert True", "entry_point": "f"}"#,
        "test", nil
      ),
      (#"{"task_id": "a", "prompt": "p"}"#, nil, nil),
      // An id that would break every table and file name that shows it.
      (
        #"{"task_id": "a\nb", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}"#,
        "task_id", nil
      ),
      (
        #"{"task_id": "a\u2028b", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}"#,
        "task_id", nil
      ),
      (
        #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "level": 1000000000000000000000000000000}"#,
        "level", "1000000000000000000000000000000"
      ),
      (#"[1, 2]"#, nil, nil),
      (#"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}"#, nil, nil),
    ] as [(String, String?, String?)])
  func invalid(_ line: String, _ field: String?, _ value: String?) throws {
    let root = try Fixtures.directory(["bad.jsonl": "\n" + line + "\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect {
      try Suite.load("\(root)/bad.jsonl")
    } throws: { error in
      guard let problems = (error as? SuiteError)?.problems, let problem = problems.first else { return false }
      return problem.file.hasSuffix("bad.jsonl") && problem.line == 2 && problem.field == field
        && (value == nil || problem.value == value)
    }
  }

  @Test("An integer too large says its range, not that it is not an integer; a bad id says what is wrong")
  func messages() throws {
    let lines = [
      #"{"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "level": 1000000000000000000000000000000}"#,
      #"{"task_id": "b\u0007", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}"#,
    ]
    let root = try Fixtures.directory(["bad.jsonl": lines.joined(separator: "\n") + "\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let error = #expect(throws: SuiteError.self) { try Suite.load("\(root)/bad.jsonl") }
    let text = error?.description ?? ""
    #expect(text.contains("level") && text.contains("must be between") && !text.contains("not an integer"), "\(text)")
    #expect(text.contains("task_id") && text.contains("control characters"), "\(text)")
  }

  @Test("Every problem is reported, not only the first; duplicates are named")
  func allProblems() throws {
    let text = """
      {"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}
      {"task_id": "a", "prompt": "p", "entry_point": "f", "tests": [{"args": [1], "expected": 2}]}
      {"task_id": "b", "prompt": 3, "entry_point": "f", "tests": [{"args": [1], "expected": 2}], "level": 0}
      """
    let root = try Fixtures.directory(["two.jsonl": text])
    defer { try? FileManager.default.removeItem(atPath: root) }
    do {
      _ = try Suite.load("\(root)/two.jsonl")
      Issue.record("loaded a suite with problems")
    } catch {
      #expect(error.problems.count == 3, "\(error.problems)")
      #expect(error.problems.contains { $0.line == 2 && $0.message.contains("duplicates the task at") })
      #expect(error.problems.contains { $0.line == 3 && $0.field == "prompt" })
      #expect(error.problems.contains { $0.line == 3 && $0.field == "level" })
    }
  }

  @Test("Missing paths, wrong extensions, broken gzip and non-UTF-8 are problems")
  func files() throws {
    let root = try Fixtures.directory(["x.txt": "hi", "bad.jsonl.gz": "not gzip", "empty/.keep": ""])
    defer { try? FileManager.default.removeItem(atPath: root) }
    try Data([0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: "\(root)/latin.jsonl"))
    for (path, mention) in [
      ("\(root)/nope", "no such file"), ("\(root)/x.txt", ".jsonl"), ("\(root)/bad.jsonl.gz", "gzip"),
      ("\(root)/latin.jsonl", "UTF-8"), ("\(root)/empty", "no tasks"),
    ] {
      #expect {
        try Suite.load(path)
      } throws: { error in
        (error as? SuiteError)?.problems.first?.description.contains(mention) == true
      }
    }
  }
}
