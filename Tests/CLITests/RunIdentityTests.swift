import Foundation
import Support
import TestSupport
import Testing

/// A run is resumed only when it is the same run: its suite's content (every
/// test), its samples file, and every option that changes a verdict. Another
/// run into the same directory is refused, naming what differs, or started
/// afresh with --fresh; two runs into one directory at once, the second is
/// refused, naming the process that holds it.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RunIdentityTests {
  static let root = SolveCommandTests.root

  /// A one-task suite (tasks/examples/add-two) in `dir`/suite.
  func suite(in dir: String) throws -> String {
    let suite = "\(dir)/suite"
    try FileManager.default.createDirectory(atPath: suite, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: "\(Self.root)/tasks/examples/add-two", toPath: "\(suite)/add-two")
    return suite
  }

  @Test("solve: an edited test or another --timeout is refused (exit 2, naming it); --fresh starts afresh")
  func solveIdentity() async throws {
    let dir = try scratch("crucible-identity")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try suite(in: dir)
    let command = ["solve", suite, "--out", "\(dir)/out", "--workers", "1"]
    let first = try await CLI.run(command, in: Self.root)
    #expect(first.status == 0, "\(first.stderr.suffix(2000))")
    let again = try await CLI.run(command, in: Self.root)
    #expect(again.status == 0 && again.stderr.contains("resuming run-"), "\(again.stderr.suffix(2000))")

    let timeout = try await CLI.run(command + ["--timeout", "7"], in: Self.root)
    #expect(timeout.status == 2 && timeout.stderr.contains("timeout_s (was 5.0, now 7.0)"), "\(timeout.stderr)")
    #expect(timeout.stderr.contains("--fresh"))

    // One expected value of one hidden test, edited.
    let tests = "\(suite)/add-two/tests.jsonl"
    let text = try String(contentsOfFile: tests, encoding: .utf8)
    try text.replacingOccurrences(of: #""expected": 4}"#, with: #""expected": 5}"#).write(
      toFile: tests, atomically: true, encoding: .utf8)
    let edited = try await CLI.run(command, in: Self.root)
    #expect(edited.status == 2 && edited.stderr.contains("suite_digest"), "\(edited.stderr)")
    #expect(!edited.stderr.contains("timeout_s"), "\(edited.stderr)")

    let fresh = try await CLI.run(command + ["--fresh", "--json"], in: Self.root)
    #expect(fresh.status == 0 && !fresh.stderr.contains("resuming"), "\(fresh.stderr.suffix(2000))")
    // The edited test now fails the reference program: nothing is solved.
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(fresh.stdout.utf8)) as? [String: Any])
    #expect(summary["solved"] as? Int == 0, "\(fresh.stdout)")
  }

  @Test("solve --store in another directory: that directory is locked too; a second run on the store is refused")
  func sharedStore() async throws {
    let dir = try scratch("crucible-identity")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try suite(in: dir)
    // Another run writing the shared store (this process holds its lock).
    let held = try DirectoryLock("\(dir)/shared")
    let second = try await CLI.run(
      ["solve", suite, "--out", "\(dir)/b", "--store", "\(dir)/shared/store.sqlite", "--workers", "1"], in: Self.root)
    #expect(second.status == 2 && second.stderr.contains("process \(getpid())"), "\(second.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/shared/store.sqlite"))
    withExtendedLifetime(held) {}
    // A store named inside OUT (however spelled) takes OUT's lock only.
    let inside = try await CLI.run(
      ["solve", suite, "--out", "\(dir)/a", "--store", "\(dir)/a/./store.sqlite", "--workers", "1"], in: Self.root)
    #expect(inside.status == 0, "\(inside.stderr.suffix(2000))")
  }

  /// The first `count` HumanEval problems as a suite, and their canonical
  /// solutions (or `completion` for every one) as a samples file.
  func humanEval(in dir: String, count: Int, completion: String? = nil) async throws -> (
    suite: String, samples: String
  ) {
    let script = """
      import gzip, json, sys
      with gzip.open(sys.argv[1], "rt") as f, open(sys.argv[2], "w") as suite, open(sys.argv[3], "w") as samples:
          for i, line in enumerate(f):
              if i >= int(sys.argv[4]):
                  break
              p = json.loads(line)
              suite.write(line)
              completion = sys.argv[5] if len(sys.argv) > 5 else p["canonical_solution"]
              samples.write(json.dumps({"task_id": p["task_id"], "completion": completion}) + "\\n")
      """
    let suite = "\(dir)/suite.jsonl"
    let samples = "\(dir)/samples.jsonl"
    let made = try await CLI.runProgram(
      "/usr/bin/env",
      ["python3", "-c", script, try HumanEvalData.path(), suite, samples, String(count)]
        + (completion.map { [$0] } ?? []))
    #expect(made.status == 0, "\(made.stderr)")
    return (suite, samples)
  }

  @Test("eval: an edited sample in the completions file is refused (exit 2, naming it); --fresh starts afresh")
  func evalIdentity() async throws {
    let dir = try scratch("crucible-identity")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let (suite, samples) = try await humanEval(in: dir, count: 3)
    let command = ["eval", suite, "--completions", samples, "--report", "\(dir)/report", "--workers", "1"]
    let first = try await CLI.run(command)
    #expect(first.status == 0 && first.stdout.contains("pass@1 100.0%"), "\(first.stderr.suffix(1000))")
    let again = try await CLI.run(command)
    #expect(again.status == 0 && again.stderr.contains("resuming"), "\(again.stderr.suffix(1000))")

    // One sample broken: the same command must not report the old results.
    let lines = try String(contentsOfFile: samples, encoding: .utf8).split(separator: "\n").map(String.init)
    let broken = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    let replaced = try JSONSerialization.data(
      withJSONObject: ["task_id": broken["task_id"]!, "completion": "    return None\n"])
    try ([String(decoding: replaced, as: UTF8.self)] + lines.dropFirst()).joined(separator: "\n").appending("\n")
      .write(toFile: samples, atomically: true, encoding: .utf8)
    let edited = try await CLI.run(command)
    #expect(edited.status == 2 && edited.stderr.contains("completions_digest"), "\(edited.stderr)")
    #expect(edited.stderr.contains("--fresh"))
    let timeout = try await CLI.run(command + ["--timeout", "4"])
    #expect(timeout.status == 2 && timeout.stderr.contains("timeout_s"), "\(timeout.stderr)")

    let fresh = try await CLI.run(command + ["--fresh"])
    #expect(fresh.status == 0 && !fresh.stderr.contains("resuming"), "\(fresh.stderr.suffix(1000))")
    #expect(fresh.stdout.contains("pass@1 66.7%"), "\(fresh.stdout)")
  }

  @Test("Two evals into one report directory at once: the second is refused, naming the first's pid")
  func concurrentEvals() async throws {
    let dir = try scratch("crucible-identity")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Every sample loops to a 30 s limit: the first eval cannot end while
    // the test runs (on a quiet machine, 164 canonical solutions once did).
    let (suite, samples) = try await humanEval(in: dir, count: 164, completion: "    while True:\n        pass\n")
    let command = [
      "eval", suite, "--completions", samples, "--report", "\(dir)/report", "--workers", "1", "--timeout", "30",
    ]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = command
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    let lock = "\(dir)/report/\(DirectoryLock.fileName)"
    let held = await eventually {
      (try? String(contentsOfFile: lock, encoding: .utf8))?.contains("\(process.processIdentifier)") == true
    }
    #expect(held, "the first eval never took the lock")
    let second = try await CLI.run(command)
    #expect(process.isRunning, "the first eval ended before the second started")
    #expect(second.status == 2, "\(second.stderr)")
    #expect(second.stderr.contains("process \(process.processIdentifier)"), "\(second.stderr)")
  }
}
