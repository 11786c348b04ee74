import Foundation
import Policy
import Suites
import TestSupport
import Testing
import Values
import Verdicts

@testable import LanguageModel

/// The prompts of a standard-input task: the statement, limits and samples
/// for a whole program; the failing sample and its verdict for a revision;
/// every part bounded. The prompts of function tasks stay as they were.
@Suite(.timeLimit(.minutes(5))) struct ProgramPromptTests {
  static let statement = """
    # Sum of Two

    Print the sum of two integers.

    ## Input

    One line: $a$ and $b$ ($-10^9 \\le a, b \\le 10^9$).

    ## Output

    Their sum.
    """

  static let checkerSource = "import sys\n# SECRET-CHECKER-MARK\nsys.exit(0)\n"

  static func task(
    tests: [(String, String)] = [("1 2\n", "3\n"), ("5 -7\n", "-2\n"), ("0 0\n", "0\n")], publicCount: Int = 2,
    checker: OutputChecker = .tokens, prompt: String = statement
  ) -> TaskView {
    TaskView(
      CodingTask(
        id: "sum-two", prompt: prompt, entryPoint: "", tests: tests.map { .io($0.0, $0.1) },
        publicCount: publicCount, origin: Origin(file: "memory", format: .crucible),
        io: ProgramIO(timeLimitSeconds: 2, memoryLimitMiB: 256, checker: checker)))
  }

  static let functionTask = TaskView(
    CodingTask(
      id: "add", prompt: "Add a and b.", entryPoint: "add",
      signature: Signature.parse("def add(a: int, b: int) -> int"),
      tests: [.data([.int(1), .int(2)], .int(3)), .data([.int(2), .int(2)], .int(4))], publicCount: 1,
      origin: Origin(file: "memory", format: .crucible)))

  // MARK: what a policy may know

  @Test("A program's view: its limits, its checker by name (never a checker's source), its samples as pairs")
  func view() {
    let view = Self.task(checker: .program(Self.checkerSource))
    #expect(view.isProgram)
    #expect(view.program == ProgramView(timeLimitSeconds: 2, memoryLimitMiB: 256, checker: "checker.py"))
    #expect(view.publicIO.map(\.input) == ["1 2\n", "5 -7\n"])
    #expect(view.publicIO.map(\.output) == ["3\n", "-2\n"])
    #expect(!String(describing: view).contains("SECRET-CHECKER-MARK"))
    let float = Self.task(checker: .float(tolerance: 1e-4))
    #expect(float.program?.checker == "float" && float.program?.tolerance == 1e-4)
    #expect(!Self.functionTask.isProgram && Self.functionTask.publicIO.isEmpty)
  }

  // MARK: proposals

  @Test("The proposal: the statement, the limits, the samples as blocks, a whole program asked for")
  func proposal() throws {
    let prompts = try Prompts.shipped()
    let view = Self.task()
    let text = prompts.proposal(for: view)
    let wanted = [
      "Print the sum of two integers.", "## Input", "2 seconds per test, 256 MiB of memory.",
      "compared token by token", "Sample test 1\nInput:\n```\n1 2\n```\nExpected output:\n```\n3\n```",
      "Sample test 2\nInput:\n```\n5 -7\n```\nExpected output:\n```\n-2\n```", "complete Python 3 program",
      "standard input", "sys.stdin.buffer.read()",
    ]
    for words in wanted { #expect(text.contains(words), "\(words)\n---\n\(text)") }
    // The hidden test stays hidden; nothing of the function prompts.
    #expect(!text.contains("Sample test 3") && !text.contains("0 0"))
    for unwanted in ["assert", "Signature", "def (", "{prompt}", "{limits}", "{examples}", "{exemplars}"] {
      #expect(!text.contains(unwanted), "\(unwanted)")
    }
    #expect(prompts.system(for: view).contains("standard input"))
    #expect(prompts.system(for: Self.functionTask) == prompts.system)
  }

  @Test(
    "Each checker is described in words",
    arguments: [
      (OutputChecker.tokens, "token by token"), (.exact, "byte for byte"), (.lines, "line by line"),
      (.float(tolerance: 1e-6), "error of 1e-06"), (.program(checkerSource), "any one of them is accepted"),
    ])
  func checkers(_ checker: OutputChecker, words: String) throws {
    let text = try Prompts.shipped().proposal(for: Self.task(checker: checker))
    #expect(text.contains(words))
    #expect(!text.contains("SECRET-CHECKER-MARK"))
  }

  @Test("Limits read as people write them", arguments: [(1.0, "1 second"), (2.0, "2 seconds"), (1.5, "1.5 seconds")])
  func limits(_ seconds: Double, words: String) {
    let view = ProgramView(timeLimitSeconds: seconds, memoryLimitMiB: 64, checker: "tokens")
    #expect(Prompts.limits(view).hasPrefix("\(words) per test, 64 MiB of memory."))
  }

  @Test("A statement holding a placeholder's name is shown as written")
  func placeholdersInStatement() throws {
    let text = try Prompts.shipped().proposal(for: Self.task(prompt: "Print {limits} and {examples} literally."))
    #expect(text.contains("Print {limits} and {examples} literally."))
  }

  @Test("A large sample is cut in the middle, saying how much; many samples are bounded together")
  func boundedSamples() throws {
    let prompts = try Prompts.shipped()
    let numbers = (1...20_000).map(String.init)
    let input = "20000\n" + numbers.joined(separator: "\n") + "\n"
    let big = prompts.proposal(for: Self.task(tests: [(input, "200010000\n"), ("1 1\n", "2\n")], publicCount: 1))
    #expect(big.count < Self.statement.count + 4_000, "\(big.count)")
    #expect(big.contains("20000\n1\n2\n3\n"), "the head")
    #expect(big.contains("19999\n20000\n```"), "the tail")
    let marker = try #require(big.firstMatch(of: /\[\.\.\. (\d+) characters cut, (\d+) line breaks \.\.\.\]/))
    #expect(Int(marker.1)! > input.count - Prompts.ProgramBounds.sampleText - 10)
    #expect(Int(marker.2)! > 19_000)
    let many = (0..<30).map { (String(repeating: "\($0) ", count: 300), "\($0)\n") }
    let text = prompts.proposal(for: Self.task(tests: many + [("0", "0")], publicCount: 30))
    #expect(text.count < Self.statement.count + Prompts.ProgramBounds.samples + 3_000, "\(text.count)")
    #expect(text.contains("more sample tests not shown"))
    #expect(text.contains("Sample test 1\n") && !text.contains("Sample test 30\n"))
  }

  @Test("Exemplars: a program task shows whole programs, not functions")
  func exemplars() throws {
    let prompts = try Prompts.shipped()
    let exemplars = [
      Exemplar(taskID: "f", prompt: "Double it.", program: "def double(x):\n    return 2 * x\n", round: 1),
      Exemplar(taskID: "p", prompt: "Print n squared.", program: "n = int(input())\nprint(n * n)\n", round: 1),
    ]
    let text = prompts.proposal(for: Self.task(), exemplars: exemplars)
    #expect(text.contains("Solved examples:") && text.contains("print(n * n)"))
    #expect(!text.contains("def double"))
    // A function task's prompt is what it was: every exemplar, the function template.
    let function = prompts.proposal(for: Self.functionTask, exemplars: exemplars)
    #expect(function.contains("def double") && function.contains("print(n * n)"))
  }

  @Test("A function task's prompts are unchanged")
  func functionPromptsUnchanged() throws {
    let prompts = try Prompts.shipped()
    #expect(
      prompts.proposal(for: Self.functionTask)
        == "Write the Python function `add`.\n\nTask: Add a and b.\n\nSignature:\ndef add(a: int, b: int) -> int:\n\n"
        + "It must pass these tests:\nassert add(1, 2) == 3\n")
    let feedback = Feedback(
      candidateID: "c", outcomes: [.init(index: 0, passed: false, kind: .wrongAnswer, detail: "expected 3, got 4")])
    let revision = prompts.revision(
      for: Self.functionTask, program: "def add(a, b):\n    return 4\n", feedback: feedback)
    #expect(revision == prompts.revision(program: "def add(a, b):\n    return 4\n", feedback: feedback))
    #expect(revision.contains("- test 1: wrong_answer: expected 3, got 4"))
  }

  // MARK: revisions

  struct RevisionCase: Sendable, CustomTestStringConvertible {
    var kind: TestVerdict.Kind
    var detail: String
    /// Words the revision must hold.
    var words: [String]
    /// Whether the failing sample's input and expected output are shown.
    var showsSample = true
    var testDescription: String { kind.rawValue }
  }

  static let revisionCases: [RevisionCase] = [
    RevisionCase(
      kind: .wrongAnswer, detail: "expected -2, got 12 (token 1 differs)",
      words: ["Sample test 2 failed: wrong answer", "expected -2, got 12 (token 1 differs)"]),
    RevisionCase(
      kind: .presentationError, detail: "presentation: expected -2, got  -2",
      words: ["presentation error", "exact checker"]),
    RevisionCase(kind: .timeout, detail: "time limit exceeded", words: ["time limit exceeded", "limit of 2 seconds"]),
    RevisionCase(kind: .memoryLimit, detail: "memory limit exceeded", words: ["more than 256 MiB"]),
    RevisionCase(
      kind: .runtimeError, detail: "ValueError: invalid literal for int() with base 10: '5 -7' (line 1)",
      words: ["runtime error: ValueError: invalid literal", "(line 1)"]),
    RevisionCase(kind: .outputLimit, detail: "output limit exceeded", words: ["wrote far more"]),
    RevisionCase(
      kind: .syntaxError, detail: "SyntaxError: invalid syntax (line 3)",
      words: ["syntax error: SyntaxError: invalid syntax (line 3)"], showsSample: false),
  ]

  @Test(
    "The revision: the program, the failing sample's input and expected output, the verdict", arguments: revisionCases)
  func revision(_ c: RevisionCase) throws {
    let prompts = try Prompts.shipped()
    let view = Self.task(checker: c.kind == .presentationError ? .exact : .tokens)
    let feedback = Feedback(
      candidateID: "c",
      outcomes: [
        .init(index: 0, passed: true, kind: .passed, detail: "passed"),
        .init(index: 1, passed: false, kind: c.kind, detail: c.detail),
      ])
    let program = "a, b = input().split()\nprint(int(a) + int(b) + 14)\n"
    let text = prompts.revision(for: view, program: program, feedback: feedback)
    #expect(text.contains("```python\n" + program + "```"))
    #expect(text.contains("It passed 1 of 2 sample tests."))
    for words in c.words { #expect(text.contains(words), "\(words)\n---\n\(text)") }
    #expect(text.contains("Its input:\n```\n5 -7\n```") == c.showsSample, "\(text)")
    #expect(text.contains("Its expected output:\n```\n-2\n```") == c.showsSample)
    #expect(text.contains("whole corrected program"))
    #expect(!text.contains("{feedback}") && !text.contains("{program}"))
  }

  @Test("A revision's feedback is bounded: long inputs and outputs cut, other failures a line each")
  func boundedRevision() throws {
    let numbers = (1...100_000).map { String($0 * 7 % 1_000_003) }
    let input = "100000\n" + numbers.joined(separator: " ") + "\n"
    let output = numbers.reversed().joined(separator: "\n") + "\n"
    var tests = [(input, output)]
    tests += (0..<12).map { ("\($0)\n", "\($0)\n") }
    let view = Self.task(tests: tests + [("x", "y")], publicCount: 13)
    let outcomes = (0..<13).map {
      Feedback.TestOutcome(
        index: $0, passed: false, kind: .wrongAnswer,
        detail: "expected 1 2 3, got " + String(repeating: "9 ", count: 2_000))
    }
    let text = Prompts.describeProgram(Feedback(candidateID: "c", outcomes: outcomes), of: view)
    let bound = Prompts.ProgramBounds.feedback + 100
    #expect(text.count <= bound, "\(text.count)")
    #expect(text.contains("It passed 0 of 13 sample tests."))
    #expect(text.contains("Its input:\n```\n100000\n7 14 21"), "the input's head")
    #expect(text.contains("characters cut"), "a marker")
    #expect(text.contains("- sample test 2: wrong answer"))
    #expect(text.contains("- sample test 6: ") && !text.contains("- sample test 7: "))
    #expect(text.contains("- and 7 more"))
    // The failing sample's detail is cut too.
    #expect(!text.contains(String(repeating: "9 ", count: 400)))
  }

  @Test(
    "Excerpts keep short texts, cut long ones at line breaks, and count what they cut",
    arguments: [10, 100, 1_000, 5_000, 100_000])
  func excerpts(_ limit: Int) {
    let lines = (0..<2_000).map { "line \($0)" }
    let text = lines.joined(separator: "\n")
    let cut = Prompts.excerpt(text, limit: limit)
    #expect(Prompts.excerpt("short", limit: limit) == "short")
    let marker = cut.firstMatch(of: /\[\.\.\. (\d+) characters cut/)
    #expect(marker != nil)
    let shown = cut.replacing(/\n?\[\.\.\. .* cut.*\.\.\.\]\n?/, with: "\n")
    #expect(shown.count <= limit + 1)
    #expect(shown.split(separator: "\n").count <= Prompts.ProgramBounds.lines)
    #expect(Int(marker?.1 ?? "") == text.count - shown.count + 1)
    #expect(text.hasPrefix(cut.prefix { $0 != "[" }.dropLast()))
    if limit >= 100 {
      #expect(cut.hasPrefix("line 0\n") && cut.hasSuffix("line 1999"))
      // At line breaks: every line shown is whole.
      for line in cut.split(separator: "\n") where !line.hasPrefix("[") { #expect(lines.contains(String(line))) }
    }
  }

  // MARK: base models

  @Test("A base model continues the stub after the statement in comments; its program is the stub and what follows")
  func completion() throws {
    let prompts = try Prompts.shipped()
    let view = Self.task()
    let prompt = prompts.completion(for: view)
    #expect(prompt.hasSuffix("\n\nimport sys\n"))
    #expect(prompt.contains("# Print the sum of two integers.") && prompt.contains("# 5 -7"))
    #expect(prompt.split(separator: "\n").dropLast().allSatisfy { $0.hasPrefix("#") })
    let program = CodeExtraction.programFromCompletion(
      "a, b = map(int, sys.stdin.read().split())\nprint(a + b)\n```\nThat is all.", prompt: Prompts.programStub)
    #expect(program == "import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n")
    #expect(CodeExtraction.programFromCompletion("\n  \n", prompt: Prompts.programStub) == nil)
  }

  @Test("A base model's program task: no stop at a top-level line, the whole program kept")
  func completionsPolicy() async throws {
    let server = try FaultServer(answer: { _ in "a, b = map(int, sys.stdin.read().split())\nprint(a + b)\n" })
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, api: .completions)) { client in
      let sampling = Sampling(stop: ["\ndef ", "\nprint(", "\nif __name__", "```"])
      let policy = LanguageModelPolicy(client: client, sampling: sampling, prompts: try Prompts.shipped())
      let candidates = try await policy.propose(ProposeRequest(task: Self.task(), count: 1))
      #expect(candidates.map(\.program) == ["import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n"])
      // A function task keeps every stop.
      _ = try await policy.propose(ProposeRequest(task: Self.functionTask, count: 1))
    }
    let stops = try server.requests.map { body in
      let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
      return json["stop"] as? [String] ?? []
    }
    #expect(stops == [["```"], ["\ndef ", "\nprint(", "\nif __name__", "```"]])
    #expect(server.requests.first?.contains("import sys") == true)
  }

  // MARK: templates on disk

  @Test("A prompt directory without the program templates keeps the shipped ones; one without a placeholder is refused")
  func templates() throws {
    let directory = try scratch("prompts")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let shipped = try Prompts.shipped()
    try "Mine: {prompt}".write(toFile: "\(directory)/propose.txt", atomically: true, encoding: .utf8)
    let loaded = try Prompts.load(from: directory)
    #expect(loaded.propose == "Mine: {prompt}")
    #expect(loaded.programPropose == shipped.programPropose && !loaded.programPropose.isEmpty)
    #expect(loaded.programSystem == shipped.programSystem && loaded.programRevise == shipped.programRevise)
    try "Solve {prompt}".write(toFile: "\(directory)/program-propose.txt", atomically: true, encoding: .utf8)
    #expect {
      _ = try Prompts.load(from: directory)
    } throws: { error in
      "\(error)".contains("program-propose.txt") && "\(error)".contains("{examples}")
    }
  }

  // MARK: the policy, end to end

  @Test(
    "The policy asks a program task's prompts and keeps the whole program it is answered", arguments: [true, false])
  func policy(revising: Bool) async throws {
    let answer =
      "Here it is:\n```python\nimport sys\n\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n"
      + "    print(a + b)\n\nmain()\n```\nIt reads both numbers."
    let server = try FaultServer(answer: { _ in answer })
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, api: .chat)) { client in
      let policy = LanguageModelPolicy(client: client, sampling: Sampling(), prompts: try Prompts.shipped())
      let view = Self.task()
      let candidates: [Candidate]
      if revising {
        let failed = Candidate(
          program: "print(0)\n", score: 0, provenance: Provenance(policy: "openai", parameters: "", sampleIndex: 0))
        let feedback = Feedback(
          candidateID: failed.id,
          outcomes: [.init(index: 0, passed: false, kind: .wrongAnswer, detail: "expected 3, got 0")])
        candidates = try await policy.revise(
          ReviseRequest(task: view, candidate: failed, feedback: feedback, count: 1))
      } else {
        candidates = try await policy.propose(ProposeRequest(task: view, count: 1))
      }
      #expect(
        candidates.map(\.program) == [
          "import sys\n\ndef main():\n    a, b = map(int, sys.stdin.read().split())\n    print(a + b)\n\nmain()\n"
        ])
    }
    let body = try #require(server.requests.first)
    #expect(body.contains("competitive programmer"), "the program system prompt")
    #expect(body.contains("Sample test 1"))
    #expect(body.contains("Its input:") == revising)
  }
}
