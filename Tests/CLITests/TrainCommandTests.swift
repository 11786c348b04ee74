import Foundation
import Store
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct TrainCommandTests {
  static let root = SolveCommandTests.root

  /// The first `count` lines of a bundled suite, as a suite of its own.
  func subset(_ suite: String, _ count: Int, into dir: String, name: String) throws -> String {
    let lines = try String(contentsOfFile: "\(Self.root)/\(suite)", encoding: .utf8).split(separator: "\n")
    let path = "\(dir)/\(name).jsonl"
    try Data((lines.prefix(count).joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test("train: rounds of search, learning and evaluation; curve, report, checkpoints, exports; resumes")
  func trainAndResume() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let train = try subset("tasks/train/tasks.jsonl", 12, into: dir, name: "train")
    let eval = try subset("tasks/eval/tasks.jsonl", 6, into: dir, name: "eval")
    let out = "\(dir)/out"
    let command = [
      "train", "--train", train, "--eval", eval, "--rounds", "1", "--programs", "20000", "--budget", "runs=3",
      "--out", out,
    ]
    let first = try await CLI.run(command, in: Self.root)
    #expect(first.status == 0, "\(first.stderr.suffix(2000))")
    let curveData = try Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json"))
    let curve = try #require(try JSONSerialization.jsonObject(with: curveData) as? [String: Any])
    let points = try #require(curve["points"] as? [[String: Any]])
    #expect(points.count == 2)
    #expect(curve["cost_unit"] as? String == "programs")
    for (round, point) in points.enumerated() {
      #expect(point["round"] as? Int == round)
      #expect(point["train_tasks"] as? Int == 12 && point["eval_tasks"] as? Int == 6)
      for key in ["train_solved", "eval_solved", "eval_median_programs", "newly_solved", "checkpoint"] {
        #expect(point[key] != nil, "\(key)")
      }
      #expect(FileManager.default.fileExists(atPath: "\(out)/round-\(round)/checkpoint.json"))
      #expect(FileManager.default.fileExists(atPath: "\(out)/round-\(round)/solutions.jsonl"))
    }
    #expect((points[0]["train_solved"] as? Int ?? 0) > 0)
    let sft = try String(contentsOfFile: "\(out)/round-0/sft.jsonl", encoding: .utf8)
    #expect(sft.split(separator: "\n").count == points[0]["train_solved"] as? Int)
    let html = try String(contentsOfFile: "\(out)/report.html", encoding: .utf8)
    #expect(html.contains("<svg") && html.contains("<polyline") && !html.contains("<script"))
    let markdown = try String(contentsOfFile: "\(out)/report.md", encoding: .utf8)
    #expect(markdown.contains("| round |"))
    #expect(first.stdout.contains("Learning curve"))

    // The same command again: nothing left to do, nothing redone.
    let again = try await CLI.run(command, in: Self.root)
    #expect(again.status == 0, "\(again.stderr.suffix(2000))")
    #expect(again.stderr.contains("resuming after round 1"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")) == curveData)

    // More rounds on the same directory: learns from round 1, then runs round 2.
    var more = command
    more[more.firstIndex(of: "--rounds")! + 1] = "2"
    let longer = try await CLI.run(more, in: Self.root)
    #expect(longer.status == 0, "\(longer.stderr.suffix(2000))")
    let extended = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")))
    let extendedPoints = try #require((extended as? [String: Any])?["points"] as? [[String: Any]])
    #expect(extendedPoints.count == 3)
    #expect((extendedPoints[1]["update"] as? String)?.isEmpty == false)
    #expect(FileManager.default.fileExists(atPath: "\(out)/round-2/checkpoint.json"))
    // Another training run in the same directory is refused.
    var other = command
    other[other.firstIndex(of: "--budget")! + 1] = "runs=4"
    let beforeRefusal = try Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json"))
    let refused = try await CLI.run(other, in: Self.root)
    #expect(refused.status == 2 && refused.stderr.contains("another train run"), "\(refused.stderr)")
    #expect(
      refused.stderr.contains("runs=3,seconds=120', now 'proposals=32,runs=4") && refused.stderr.contains("--fresh"),
      "\(refused.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")) == beforeRefusal)
    // So is one whose learner would propose otherwise: programs per proposal
    // (searching or measured), or another starting checkpoint (round 0 is
    // read back from OUT, so it would be ignored), never the old curve.
    for (flag, value, differs) in [
      ("--programs", "5", "programs (was 20000, now 5)"), ("--eval-programs", "7", "eval_programs (was 20000, now 7)"),
      ("--checkpoint", "checkpoints/builtin.json", "initial (was prior@"),
    ] {
      var changed = command
      if let at = changed.firstIndex(of: flag) { changed[at + 1] = value } else { changed += [flag, value] }
      let result = try await CLI.run(changed, in: Self.root)
      #expect(result.status == 2 && result.stderr.contains(differs), "\(flag): \(result.stderr)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")) == beforeRefusal)

    // --fresh: a new training run; the old rounds, curve and exemplars are gone.
    other[other.firstIndex(of: "--rounds")! + 1] = "0"
    let fresh = try await CLI.run(other + ["--fresh"], in: Self.root)
    #expect(fresh.status == 0 && !fresh.stderr.contains("resuming"), "\(fresh.stderr.suffix(2000))")
    let freshCurve = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")))
    let freshPoints = try #require((freshCurve as? [String: Any])?["points"] as? [[String: Any]])
    #expect(freshPoints.count == 1)
    #expect(((freshCurve as? [String: Any])?["run"] as? [String: String])?["budget"]?.contains("runs=4") == true)
    #expect(!FileManager.default.fileExists(atPath: "\(out)/round-1"))
    #expect(!FileManager.default.fileExists(atPath: "\(out)/round-2"))
    // And the fresh run is now the one the directory resumes.
    let resumedFresh = try await CLI.run(other, in: Self.root)
    #expect(resumedFresh.status == 0 && resumedFresh.stderr.contains("resuming after round 0"))
  }

  @Test("kill -9 mid-round, then the same command: it resumes, and the curve is the uninterrupted run's")
  func killAndResume() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let train = try subset("tasks/train/tasks.jsonl", 12, into: dir, name: "train")
    let eval = try subset("tasks/eval/tasks.jsonl", 6, into: dir, name: "eval")
    let command = [
      "train", "--train", train, "--eval", eval, "--rounds", "1", "--programs", "20000", "--budget", "runs=3",
      "--workers", "1",
    ]
    let reference = try await CLI.run(command + ["--out", "\(dir)/reference"], in: Self.root)
    #expect(reference.status == 0, "\(reference.stderr.suffix(2000))")

    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = command + ["--out", "\(dir)/run"]
    process.currentDirectoryURL = URL(fileURLWithPath: Self.root)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Round 0 recorded, and round 1's search under way: kill it there.
    let store = "\(dir)/run/store.sqlite"
    func progress() async -> (rounds: Int, searches: Int) {
      guard FileManager.default.fileExists(atPath: store), let runStore = try? RunStore(path: store),
        let runs = try? await runStore.runs(), let training = runs.first(where: { $0.kind == "train" })
      else { return (0, 0) }
      let rounds = (try? await runStore.rounds(run: training.id).count) ?? 0
      return (rounds, runs.filter { $0.kind == "train_search" }.count)
    }
    await KillSwitch.arm(process, within: 120) {
      KillSwitch.count(store, "SELECT COUNT(*) FROM rounds") >= 1
        && KillSwitch.count(store, "SELECT COUNT(*) FROM runs WHERE kind = 'train_search'") >= 3
    }
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the run ended before it could be killed")
    #expect(await progress().rounds == 1)

    let resumed = try await CLI.run(command + ["--out", "\(dir)/run"], in: Self.root)
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(2000))")
    #expect(resumed.stderr.contains("resuming after round 0"), "\(resumed.stderr.suffix(2000))")
    func curve(_ out: String) throws -> [[String: String]] {
      let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/curve.json")))
      let points = (object as? [String: Any])?["points"] as? [[String: Any]] ?? []
      // Everything but the time each round took.
      return points.map { point in point.filter { $0.key != "seconds" }.mapValues { "\($0)" } }
    }
    let expected = try curve("\(dir)/reference")
    #expect(expected.count == 2)
    #expect(try curve("\(dir)/run") == expected)
  }

  @Test(
    "Bad input: a clear error, exit 2",
    arguments: [
      (["--train", "tasks/eval", "--eval", "tasks/eval"], "share"),
      (["--train", "tasks/train", "--eval", "tasks/eval", "--rounds", "-1"], "--rounds"),
      (["--train", "tasks/train", "--eval", "tasks/eval", "--method", "magic"], "magic"),
      (["--train", "tasks/train", "--eval", "tasks/eval", "--learning-rate", "0"], "--learning-rate"),
      (["--train", "no/such", "--eval", "tasks/eval"], "no/such"),
    ])
  func badInput(arguments: [String], mentions: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(["train"] + arguments + ["--out", dir], in: Self.root)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
  }
}
