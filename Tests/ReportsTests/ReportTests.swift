import Evaluation
import Foundation
import Journal
import Learning
import Policy
import Search
import Support
import TestSupport
import Testing

@testable import Reports

/// The reports end to end, with every hostile string as a task id, a
/// suite path and a first failure's detail. (A first failure's verdict is a
/// verdict kind: a file whose verdict is anything else is refused on read.)
@Suite(.timeLimit(.minutes(2))) struct ReportTests {
  static let cases = HostileText.cases

  static func results() throws -> EvalResults {
    let tasks = try cases.enumerated().map { index, hostile in
      let object: [String: Any] = [
        "task_id": "t\(index) \(hostile.text)", "position": index, "tags": [hostile.text], "n": 1, "correct": 0,
        "flaky": 0, "infrastructure_errors": 0, "status": "failed", "pass_at_k": ["1": 0.0],
        "first_failure": ["sample": 0, "test": 1, "verdict": "runtime_error", "detail": hostile.text],
        "reason": "why \(hostile.text)",
        "cost": [
          "sandbox_runs": 1, "prompt_tokens": 0, "completion_tokens": 0, "sandbox_ms": 5.0, "model_ms": 0.0,
        ],
      ]
      return try JSONDecoder().decode(
        EvalResults.TaskResult.self, from: JSONSerialization.data(withJSONObject: object))
    }
    let run = EvalResults.RunInfo(
      suite: "suite \u{1B}]0;title\u{07}\n\(HostileText.forged)", suiteDigest: "0", suiteTasks: tasks.count,
      source: "completions", completions: "c\u{202E}.jsonl", samples: 1, ks: [1], seed: 0, timeoutSeconds: 1,
      reruns: 0)
    return EvalResults(run: run, tasks: tasks, wallMilliseconds: 10)
  }

  @Test("A first failure whose verdict is not a verdict kind is refused on read, naming it")
  func unknownVerdict() throws {
    let object: [String: Any] = ["sample": 0, "test": 1, "verdict": "runtime_error \u{1B}[2J", "detail": ""]
    let error = #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(EvalResults.Failure.self, from: JSONSerialization.data(withJSONObject: object))
    }
    #expect("\(String(describing: error))".contains("runtime_error"))
  }

  @Test("JUnit: well-formed, nothing hidden, each failure's detail on one line and visible")
  func junit() throws {
    let xml = EvalReport(results: try Self.results()).junit
    #expect(HostileText.hidden(in: xml, multiline: true).isEmpty)
    let document = XMLCheck(xml)
    #expect(document.wellFormed, "\(document.error ?? "")")
    let failures = document.named("failure")
    let testcases = document.named("testcase")
    #expect(failures.count == Self.cases.count && testcases.count == Self.cases.count)
    for (index, hostile) in Self.cases.enumerated() where index < failures.count {
      #expect(failures[index].text == SafeText.visible(hostile.text))
      #expect(failures[index].text.contains(hostile.visible))
      #expect(testcases[index].attributes["name"] == SafeText.visible("t\(index) \(hostile.text)"))
      #expect(failures[index].attributes["message"]?.contains("\n") == false)
    }
  }

  @Test("Markdown: one table row per task, nothing hidden, no forged line")
  func markdown() throws {
    let markdown = EvalReport(results: try Self.results()).markdown
    #expect(HostileText.hidden(in: markdown, multiline: true).isEmpty)
    let lines = markdown.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("| t") && !$0.hasPrefix("| task") }.count == Self.cases.count)
    #expect(!lines.contains { $0.hasPrefix(HostileText.forged) })
    #expect(lines.first?.hasPrefix("# Evaluation: suite \\x1b]0;title\\x07\\n164/164") == true)
  }

  @Test("HTML: nothing hidden, no candidate markup, every detail visible")
  func html() throws {
    let html = EvalReport(results: try Self.results()).html
    #expect(HostileText.hidden(in: html, multiline: true).isEmpty)
    #expect(!html.contains("<script"))
    #expect(html.contains("\\x1b[2J") && html.contains("\\u202e") && html.contains("&lt;script&gt;"))
  }

  @Test("The solve table: one line per task, nothing hidden")
  func solveTable() {
    let outcomes = Self.cases.map { hostile in
      TaskOutcome(
        taskID: hostile.text, solved: false, chosen: nil, hiddenPassed: 0, hiddenTotal: 0, attempts: 1, sandboxRuns: 1,
        proposals: 1, wallMilliseconds: 1, stop: "budget\(hostile.text)")
    }
    let summary = SolveSummary(
      runID: "r", suite: "s", policy: "p", parameters: "", strategy: .sample, budget: SearchBudget(), store: "db",
      outcomes: outcomes, wallMilliseconds: 1)
    let table = summary.table
    #expect(HostileText.hidden(in: table, multiline: true).isEmpty)
    #expect(table.split(separator: "\n", omittingEmptySubsequences: false).count == outcomes.count + 4)
  }

  @Test("Programs' time against their limit: a solve names the solutions close to it, eval shows each task's")
  func timeAgainstLimit() throws {
    func outcome(_ id: String, _ solved: Bool, _ slowest: Double?) -> TaskOutcome {
      TaskOutcome(
        taskID: id, solved: solved, chosen: nil, hiddenPassed: 0, hiddenTotal: 0, attempts: 1, sandboxRuns: 1,
        proposals: 1, wallMilliseconds: 1, stop: "passed-public", slowestTestMilliseconds: slowest)
    }
    let summary = SolveSummary(
      runID: "r", suite: "s", policy: "p", parameters: "", strategy: .sample, budget: SearchBudget(), store: "db",
      outcomes: [
        outcome("fast", true, 100), outcome("slow\u{1B}[2J", true, 1_500), outcome("unsolved", false, 1_900),
        outcome("function", true, 4_000),
      ], wallMilliseconds: 1, timeLimits: ["fast": 2_000, "slow\u{1B}[2J": 2_000, "unsolved": 2_000])
    #expect(summary.closeToTheLimit.map(\.taskID) == ["slow\u{1B}[2J"])
    #expect(summary.table.contains("Close to the time limit") && summary.table.contains("1.50 s of 2 s"))
    #expect(HostileText.hidden(in: summary.table, multiline: true).isEmpty)
    let entries = summary.json["results"] as? [[String: Any]] ?? []
    #expect(entries.first?["slowest_test_ms"] as? Double == 100 && entries.first?["time_limit_ms"] as? Double == 2_000)
    #expect(entries.last?["time_limit_ms"] == nil, "a function task has no time limit of its own")

    var results = try Self.results()
    results.tasks[0].timeLimitMilliseconds = 1_000
    results.tasks[0].slowestPassingTestMilliseconds = 800
    results.tasks[1].timeLimitMilliseconds = 1_000
    results.tasks[1].slowestPassingTestMilliseconds = 100
    let markdown = EvalReport(results: results).markdown
    #expect(markdown.contains("slowest passing test / limit") && markdown.contains("0.80 s / 1 s (80%) close"))
    #expect(markdown.contains("0.10 s / 1 s (10%)") && !markdown.contains("(10%) close"))
    #expect(markdown.contains("Close to the time limit"))
    #expect(EvalReport(results: results).html.contains("0.80 s / 1 s (80%) close"))
  }

  @Test("The learning report: nothing hidden in its Markdown or HTML")
  func learning() throws {
    let hostile = Self.cases.map(\.text)
    let point: [String: Any] = [
      "round": 0, "parameters": "p", "train_solved": 0, "train_tasks": 1, "eval_solved": 1, "eval_tasks": 1,
      "eval_solved_tasks": hostile, "newly_solved": hostile, "lost": hostile, "train_sandbox_runs": 1,
      "eval_sandbox_runs": 1, "update": "", "seconds": 1.0,
    ]
    let decoded = try JSONDecoder().decode(CurvePoint.self, from: JSONSerialization.data(withJSONObject: point))
    let report = LearningReport(
      curve: Curve(run: ["suite\n\u{1B}[2J": HostileText.forged + "\u{9B}"], points: [decoded]))
    for text in [report.markdown, report.html] {
      #expect(HostileText.hidden(in: text, multiline: true).isEmpty)
      #expect(!text.split(separator: "\n").contains { $0.hasPrefix(HostileText.forged) })
    }
    #expect(!report.html.contains("<script"))
  }

  @Test(
    "The learning report's cost unit is the one the curve records, never guessed from the learner's name",
    arguments: [
      ("programs", "openai gpt, exemplar memory", "programs"),
      ("completion tokens", "builtin, behavior cloning", "completion tokens"),
      (nil, "openai gpt, exemplar memory", "cost"),
    ] as [(String?, String, String)])
  func costUnit(recorded: String?, learner: String, shown: String) throws {
    let points = try (0...1).map { round in
      let point: [String: Any] = [
        "round": round, "parameters": "p", "train_solved": 1, "train_tasks": 2, "eval_solved": 1, "eval_tasks": 2,
        "eval_median_programs": 40.0 / Double(round + 1), "eval_solved_tasks": ["a"], "newly_solved": ["a"],
        "lost": [String](), "train_sandbox_runs": 1, "eval_sandbox_runs": 1, "update": "", "seconds": 1.0,
      ]
      return try JSONDecoder().decode(CurvePoint.self, from: JSONSerialization.data(withJSONObject: point))
    }
    let curve = Curve(run: ["learner": learner], points: points, costUnit: recorded)
    // What the trainer writes is what the report reads back.
    let encoded = try JSONEncoder().encode(curve)
    let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(object["cost_unit"] as? String == recorded)
    let report = LearningReport(curve: try JSONDecoder().decode(Curve.self, from: encoded))
    #expect(report.markdown.contains("| median \(shown) per solved eval task |"), "\(report.markdown)")
    #expect(report.html.contains("Median \(shown) per solved eval task (log scale)"))
    #expect(report.headline.contains("median \(shown) per solved eval task 40.0 → 20.0"), "\(report.headline)")
  }
}

