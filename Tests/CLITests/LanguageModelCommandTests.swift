import Foundation
import Store
import TestSupport
import Testing

/// `--policy openai` end to end against a fault-injecting server on
/// loopback: the real CLI, the real sandbox, a scripted model.
@Suite(.serialized, .timeLimit(.minutes(10))) struct LanguageModelCommandTests {
  /// Three tasks a scripted model can answer: it reads the entry point
  /// from the prompt and writes the right body.
  static let suite =
    [
      #"{"task_id": "inc", "prompt": "Add one to x.", "entry_point": "inc", "signature": "def inc(x: int) -> int", "tests": [{"args": [1], "expected": 2}, {"args": [5], "expected": 6}, {"args": [-1], "expected": 0}], "public": 2}"#,
      #"{"task_id": "double", "prompt": "Double x.", "entry_point": "double", "signature": "def double(x: int) -> int", "tests": [{"args": [1], "expected": 2}, {"args": [5], "expected": 10}, {"args": [0], "expected": 0}], "public": 2}"#,
      #"{"task_id": "neg", "prompt": "Negate x.", "entry_point": "neg", "signature": "def neg(x: int) -> int", "tests": [{"args": [1], "expected": -1}, {"args": [5], "expected": -5}, {"args": [0], "expected": 0}], "public": 2}"#,
    ].joined(separator: "\n") + "\n"

  static let bodies = [
    "def inc(": "    return x + 1\n", "def double(": "    return 2 * x\n", "def neg(": "    return -x\n",
  ]

  /// The scripted model: the right body for the task the prompt is about
  /// (the last function it starts: exemplars come before it), or the whole
  /// function in a fence (chat).
  static func answer(_ request: String) -> String {
    let chat = request.contains("\"messages\"")
    let last = bodies.compactMap { signature, body in
      request.range(of: signature, options: .backwards).map { (at: $0.lowerBound, signature: signature, body: body) }
    }.max { $0.at < $1.at }
    guard let last else { return chat ? "I do not know." : "    pass\n" }
    let name = last.signature.dropFirst(4).dropLast()
    return chat ? "Here it is:\n```python\ndef \(name)(x):\n\(last.body)```\n" : last.body
  }

  func write(_ dir: String) throws -> String {
    let path = "\(dir)/tasks.jsonl"
    try Data(Self.suite.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  func arguments(_ suite: String, _ server: FaultServer, api: String, out: String) -> [String] {
    [
      "solve", suite, "--policy", "openai", "--base-url", server.baseURL, "--model", "scripted", "--api", api,
      "--budget", "proposals=2,runs=2,seconds=60", "--workers", "1", "--retries", "1", "--out", out, "--json",
    ]
  }

  @Test(
    "Both APIs, every strategy: the suite is solved; tokens and latency are in the store",
    arguments: [("completions", "sample"), ("chat", "sample"), ("completions", "revise"), ("chat", "tree")])
  func solves(api: String, strategy: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try FaultServer(answer: Self.answer)
    defer { server.stop() }
    let result = try await CLI.run(arguments(try write(dir), server, api: api, out: dir) + ["--strategy", strategy])
    #expect(result.status == 0, "\(result.stderr.suffix(1500))")
    let summary = try CLI.summary(in: dir)
    #expect(summary["solved"] as? Int == 3)
    // sample and tree's root: two requests per task, distinct seeds,
    // answered alike (one candidate each); revise asks for one at a time.
    #expect(server.requests.count == (strategy == "revise" ? 3 : 6))
    if strategy == "sample" {
      let seeds = Set(
        server.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
          .compactMap { $0["seed"] as? Int })
      #expect(seeds.count == 2)
    }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let run = try #require(try await store.runs().first)
    let attempts = try await store.attempts(run: run.id)
    #expect(attempts.count == 6)  // three public runs, three hidden
    #expect(attempts.allSatisfy { ($0.usage?.completionTokens ?? 0) > 0 && ($0.usage?.milliseconds ?? 0) > 0 })
    #expect(attempts.allSatisfy { $0.policy == "openai" })
  }

  @Test("The server dies mid-run: exit 2 naming it, nothing recorded lost; back up, the same command resumes")
  func serverDies() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try write(dir)
    // The first task's two samples are answered, then only 500s.
    let server = try FaultServer(
      script: [.dynamic, .dynamic] + Array(repeating: .status(500), count: 50), answer: Self.answer)
    defer { server.stop() }
    let failed = try await CLI.run(arguments(suite, server, api: "completions", out: dir))
    #expect(failed.status == 2)
    #expect(failed.stderr.contains("infrastructure failure") && failed.stderr.contains("HTTP 500"), "\(failed.stderr)")
    #expect(failed.stderr.contains(server.baseURL), "\(failed.stderr)")
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let run = try #require(try await store.runs().first)
    let before = try await store.attempts(run: run.id).map { "\($0.taskID)#\($0.step)#\($0.index)#\($0.selection)" }
    #expect(before.count == 2, "\(before)")  // inc: its public run and its hidden run

    server.script([])  // healthy again
    let resumed = try await CLI.run(arguments(suite, server, api: "completions", out: dir))
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(1500))")
    #expect(resumed.stderr.contains("resuming run-"))
    let after = try await store.attempts(run: run.id).map { "\($0.taskID)#\($0.step)#\($0.index)#\($0.selection)" }
    #expect(Array(after.prefix(before.count)) == before)
    #expect(after.count == 6 && Set(after).count == 6)
  }

  @Test("train --policy openai: SFT export, exemplar memory in the next round's prompts, a curve")
  func train() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try FaultServer(answer: Self.answer)
    defer { server.stop() }
    let result = try await trainOneRound(
      in: dir, server: server, extra: ["--finetune-cmd", "echo FINETUNE-SAYS {round}; test -f {data}"])
    #expect(result.status == 0, "\(result.stderr.suffix(1500))")
    // The fine-tuning command's output is on stderr; stdout is the report,
    // and names no checkpoint a language model never writes.
    #expect(result.stderr.contains("FINETUNE-SAYS 1") && !result.stdout.contains("FINETUNE-SAYS"))
    #expect(!result.stdout.contains("checkpoint"), "\(result.stdout)")
    let curve = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/train/curve.json")))
        as? [String: Any])
    let points = try #require(curve["points"] as? [[String: Any]])
    #expect(points.count == 2 && points.allSatisfy { $0["eval_solved"] as? Int == 3 })
    #expect(curve["cost_unit"] as? String == "completion tokens")
    let report = try String(contentsOfFile: "\(dir)/train/report.md", encoding: .utf8)
    #expect(report.contains("median completion tokens per solved eval task"), "\(report)")
    let sft = try String(contentsOfFile: "\(dir)/train/round-0/sft.jsonl", encoding: .utf8)
    #expect(sft.split(separator: "\n").count == 3 && sft.contains("\"role\":\"assistant\""))
    let exemplars = try String(contentsOfFile: "\(dir)/train/exemplars.jsonl", encoding: .utf8)
    #expect(exemplars.split(separator: "\n").count == 3)
    // Round 0 searched 3 tasks and measured 3; round 1's prompts show
    // other tasks' solutions first.
    let bodies = server.requests
    #expect(bodies.count == 12)
    #expect(bodies.prefix(6).allSatisfy { !$0.contains("    return") }, "\(bodies.prefix(6))")
    #expect(bodies.suffix(6).allSatisfy { $0.contains("    return") }, "\(bodies.suffix(6))")
  }

  @Test("train --policy openai, nothing solved: every round asks the model again, none replays the one before")
  func trainRoundsAskAgain() async throws {
    // New user: with nothing solved the model's parameters do not change
    // between rounds, and round 1 replayed round 0 from the store instead
    // of asking the (perhaps fine-tuned) model.
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try FaultServer(answer: { _ in "    return None\n" })
    defer { server.stop() }
    let result = try await trainOneRound(in: dir, server: server)
    #expect(result.status == 0, "\(result.stderr.suffix(1500))")
    // Two rounds, each searching 3 tasks and measuring 3: one request each.
    #expect(server.requests.count == 12)
  }

  /// `train --rounds 1` with the model behind `server`, the suite as the
  /// training tasks and a copy of it (other ids) as the evaluation tasks.
  func trainOneRound(in dir: String, server: FaultServer, extra: [String] = []) async throws -> CLI.Outcome {
    let trainSuite = try write(dir)
    let evalSuite = "\(dir)/eval.jsonl"
    try Data(Self.suite.replacingOccurrences(of: "\"task_id\": \"", with: "\"task_id\": \"eval-").utf8).write(
      to: URL(fileURLWithPath: evalSuite))
    return try await CLI.run(
      [
        "train", "--train", trainSuite, "--eval", evalSuite, "--rounds", "1", "--policy", "openai", "--base-url",
        server.baseURL, "--model", "scripted", "--api", "completions", "--budget", "proposals=1,runs=1,seconds=60",
        "--workers", "1", "--out", "\(dir)/train",
      ] + extra)
  }

  @Test("--prompts DIR: the user's templates are what the model sees; a template without its placeholder is refused")
  func userPrompts() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try write(dir)
    try FileManager.default.createDirectory(atPath: "\(dir)/prompts", withIntermediateDirectories: true)
    try Data("OUR TEMPLATE for {entry_point}: {prompt}\n{public_tests}\n".utf8).write(
      to: URL(fileURLWithPath: "\(dir)/prompts/propose.txt"))
    let server = try FaultServer(answer: Self.answer)
    defer { server.stop() }
    let result = try await CLI.run(
      arguments(suite, server, api: "chat", out: "\(dir)/out") + ["--prompts", "\(dir)/prompts"])
    #expect(result.status == 0, "\(result.stderr.suffix(1000))")
    #expect(!server.requests.isEmpty && server.requests.allSatisfy { $0.contains("OUR TEMPLATE for ") })

    try Data("no placeholders here\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/prompts/revise.txt"))
    let refused = try await CLI.run(
      arguments(suite, server, api: "chat", out: "\(dir)/out2") + ["--prompts", "\(dir)/prompts"])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("revise.txt") && refused.stderr.contains("{program}"), "\(refused.stderr)")
  }

  @Test(
    "Bad LLM options: a clear error naming the value, exit 2",
    arguments: [
      (["--policy", "openai", "--model", "m"], "--base-url"),
      (["--policy", "openai", "--base-url", "ftp://x/v1", "--model", "m"], "ftp://x/v1"),
      (["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1"], "--model"),
      (
        [
          "--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--api-key-env",
          "NO_SUCH_KEY_VAR",
        ], "NO_SUCH_KEY_VAR"
      ),
      (
        ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--temperature", "9"],
        "--temperature"
      ),
      (
        ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--exemplars", "/no/such.jsonl"],
        "/no/such.jsonl"
      ),
      (
        ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--prompts", "/no/such/dir"],
        "/no/such/dir"
      ),
      (["--policy", "gpt"], "gpt"),
    ])
  func badInput(options: [String], mentions: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["solve", try write(dir)] + options + ["--out", dir])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }
}
