import Foundation
import TestSupport
import Testing

/// What a user meets at the command line: a version, subsets of a suite,
/// options that cannot go together refused naming both, and outputs that
/// keep to their stream.
@Suite(.serialized, .timeLimit(.minutes(10))) struct UsabilityTests {
  static let root = SolveCommandTests.root
  static let everyday = "\(root)/tasks/examples/everyday.jsonl"

  @Test("--version prints the release and the formats it writes, exit 0")
  func version() async throws {
    let result = try await CLI.run(["--version"])
    #expect(result.status == 0 && result.stdout.hasPrefix("crucible ") && result.stdout.contains("results.json v3"))
  }

  @Test("--tasks and --limit pick a subset of the suite, in its order, for solve, eval and check")
  func subsets() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let solve = try await CLI.run(
      [
        "solve", Self.everyday, "--tasks", "min-pairwise,odd-squares-sum", "--out", "\(dir)/solve", "--json",
        "--workers", "1",
      ], in: Self.root)
    #expect(solve.status == 0, "\(solve.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(solve.stdout.utf8)) as? [String: Any])
    let ids = (summary["results"] as? [[String: Any]])?.compactMap { $0["task_id"] as? String }
    #expect(ids == ["odd-squares-sum", "min-pairwise"], "\(solve.stdout)")

    let eval = try await CLI.run(
      ["eval", Self.everyday, "--limit", "2", "--report", "\(dir)/eval", "--json", "--workers", "1"], in: Self.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    let evalSummary = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
    #expect(evalSummary["tasks"] as? Int == 2, "\(eval.stdout)")

    let check = try await CLI.run(["check", Self.everyday, "--tasks", "capitalize-word", "--json"], in: Self.root)
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stdout.contains("\"tasks\":1"), "\(check.stdout)")

    let unknown = try await CLI.run(["solve", Self.everyday, "--tasks", "nope", "--out", "\(dir)/x"], in: Self.root)
    #expect(unknown.status == 2 && unknown.stderr.contains("has no task 'nope'"), "\(unknown.stderr)")
  }

  @Test(
    "Options that cannot go together are refused, naming both; exit 2",
    arguments: [
      (["--completions", "samples.jsonl", "--samples", "5"], "--samples 5"),
      (["--samples", "2", "--k", "1,10"], "--k 1,10"),
      (["--shard", "0/4", "--shard-count", "3"], "--shard-count says 3"),
    ])
  func conflicts(_ options: [String], _ mentions: String) async throws {
    let result = try await CLI.run(["eval", Self.everyday, "--report", "/tmp/never-written"] + options, in: Self.root)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/never-written"))
  }

  @Test("check skips a task without a reference solution and says so; the others are checked")
  func checkWithoutReference() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(atPath: "\(Self.root)/tasks/examples/add-two", toPath: "\(dir)/add-two")
    try FileManager.default.copyItem(atPath: "\(Self.root)/tasks/examples/pair-up", toPath: "\(dir)/pair-up")
    try FileManager.default.removeItem(atPath: "\(dir)/pair-up/solution.py")
    let result = try await CLI.run(["check", dir, "--workers", "1"])
    #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("1/1 reference solutions pass"), "\(result.stdout)")
    #expect(result.stdout.contains("1 task without a reference solution, skipped: pair-up"), "\(result.stdout)")
  }

  @Test("sandbox run - reads the script from standard input")
  func runFromStdin() async throws {
    let result = try await CLI.runProgram(
      "/bin/sh", ["-c", "printf 'print(6 * 7)\\n' | '\(CLI.executable)' sandbox run -"])
    #expect(result.status == 0 && result.stdout == "42\n", "\(result.stdout) \(result.stderr)")
  }

  @Test("merge --out a directory: a clear message naming it, exit 2, no Foundation error")
  func mergeIntoDirectory() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let eval = try await CLI.run(
      ["eval", Self.everyday, "--limit", "1", "--shard", "0/1", "--report", "\(dir)/s0", "--workers", "1"],
      in: Self.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    let merged = try await CLI.run(["merge", "\(dir)/s0/results.json", "--out", dir])
    #expect(merged.status == 2 && merged.stderr.contains("--out \(dir) is a directory"), "\(merged.stderr)")
    #expect(!merged.stderr.contains("NSCocoaErrorDomain"))
  }

  @Test("show: a store's runs, a run's tasks with why each was missed, a task's attempts, an eval's samples")
  func show() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let solve = try await CLI.run(["solve", "tasks/examples", "--out", "\(dir)/out", "--workers", "1"], in: Self.root)
    #expect(solve.status == 0, "\(solve.stderr)")
    let runs = try await CLI.run(["show", "\(dir)/out"])
    #expect(runs.status == 0 && runs.stdout.contains("solve") && runs.stdout.contains("completed"), "\(runs.stdout)")
    let tasks = try await CLI.run(["show", "\(dir)/out", "latest"])
    #expect(tasks.stdout.contains("declined") && tasks.stdout.contains("outside the DSL"), "\(tasks.stdout)")
    #expect(tasks.stdout.contains("failed hidden test"), "\(tasks.stdout)")
    let task = try await CLI.run(["show", "\(dir)/out/store.sqlite", "--task", "add-two"])
    #expect(task.status == 0, "\(task.stderr)")
    #expect(task.stdout.contains("step 0: propose") && task.stdout.contains("on the hidden tests: 5/5 passed"))
    #expect(task.stdout.contains("    | def add(a, b):"), "\(task.stdout)")

    let eval = try await CLI.run(
      ["eval", Self.everyday, "--limit", "2", "--report", "\(dir)/eval", "--workers", "1"], in: Self.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    let evalTask = try await CLI.run(["show", "\(dir)/eval", "--task", "odd-squares-sum"])
    #expect(evalTask.status == 0 && evalTask.stdout.contains("sample 0: passed"), "\(evalTask.stdout)")

    for (arguments, mentions) in [
      (["show", "\(dir)/out", "run-nope"], "holds no run run-nope"),
      (["show", "\(dir)/out", "--task", "nope"], "has no record of task nope"),
      (["show", "\(dir)/missing"], "no such file or directory"),
    ] {
      let refused = try await CLI.run(arguments)
      #expect(refused.status == 2 && refused.stderr.contains(mentions), "\(refused.stderr)")
    }
  }

  /// `crucible ARGS` on a terminal (script(1) gives it one), with `TERM`;
  /// what the terminal showed, stdout and stderr together.
  func onTerminal(_ arguments: [String], term: String) async throws -> (status: Int32, shown: String) {
    let command = ([CLI.executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let result = try await CLI.runProgram(
      "/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], in: Self.root, environment: ["TERM": term])
    // The terminal ends lines with CR LF (one Character in Swift).
    return (result.status, result.stdout.replacingOccurrences(of: "\r\n", with: "\n"))
  }

  @Test("On a terminal: a live bar, finished before the summary; TERM=dumb gets plain lines, no escapes")
  func terminal() async throws {
    let live = try await onTerminal(["check", Self.everyday, "--limit", "3", "--workers", "1"], term: "xterm")
    #expect(live.status == 0, "\(live.shown)")
    #expect(live.shown.contains("\r\u{1B}[K") && live.shown.contains("check ["), "\(live.shown)")
    // The summary starts a line of its own, never glued to the bar.
    #expect(
      live.shown.split(separator: "\n").contains { $0.hasPrefix("3/3 reference solutions pass") }, "\(live.shown)")
    let dumb = try await onTerminal(["check", Self.everyday, "--limit", "3", "--workers", "1"], term: "dumb")
    #expect(dumb.status == 0 && !dumb.shown.contains("\u{1B}"), "\(dumb.shown)")
    #expect(dumb.shown.contains("[1/3]"), "\(dumb.shown)")
  }

  @Test("--quiet: no progress at all; off a terminal, eval writes heartbeats, not a line per failing sample")
  func quietAndHeartbeats() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let quiet = try await CLI.run(["check", Self.everyday, "--limit", "2", "--quiet"], in: Self.root)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    // The built-in policy on everyday tasks: some samples fail, some tasks declined.
    let eval = try await CLI.run(
      ["eval", Self.everyday, "--samples", "3", "--report", "\(dir)/eval", "--workers", "1"], in: Self.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    let lines = eval.stderr.split(separator: "\n")
    #expect(lines.count <= 12, "\(eval.stderr)")
    #expect(lines.allSatisfy { $0.hasPrefix("[") && $0.contains(" eval: ") && $0.contains("ETA") }, "\(eval.stderr)")
  }

  @Test("CRUCIBLE_CHECKPOINT=prior means the hand-set prior; a damaged store says what to do")
  func messages() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let prior = try await CLI.run(
      ["solve", "tasks/examples/add-two", "--out", "\(dir)/out", "--json", "--workers", "1"], in: Self.root,
      environment: ["CRUCIBLE_CHECKPOINT": "prior"])
    #expect(prior.status == 0, "\(prior.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(prior.stdout.utf8)) as? [String: Any])
    #expect((summary["parameters"] as? String)?.hasPrefix("prior@") == true, "\(prior.stdout)")

    try FileManager.default.createDirectory(atPath: "\(dir)/bad", withIntermediateDirectories: true)
    try Data(String(repeating: "not a database\n", count: 400).utf8).write(
      to: URL(fileURLWithPath: "\(dir)/bad/store.sqlite"))
    let damaged = try await CLI.run(["solve", "tasks/examples/add-two", "--out", "\(dir)/bad"], in: Self.root)
    #expect(damaged.status == 2, "\(damaged.stderr)")
    #expect(damaged.stderr.contains("\(dir)/bad/store.sqlite") && damaged.stderr.contains("move it aside"))
  }

  @Test("A reader that goes away (| head -1) does not stop the run: exit 0, everything recorded")
  func closedPipe() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let command =
      "'\(CLI.executable)' solve tasks/examples --out '\(dir)/out' 2>&1 | head -1 >/dev/null; "
      + "echo \"status ${PIPESTATUS[0]}\""
    let result = try await CLI.runProgram("/bin/bash", ["-c", command], in: Self.root)
    #expect(result.stdout.contains("status 0"), "\(result.stdout) \(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: "\(dir)/out/summary.json"))
  }

  @Test("Bad input found when the sandbox starts records no run: the corrected command is not refused")
  func badPackageRecordsNothing() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for command in ["solve", "eval"] {
      let output = command == "solve" ? ["--out", "\(dir)/\(command)"] : ["--report", "\(dir)/\(command)"]
      let bad = try await CLI.run(
        [command, "tasks/examples/add-two", "--python-package", "nosuchpkg", "--workers", "1"] + output, in: Self.root)
      #expect(bad.status == 2 && bad.stderr.contains("nosuchpkg"), "\(bad.stderr)")
      let fixed = try await CLI.run([command, "tasks/examples/add-two", "--workers", "1"] + output, in: Self.root)
      #expect(fixed.status == 0, "\(command): \(fixed.stderr)")
    }
  }

  @Test("eval's progress reaches its total when the policy declines tasks; --seed -1 names the value")
  func progressTotalAndSeed() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let eval = try await CLI.run(["eval", "tasks/examples", "--report", "\(dir)/eval"], in: Self.root)
    #expect(eval.status == 0, "\(eval.stderr)")
    #expect(eval.stderr.split(separator: "\n").last?.hasPrefix("[23/23] eval:") == true, "\(eval.stderr)")
    let seed = try await CLI.run(["solve", "tasks/examples", "--seed", "-1", "--out", "\(dir)/x"], in: Self.root)
    #expect(seed.status == 2 && seed.stderr.contains("'-1'") && !seed.stderr.contains("Missing value"))
  }

  @Test("--budget seconds is a limit for the built-in policy too: a long enumeration is cut, stop `time`")
  func synthesisDeadline() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let task: [String: Any] = [
      "task_id": "hard", "prompt": "Return a strange function of x and y.", "entry_point": "f",
      "signature": "def f(x: int, y: int) -> int", "public": 4,
      "tests": [[1, 2, 1_234_567], [3, 4, 7_654_321], [5, 6, 1_111_111], [7, 8, 2_222_222]].map {
        ["args": [$0[0], $0[1]], "expected": $0[2]]
      },
    ]
    try (JSONSerialization.data(withJSONObject: task) + Data("\n".utf8)).write(
      to: URL(fileURLWithPath: "\(dir)/hard.jsonl"))
    // A hundred million programs would take minutes; the budget allows 2 seconds.
    let result = try await CLI.run([
      "solve", "\(dir)/hard.jsonl", "--programs", "100000000", "--budget", "proposals=1,runs=1,seconds=2", "--out",
      "\(dir)/out", "--json", "--workers", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let entry = try #require((summary["results"] as? [[String: Any]])?.first)
    #expect(entry["stop"] as? String == "time", "\(entry)")
    #expect((entry["wall_ms"] as? Double ?? .infinity) < 60_000, "\(entry)")
  }

  @Test("A second suite into one --out is refused, naming the first; --fresh replaces its results")
  func twoSuitesOneOut() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let first = try await CLI.run(["solve", "tasks/examples/add-two", "--out", "\(dir)/out"], in: Self.root)
    #expect(first.status == 0 && FileManager.default.fileExists(atPath: "\(dir)/out/add-two/solution.py"))
    let second = try await CLI.run(
      ["solve", Self.everyday, "--limit", "1", "--out", "\(dir)/out", "--workers", "1"], in: Self.root)
    #expect(second.status == 2 && second.stderr.contains("another suite"), "\(second.stderr)")
    #expect(second.stderr.contains("tasks/examples/add-two"), "\(second.stderr)")
    let fresh = try await CLI.run(
      ["solve", Self.everyday, "--limit", "1", "--out", "\(dir)/out", "--workers", "1", "--fresh"], in: Self.root)
    #expect(fresh.status == 0, "\(fresh.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/add-two"))
    #expect(FileManager.default.fileExists(atPath: "\(dir)/out/odd-squares-sum/solution.py"))
  }
}