/// Where `solve` writes each solved task's program.
@Suite(.timeLimit(.minutes(2))) struct SolutionFileTests {
  @Test("Task ids map to directory names one to one, inside OUT, and back by percent-decoding")
  func names() {
    let ids = ["HumanEval/3", "HumanEval_3", "HumanEval%2F3", "a/b", "a_b", ".", "..", ".hidden", "x.y", "é", "", "%"]
    let names = ids.map(SolveSummary.directoryName)
    #expect(Set(names).count == ids.count, "\(names)")
    #expect(SolveSummary.directoryName("HumanEval/3") == "HumanEval%2F3")
    #expect(SolveSummary.directoryName("Mbpp-2_x.y") == "Mbpp-2_x.y")
    for (id, name) in zip(ids, names) {
      #expect(!name.contains("/") && name != "." && name != ".." && !name.isEmpty && !name.hasPrefix("."))
      if !id.isEmpty { #expect(name.removingPercentEncoding == id, "\(id) -> \(name)") }
    }
  }

  @Test(
    "Every solved task gets a writable directory: not one of OUT's own files, not longer than a file name",
    arguments: [
      "summary.json", "store.sqlite", "store.sqlite-wal", "store.sqlite-shm",
      String(repeating: "求", count: 33), String(repeating: "a", count: 300),
      String(repeating: "a", count: 199) + "/" + String(repeating: "b", count: 100),
    ])
  func writableNames(_ id: String) throws {
    let dir = try scratch("crucible-solutions")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // What a run leaves in OUT beside the solutions.
    for file in ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm"] {
      try Data("x".utf8).write(to: URL(fileURLWithPath: "\(dir)/\(file)"))
    }
    let name = SolveSummary.directoryName(id)
    #expect(name.utf8.count <= 255 && !name.contains("/"), "\(name)")
    if name.utf8.count < 200 { #expect(name.removingPercentEncoding == id, "\(id) -> \(name)") }
    let outcome = TaskOutcome(
      taskID: id, solved: true,
      chosen: Candidate(
        program: "x = 1", score: 0, provenance: Provenance(policy: "p", parameters: "", sampleIndex: 0)),
      hiddenPassed: 1, hiddenTotal: 1, attempts: 1, sandboxRuns: 2, proposals: 1, wallMilliseconds: 1,
      stop: "passed-public")
    let summary = SolveSummary(
      runID: "run-x", suite: "s", policy: "p", parameters: "", strategy: .sample, budget: SearchBudget(),
      store: "\(dir)/store.sqlite", outcomes: [outcome], wallMilliseconds: 1)
    try summary.write(to: dir)
    #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name)/solution.py"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json")))
    let results = (json as? [String: Any])?["results"] as? [[String: Any]]
    #expect(results?.first?["solution"] as? String == "\(name)/solution.py")
    // Long ids that share their first 200 bytes still part.
    #expect(SolveSummary.directoryName(id + "x") != name)
  }

  @Test("A solution ends with a newline; a task not solved now loses the file an earlier run left")
  func files() throws {
    let dir = try scratch("crucible-solutions")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func outcome(_ id: String, solved: Bool) -> TaskOutcome {
      TaskOutcome(
        taskID: id, solved: solved,
        chosen: Candidate(
          program: "def f():\n    return 1", score: 0,
          provenance: Provenance(policy: "p", parameters: "", sampleIndex: 0)),
        hiddenPassed: solved ? 1 : 0, hiddenTotal: 1, attempts: 1, sandboxRuns: 2, proposals: 1,
        wallMilliseconds: 1, stop: "passed-public",
        reason: solved ? nil : "passed every public test, failed hidden test 1")
    }
    func summary(_ outcomes: [TaskOutcome]) -> SolveSummary {
      SolveSummary(
        runID: "run-x", suite: "s", policy: "p", parameters: "", strategy: .sample, budget: SearchBudget(),
        store: "\(dir)/store.sqlite", outcomes: outcomes, wallMilliseconds: 1)
    }
    try summary([outcome("a/b", solved: true), outcome("a_b", solved: true)]).write(to: dir)
    #expect(try String(contentsOfFile: "\(dir)/a%2Fb/solution.py", encoding: .utf8) == "def f():\n    return 1\n")
    #expect(FileManager.default.fileExists(atPath: "\(dir)/a_b/solution.py"))
    let second = summary([outcome("a/b", solved: false), outcome("a_b", solved: true)])
    try second.write(to: dir)
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/a%2Fb/solution.py"))
    #expect(FileManager.default.fileExists(atPath: "\(dir)/a_b/solution.py"))
    #expect(second.table.contains("failed hidden test 1"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/summary.json")))
    let results = (json as? [String: Any])?["results"] as? [[String: Any]]
    #expect(results?.first?["reason"] as? String == "passed every public test, failed hidden test 1")
  }
}

@Suite(.timeLimit(.minutes(2))) struct JUnitNameTests {
  @Test("JUnit names the suite by its file name (no dots, no path), with a timestamp and a hostname")
  func suiteName() throws {
    var results = try ReportTests.results()
    results.run.suite = "/data/sets/HumanEval.jsonl.gz"
    let document = XMLCheck(EvalReport(results: results).junit)
    let suite = try #require(document.named("testsuite").first)
    #expect(suite.attributes["name"] == "HumanEval")
    #expect(suite.attributes["timestamp"]?.count == 19 && suite.attributes["hostname"]?.isEmpty == false)
    #expect(document.named("testcase").allSatisfy { $0.attributes["classname"] == "HumanEval" })
  }
}

@Suite(.timeLimit(.minutes(2))) struct MarkdownTableTests {
  @Test("summary.md's table has as many columns in its rule and rows as in its header, with or without pass@k")
  func columns() throws {
    var results = try ReportTests.results()
    for passAtK in [["1": 0.5], [:]] {
      results.summary.passAtK = passAtK
      let lines = EvalReport(results: results).markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
      #expect(lines.count > 2 && lines[1].hasPrefix("|---"))
      #expect(lines[0].filter { $0 == "|" }.count == lines[1].filter { $0 == "|" }.count, "\(lines[0]) / \(lines[1])")
    }
  }
}
