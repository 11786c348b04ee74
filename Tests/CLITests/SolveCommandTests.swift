import Foundation
import Store
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct SolveCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  @Test("solve tasks/examples: solutions for what it solves, a summary for everything, exit 0")
  func examples() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["solve", "tasks/examples", "--out", dir, "--json"], in: Self.root)
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    let summary = try CLI.summary(in: dir)
    let printed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(printed["run"] as? String == summary["run"] as? String)
    let results = try #require(summary["results"] as? [[String: Any]])
    #expect(summary["tasks"] as? Int == 23 && results.count == 23)
    let solved = results.filter { $0["solved"] as? Bool == true }
    #expect(summary["solved"] as? Int == solved.count)
    #expect(solved.count >= 5)
    for entry in results {
      for key in ["task_id", "solved", "attempts", "sandbox_runs", "wall_ms"] { #expect(entry[key] != nil, "\(key)") }
      let taskID = try #require(entry["task_id"] as? String)
      // Ids map to directories one to one ("/" is "%2F").
      let solution = "\(dir)/\(taskID.replacingOccurrences(of: "/", with: "%2F"))/solution.py"
      if entry["solved"] as? Bool == true {
        #expect(entry["hidden_passed"] as? Int == entry["hidden_total"] as? Int)
        #expect(entry["solution"] as? String == "\(taskID.replacingOccurrences(of: "/", with: "%2F"))/solution.py")
        let program = try String(contentsOfFile: solution, encoding: .utf8)
        // A function, or a whole program that reads its input.
        #expect(program.contains("def ") || program.contains("input") || program.contains("stdin"), "\(program)")
      } else {
        #expect(!FileManager.default.fileExists(atPath: solution))
      }
    }
  }

  @Test(
    "Bad input: a clear error naming the value, exit 2",
    arguments: [
      (["solve", "no/such/suite"], "no/such/suite"),
      (["solve", "tasks/examples", "--budget", "runs=0"], "runs=0"),
      (["solve", "tasks/examples", "--budget", "speed=9"], "speed"),
      (["solve", "tasks/examples", "--strategy", "guess"], "guess"),
      (["solve", "tasks/examples", "--workers", "0"], "--workers"),
      (["solve", "tasks/examples", "--checkpoint", "/no/such/model.json"], "/no/such/model.json"),
      (["solve", "tasks/examples", "--store", "/proc/version"], "/proc/version"),
    ])
  func badInput(arguments: [String], mentions: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(arguments + ["--out", dir], in: Self.root)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }

  /// The attempts of the store's only run, as comparable keys.
  func attempts(_ store: String) async throws -> [String] {
    let runStore = try RunStore(path: store)
    let runs = try await runStore.runs()
    #expect(runs.count == 1)
    guard let run = runs.first else { return [] }
    return try await runStore.attempts(run: run.id).map {
      "\($0.taskID)#\($0.step)#\($0.index)#\($0.selection)#\($0.candidateID)"
    }
  }

  /// Processes still in a cgroup of the killed supervisor.
  func strays(of pid: Int32) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry in
      guard Int32(entry) != nil, let cgroup = try? String(contentsOfFile: "/proc/\(entry)/cgroup", encoding: .utf8)
      else { return nil }
      return cgroup.contains("crucible-\(pid)-") ? entry : nil
    }
  }

  @Test("kill -9 mid-run, then the same command: the run resumes, and the store has every attempt exactly once")
  func killAndResume() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let command = ["solve", "tasks/eval", "--programs", "20000", "--strategy", "revise", "--workers", "2"]

    // The same run, uninterrupted, for reference.
    let reference = try await CLI.run(command + ["--out", "\(dir)/reference"], in: Self.root)
    #expect(reference.status == 0, "\(reference.stderr.suffix(2000))")
    let expected = try await attempts("\(dir)/reference/store.sqlite")
    #expect(expected.count > 70)

    // Interrupted: kill -9 once a third of the attempts are in the store.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = command + ["--out", "\(dir)/run"]
    process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let store = "\(dir)/run/store.sqlite"
    await KillSwitch.arm(process, within: 120) {
      KillSwitch.count(store, "SELECT COUNT(*) FROM attempts") >= expected.count / 3
    }
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the run ended before it could be killed")
    let before = try await attempts(store)
    #expect(before.count >= expected.count / 3 && before.count < expected.count)
    // The sandbox went with it.
    let cleared = await eventually(within: 5) { strays(of: process.processIdentifier).isEmpty }
    #expect(cleared, "processes left in the killed run's cgroups: \(strays(of: process.processIdentifier))")

    // The same command again: resumes, finishes, redoes nothing.
    let resumed = try await CLI.run(command + ["--out", "\(dir)/run"], in: Self.root)
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(2000))")
    #expect(resumed.stderr.contains("resuming run-"))
    let after = try await attempts(store)
    #expect(Set(after).count == after.count, "an attempt was recorded twice")
    #expect(after.sorted() == expected.sorted())
    #expect(Array(after.prefix(before.count)) == before, "attempts recorded before the kill changed")
    let referenceSummary = try CLI.summary(in: "\(dir)/reference")
    let resumedSummary = try CLI.summary(in: "\(dir)/run")
    #expect(referenceSummary["solved"] as? Int == resumedSummary["solved"] as? Int)
  }

  @Test("solve --shard on 4 shards and merge equal one unsharded run on tasks/eval; bad merges are refused")
  func shardsMerge() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let command = ["solve", "tasks/eval", "--programs", "20000", "--workers", "2", "--quiet"]
    for index in 0..<4 {
      let shard = try await CLI.run(command + ["--shard", "\(index)/4", "--out", "\(dir)/s\(index)"], in: Self.root)
      #expect(shard.status == 0, "\(shard.stderr.suffix(2000))")
    }
    // The scheduler's variables choose the shard as --shard does.
    let fromSlurm = try await CLI.run(
      command + ["--out", "\(dir)/slurm"], in: Self.root,
      environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"])
    #expect(fromSlurm.status == 0, "\(fromSlurm.stderr.suffix(2000))")
    let whole = try await CLI.run(command + ["--out", "\(dir)/whole"], in: Self.root)
    #expect(whole.status == 0, "\(whole.stderr.suffix(2000))")
    let merged = try await CLI.run(
      ["merge"] + (0..<4).map { "\(dir)/s\($0)" } + ["--out", "\(dir)/merged"], in: Self.root)
    #expect(merged.status == 0, "\(merged.stderr)")
    func summary(_ name: String) throws -> [String: Any] { try CLI.summary(in: "\(dir)/\(name)") }
    let keys = [
      "task_id", "solved", "attempts", "hidden_passed", "hidden_total", "stop", "candidate_id", "sandbox_runs",
    ]
    func results(_ object: [String: Any]) -> [String] {
      (object["results"] as? [[String: Any]] ?? []).map { entry in
        keys.map { "\(entry[$0] ?? "-")" }.joined(separator: " ")
      }
    }
    let one = try summary("whole")
    let many = try summary("merged")
    #expect(results(one).count == 70 && results(one) == results(many))
    #expect(one["solved"] as? Int == many["solved"] as? Int && many["merged_shards"] as? Int == 4)
    #expect(results(try summary("slurm")) == results(try summary("s2")))
    // The same solution files, byte for byte.
    let fm = FileManager.default
    let files = try fm.subpathsOfDirectory(atPath: "\(dir)/whole").filter { $0.hasSuffix("solution.py") }.sorted()
    #expect(files.count == one["solved"] as? Int)
    #expect(
      try fm.subpathsOfDirectory(atPath: "\(dir)/merged").filter { $0.hasSuffix("solution.py") }.sorted() == files)
    for file in files {
      #expect(fm.contents(atPath: "\(dir)/whole/\(file)") == fm.contents(atPath: "\(dir)/merged/\(file)"), "\(file)")
    }
    // A shard missing, a shard twice, a shard of another run, not a solve's output.
    let other = try await CLI.run(
      ["solve", "tasks/eval", "--programs", "10000", "--quiet", "--shard", "3/4", "--out", "\(dir)/other"],
      in: Self.root)
    #expect(other.status == 0)
    let bad: [([String], String)] = [
      (["s0", "s1", "s2"], "shards missing: 3/4"),
      (["s0", "s1", "s1", "s3"], "given twice"),
      (["s0", "s1", "s2", "other"], "field parameters"),
      (["s0", "s1", "s2", "s3", "whole"], "field shard: missing"),
    ]
    // Not into one of the shards, which would stop being one.
    let intoShard = try await CLI.run(
      ["merge"] + (0..<4).map { "\(dir)/s\($0)" } + ["--out", "\(dir)/s0"], in: Self.root)
    #expect(intoShard.status == 2 && intoShard.stderr.contains("already holds a summary.json"), "\(intoShard.stderr)")
    #expect(try summary("s0")["shard"] as? String == "0/4")
    for (inputs, mention) in bad {
      let result = try await CLI.run(
        ["merge"] + inputs.map { "\(dir)/\($0)" } + ["--out", "\(dir)/bad"], in: Self.root)
      #expect(result.status == 2 && result.stderr.contains(mention), "\(inputs): \(result.stderr)")
    }
  }
}
