import Foundation
import LanguageModel
import LocalFamily
import TestSupport
import Testing

/// `--policy local`: Crucible serves a GGUF model itself (llama.cpp's
/// server through `harness/llm-server`), and `train --finetune lora` trains
/// LoRA adapters on its verified solutions (`harness/finetune`). Everything
/// real: the server, the trainer, the converter. Skipped, with the reason,
/// only when the server or the trainer cannot be installed. `scripts/test`
/// runs this suite alone, after the others: it keeps both cores busy.
@Suite(.serialized, .timeLimit(.minutes(30))) struct LocalModelTests {
  static let root = RealModelServerTests.root

  /// An eval task beside `RealModelServerTests.suite`'s training tasks.
  static let evalSuite =
    #"{"task_id": "triple", "prompt": "Return three times x.", "entry_point": "triple", "signature": "def triple(x: int) -> int", "tests": [{"args": [1], "expected": 3}, {"args": [2], "expected": 6}, {"args": [0], "expected": 0}], "public": 1}"#
    + "\n"

  /// Processes whose command line holds `text`.
  static func processes(holding text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name -> String? in
      guard Int32(name) != nil, let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else {
        return nil
      }
      let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      return line.contains(text) ? "\(name): \(line)" : nil
    }
  }

  static func installServer() async throws {
    let install = try await CLI.runProgram("\(root)/harness/llm-server", ["install"])
    if install.status == 3 {
      try Test.cancel("the model server cannot be installed on this machine: \(install.stderr.suffix(600))")
    }
    #expect(install.status == 0, "\(install.stderr.suffix(2000))")
  }

  @Test("solve --policy local serves the model itself, solves with it, and stops the server at exit")
  func solvesAndStops() async throws {
    try await Self.installServer()
    let dir = try scratch("crucible-local")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(RealModelServerTests.suite.utf8).write(to: URL(fileURLWithPath: "\(dir)/tasks.jsonl"))
    let running = try CLI.start([
      "solve", "\(dir)/tasks.jsonl", "--policy", "local", "--max-tokens", "64",
      "--temperature", "0.8",
      "--budget", "proposals=3,runs=3,seconds=600", "--workers", "2", "--out", "\(dir)/out", "--json",
    ])
    let pid = running.process.processIdentifier
    let result = try await running.finish()
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    // Every task asked and judged (how many a 270M model solves is luck).
    let summary = try CLI.summary(in: "\(dir)/out")
    let results = try #require(summary["results"] as? [[String: Any]])
    #expect(results.count == 5)
    for entry in results {
      #expect((entry["proposals"] as? Int ?? 0) > 0 && (entry["sandbox_runs"] as? Int ?? 0) > 0, "\(entry)")
    }
    // The server was owned by that run, and is gone with it.
    #expect(Self.processes(holding: "--parent \(pid) ").isEmpty, "\(Self.processes(holding: "--parent \(pid) "))")

    // openai's flags for where the server is are refused; sampling flags are shared.
    let refused = try await CLI.run([
      "solve", "\(dir)/tasks.jsonl", "--policy", "local", "--base-url",
      "http://127.0.0.1:9/v1",
    ])
    #expect(refused.status == 2)
    #expect(
      refused.stderr.contains("--base-url is an option of --policy openai; the policy is local"), "\(refused.stderr)")
  }

  @Test(
    "The server goes with its owner: Ctrl-C stops it (exit 130, the same command resumes), and so does a SIGKILL",
    arguments: [SIGINT, SIGKILL])
  func serverGoesWithOwner(_ signal: Int32) async throws {
    try await Self.installServer()
    let dir = try scratch("crucible-local")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(RealModelServerTests.suite.utf8).write(to: URL(fileURLWithPath: "\(dir)/tasks.jsonl"))
    let command = [
      "solve", "\(dir)/tasks.jsonl", "--policy", "local", "--max-tokens", "64", "--budget",
      "proposals=3,runs=3,seconds=600", "--workers", "2", "--out", "\(dir)/out",
    ]
    let running = try CLI.start(command)
    let pid = running.process.processIdentifier
    // Once the server answers (the script's child is up) and the run is
    // recorded: the store's file alone can exist before its run does, and
    // the same command then starts afresh instead of resuming.
    let up = await eventually(within: 300, polling: .milliseconds(200)) {
      KillSwitch.count("\(dir)/out/store.sqlite", "SELECT COUNT(*) FROM runs") > 0
        && !Self.processes(holding: "--parent \(pid) ").isEmpty
    }
    #expect(up, "the server never came up")
    kill(pid, signal)
    let result = try await running.finish()
    // Killed outright, the status is the signal's number.
    #expect(result.status == (signal == SIGINT ? 130 : SIGKILL), "\(result.stderr.suffix(1500))")
    let gone = await eventually(within: 15, polling: .milliseconds(200)) {
      Self.processes(holding: "--parent \(pid) ").isEmpty
    }
    #expect(gone, "\(Self.processes(holding: "--parent \(pid) "))")
    if signal == SIGINT {
      let resumed = try await CLI.run(command)
      #expect(resumed.status == 0 || resumed.status == 1, "\(resumed.stderr.suffix(1500))")
      #expect(resumed.stderr.contains("crucible: resuming"), "\(resumed.stderr.suffix(1500))")
    }
  }

  @Test(
    "A corrupt adapter is refused with its path; one the server cannot load exits 2 with what the server said; a missing trainer names its install"
  )
  func corruptAdapters() async throws {
    try await Self.installServer()
    let dir = try scratch("crucible-local")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(RealModelServerTests.suite.utf8).write(to: URL(fileURLWithPath: "\(dir)/tasks.jsonl"))
    let notGGUF = "\(dir)/not-an-adapter.gguf"
    try Data("this is no adapter\n".utf8).write(to: URL(fileURLWithPath: notGGUF))
    // GGUF's magic, then nonsense: only the server can tell.
    let broken = "\(dir)/broken-adapter.gguf"
    try Data("GGUF".utf8 + [3, 0, 0, 0] + (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
      .write(to: URL(fileURLWithPath: broken))
    for (adapter, said) in [(notGGUF, "not a GGUF file"), (broken, "the model server did not start with")] {
      let result = try await CLI.run([
        "solve", "\(dir)/tasks.jsonl", "--policy", "local", "--lora", adapter, "--out",
        "\(dir)/out",
      ])
      #expect(result.status == 2, "\(adapter): \(result.stderr.suffix(1500))")
      #expect(result.stderr.contains(adapter), "\(result.stderr.suffix(1500))")
      #expect(result.stderr.contains(said), "\(result.stderr.suffix(1500))")
    }
    #expect(Self.processes(holding: broken).isEmpty)

    // train --finetune lora without the trainer installed: exit 2, saying
    // the command that installs it.
    try Data(Self.evalSuite.utf8).write(to: URL(fileURLWithPath: "\(dir)/eval.jsonl"))
    let missing = try await CLI.run(
      [
        "train", "--train", "\(dir)/tasks.jsonl", "--eval", "\(dir)/eval.jsonl", "--policy", "local",

        "--finetune", "lora", "--out", "\(dir)/train",
      ], environment: ["CRUCIBLE_FINETUNE_HOME": "\(dir)/no-trainer"])
    #expect(missing.status == 2, "\(missing.stderr.suffix(1500))")
    #expect(missing.stderr.contains("harness/finetune install"), "\(missing.stderr.suffix(1500))")
  }

  /// Levenshtein distance over characters.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return a.isEmpty ? b.count : row[b.count]
  }

  struct Example: Decodable {
    var prompt: String
    var completion: String
    var split: String
  }

  @Test(
    "train --finetune lora: a trainer killed mid-round resumes; the adapter loads and moves greedy output toward the verified programs"
  )
  func loraRound() async throws {
    try await Self.installServer()
    let install = try await CLI.runProgram("\(Self.root)/harness/finetune", ["install"])
    if install.status == 3 {
      try Test.cancel("the LoRA trainer cannot be installed on this machine: \(install.stderr.suffix(600))")
    }
    #expect(install.status == 0, "\(install.stderr.suffix(2000))")
    let dir = try scratch("crucible-lora")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(RealModelServerTests.suite.utf8).write(to: URL(fileURLWithPath: "\(dir)/train.jsonl"))
    try Data(Self.evalSuite.utf8).write(to: URL(fileURLWithPath: "\(dir)/eval.jsonl"))
    let out = "\(dir)/run"
    let command = [
      "train", "--train", "\(dir)/train.jsonl", "--eval", "\(dir)/eval.jsonl", "--policy", "local", "--server-threads",
      "1", "--finetune",
      "lora", "--lora-epochs", "6", "--lora-learning-rate", "0.001", "--rounds", "1", "--max-tokens", "64",
      "--budget", "proposals=6,runs=6,seconds=600", "--eval-budget", "proposals=1,runs=1,seconds=600", "--workers",
      "2", "--out", out,
    ]
    // The trainer killed once it has begun: the run fails, saying so.
    // The trainer's threads as a user sets them (scripts/test runs this
    // suite alone, so every core).
    let threads = ["CRUCIBLE_FINETUNE_THREADS": String(ProcessInfo.processInfo.activeProcessorCount)]
    let first = try CLI.start(command, environment: threads)
    let began = await eventually(within: 900, polling: .milliseconds(200)) {
      !Self.processes(holding: "finetune-train").filter { $0.contains(out) }.isEmpty
    }
    #expect(began, "the trainer never started")
    for line in Self.processes(holding: "finetune-train") where line.contains(out) {
      if let pid = Int32(line.prefix { $0 != ":" }) { kill(pid, SIGKILL) }
    }
    let killed = try await first.finish()
    #expect(killed.status == 2, "\(killed.stderr.suffix(1500))")
    #expect(killed.stderr.contains("the LoRA trainer exited"), "\(killed.stderr.suffix(1500))")
    #expect(!FileManager.default.fileExists(atPath: "\(out)/round-1/adapter.gguf"))

    // The same command resumes (round 0's searches replay from the store)
    // and trains the adapter.
    let resumed = try await CLI.run(command, environment: threads)
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(3000))")
    let curve = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")))
    #expect(((curve as? [String: Any])?["points"] as? [Any])?.count == 2, "\(curve)")
    let adapter = "\(out)/round-1/adapter.gguf"
    #expect(FileManager.default.fileExists(atPath: adapter))
    let summary = try FinetuneTool.summary(of: adapter)
    #expect(summary.examples.train > 0)

    // Greedy completions of the training prompts, base and adapter.
    let text = try String(contentsOfFile: "\(out)/round-1/lora-train.jsonl", encoding: .utf8)
    let examples = try text.split(separator: "\n").map {
      try JSONDecoder().decode(Example.self, from: Data($0.utf8))
    }
    try #require(!examples.isEmpty)
    let model = try await LocalModelServer.defaultModel()
    var distances: [String: Int] = [:]
    var outputs: [String: [String]] = [:]
    for (name, lora) in [("base", nil), ("adapter", adapter)] as [(String, String?)] {
      let server = try await LocalModelServer.start(
        modelFile: model, adapter: lora, threads: ProcessInfo.processInfo.activeProcessorCount)
      let client = ModelClient(ServerConfiguration(baseURL: server.baseURL, model: "local", api: .completions))
      do {
        for example in examples {
          let answer = try await client.complete(
            .prompt(example.prompt), sampling: Sampling(temperature: 0, topP: 1, maxTokens: 64, stop: ["\ndef "]),
            seed: 0)
          outputs[name, default: []].append(answer.text)
          distances[name, default: 0] += Self.distance(answer.text, example.completion)
        }
      } catch {
        await client.shutdown()
        await server.stop()
        throw error
      }
      await client.shutdown()
      await server.stop()
    }
    #expect(outputs["base"] != outputs["adapter"], "the adapter changed nothing: \(outputs)")
    #expect(
      distances["adapter", default: .max] < distances["base", default: 0],
      "distances to the verified completions: \(distances); outputs: \(outputs)")
  }
}
