import Foundation
import Store
import Support
import TestSupport
import Testing

/// `crucible solve --policy openai` against a real model server on
/// loopback, answers streamed: llama.cpp's server with Gemma 3 270M, started by
/// `harness/llm-server` (which installs it the first time). Skipped, with
/// the reason, only when the server cannot be installed.
@Suite(.serialized, .timeLimit(.minutes(30))) struct RealModelServerTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  /// Tasks a 270M base model can do.
  static let suite =
    [
      #"{"task_id": "add-one", "prompt": "Return x plus one.", "entry_point": "add_one", "signature": "def add_one(x: int) -> int", "tests": [{"args": [1], "expected": 2}, {"args": [5], "expected": 6}, {"args": [-1], "expected": 0}, {"args": [100], "expected": 101}], "public": 2}"#,
      #"{"task_id": "double", "prompt": "Return twice x.", "entry_point": "double", "signature": "def double(x: int) -> int", "tests": [{"args": [1], "expected": 2}, {"args": [5], "expected": 10}, {"args": [0], "expected": 0}, {"args": [-4], "expected": -8}], "public": 2}"#,
      #"{"task_id": "is-even", "prompt": "Return True if n is even, else False.", "entry_point": "is_even", "signature": "def is_even(n: int) -> bool", "tests": [{"args": [2], "expected": true}, {"args": [3], "expected": false}, {"args": [0], "expected": true}, {"args": [-7], "expected": false}], "public": 2}"#,
      #"{"task_id": "list-sum", "prompt": "Return the sum of the numbers in the list xs.", "entry_point": "list_sum", "signature": "def list_sum(xs: list[int]) -> int", "tests": [{"args": [[1, 2, 3]], "expected": 6}, {"args": [[]], "expected": 0}, {"args": [[-1, 1, 5]], "expected": 5}, {"args": [[10]], "expected": 10}], "public": 2}"#,
      #"{"task_id": "greet", "prompt": "Return the string 'Hello, ' followed by name.", "entry_point": "greet", "signature": "def greet(name: str) -> str", "tests": [{"args": ["Bob"], "expected": "Hello, Bob"}, {"args": ["Ann"], "expected": "Hello, Ann"}, {"args": [""], "expected": "Hello, "}], "public": 2}"#,
    ].joined(separator: "\n") + "\n"

  /// The server, up on a free loopback port; nil with the reason when it
  /// cannot be installed.
  static func startServer() async throws -> (process: Process, url: String, pid: Int32) {
    let install = try await CLI.runProgram("\(root)/harness/llm-server", ["install"])
    if install.status == 3 {
      try Test.cancel("the model server cannot be installed on this machine: \(install.stderr.suffix(600))")
    }
    #expect(install.status == 0, "\(install.stderr.suffix(2000))")
    let port = try #require(Loopback.freePort(), "no free loopback port")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "\(root)/harness/llm-server")
    process.arguments = ["serve", String(port)]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.standardError
    try process.run()
    // "ready URL PID" once it answers.
    let line = String(decoding: out.fileHandleForReading.availableLine(), as: UTF8.self)
    let words = line.split(separator: " ")
    guard words.count == 3, words[0] == "ready", let pid = Int32(words[2]) else {
      process.terminate()
      throw ServerFailure(message: "the model server did not come up (printed '\(line)')")
    }
    return (process, String(words[1]), pid)
  }

  /// Stops the server (the script exits with it), SIGKILL after 10 s.
  static func stop(_ server: (process: Process, url: String, pid: Int32)) {
    kill(server.pid, SIGTERM)
    let deadline = Date().addingTimeInterval(10)
    while server.process.isRunning, Date() < deadline { usleep(50_000) }
    if server.process.isRunning {
      kill(server.pid, SIGKILL)
      kill(server.process.processIdentifier, SIGKILL)
    }
    server.process.waitUntilExit()
  }

  struct ServerFailure: Error { var message: String }

  @Test("A handful of trivial tasks, solved end to end with a real model and sandbox verdicts")
  func solvesWithRealModel() async throws {
    let server = try await Self.startServer()
    defer { Self.stop(server) }
    let url = server.url
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(Self.suite.utf8).write(to: URL(fileURLWithPath: "\(dir)/tasks.jsonl"))
    for strategy in ["sample", "revise"] {
      let out = "\(dir)/\(strategy)"
      let result = try await CLI.run([
        "solve", "\(dir)/tasks.jsonl", "--policy", "openai", "--base-url", url, "--model", "gemma-3-270m", "--api",
        "completions", "--max-tokens", "64", "--concurrency", "1", "--strategy", strategy, "--budget",
        "proposals=4,runs=4,seconds=900", "--workers", "2", "--out", out, "--json",
      ])
      #expect(result.status == 0, "\(strategy): \(result.stderr.suffix(2000))")
      // Every answer streamed: llama.cpp's server streams, and the client asks.
      let totals = try #require(
        result.stderr.split(separator: "\n").first { $0.hasPrefix("crucible: model: ") }, "\(result.stderr)")
      let counts = totals.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }
      #expect(counts.count >= 2 && counts[0] > 0 && counts[0] == counts[1], "\(totals)")
      let summary = try CLI.summary(in: out)
      let results = try #require(summary["results"] as? [[String: Any]])
      #expect(results.count == 5)
      // What is deterministic: every task was asked and judged. How many a
      // 270M base model solves is sampling luck (3/5 measured with
      // sample): reported, not gated on.
      for entry in results {
        #expect((entry["proposals"] as? Int ?? 0) > 0 && (entry["sandbox_runs"] as? Int ?? 0) > 0, "\(entry)")
      }
      let solved = results.filter { $0["solved"] as? Bool == true }
      print("RealModelServerTests: \(strategy) solved \(solved.count) of \(results.count)")
      for entry in solved {
        #expect(entry["hidden_passed"] as? Int == entry["hidden_total"] as? Int)
        let id = try #require(entry["task_id"] as? String)
        #expect(FileManager.default.fileExists(atPath: "\(out)/\(id)/solution.py"))
      }
      let store = try RunStore(path: "\(out)/store.sqlite")
      let run = try #require(try await store.runs().first)
      let attempts = try await store.attempts(run: run.id)
      #expect(!attempts.isEmpty && attempts.allSatisfy { ($0.usage?.completionTokens ?? 0) > 0 })
    }
  }

  /// Programs a 270M base model can write.
  static let programs =
    [
      #"{"task_id": "sum-two", "prompt": "Read two integers a and b from one line of standard input and print their sum.", "tests": [{"input": "1 2\n", "output": "3\n"}, {"input": "10 -4\n", "output": "6\n"}, {"input": "0 0\n", "output": "0\n"}, {"input": "7 8\n", "output": "15\n"}], "public": 2}"#,
      #"{"task_id": "echo-upper", "prompt": "Read one line from standard input and print it in upper case.", "tests": [{"input": "hello\n", "output": "HELLO\n"}, {"input": "abc\n", "output": "ABC\n"}, {"input": "x\n", "output": "X\n"}], "public": 2}"#,
      #"{"task_id": "double-n", "prompt": "Read an integer n from standard input and print 2 * n.", "tests": [{"input": "4\n", "output": "8\n"}, {"input": "-3\n", "output": "-6\n"}, {"input": "0\n", "output": "0\n"}, {"input": "21\n", "output": "42\n"}], "public": 2}"#,
    ].joined(separator: "\n") + "\n"

  @Test("Standard-input programs, solved end to end with a real model: trivial ones and part of tasks/io")
  func solvesProgramsWithRealModel() async throws {
    let server = try await Self.startServer()
    defer { Self.stop(server) }
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Data(Self.programs.utf8).write(to: URL(fileURLWithPath: "\(dir)/programs.jsonl"))
    for (suite, extra) in [
      ("\(dir)/programs.jsonl", [String]()),
      ("\(Self.root)/tasks/io", ["--tasks", "odd-total,same-letters,top-letter"]),
    ] {
      let out = "\(dir)/out-\(extra.isEmpty ? "trivial" : "io")"
      let result = try await CLI.run(
        [
          "solve", suite, "--policy", "openai", "--base-url", server.url, "--model", "gemma-3-270m", "--api",
          "completions", "--max-tokens", "128", "--concurrency", "1", "--strategy", "revise", "--budget",
          "proposals=3,runs=3,seconds=900", "--workers", "2", "--out", out, "--json",
        ] + extra)
      #expect(result.status == 0, "\(result.stderr.suffix(2000))")
      let summary = try CLI.summary(in: out)
      let results = try #require(summary["results"] as? [[String: Any]])
      #expect(results.count == 3)
      // Every task was asked and judged; how many a 270M base model
      // solves is reported, not gated on.
      for entry in results {
        #expect((entry["proposals"] as? Int ?? 0) > 0 && (entry["sandbox_runs"] as? Int ?? 0) > 0, "\(entry)")
        #expect(entry["time_limit_ms"] as? Double == 2_000, "\(entry)")
      }
      let solved = results.filter { $0["solved"] as? Bool == true }
      print("RealModelServerTests: programs (\(extra.isEmpty ? "trivial" : "tasks/io")) solved \(solved.count) of 3")
      for entry in solved { #expect(entry["hidden_passed"] as? Int == entry["hidden_total"] as? Int) }
    }
  }
}
