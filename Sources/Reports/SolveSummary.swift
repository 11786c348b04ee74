import Evaluation
import Foundation
import Journal
import Search
import Support

/// What `crucible solve` leaves behind: `DIR/<task>/solution.py` for each
/// solved task, `DIR/summary.json`, and the table it prints.
public struct SolveSummary: Sendable {
  public var runID: String
  public var suite: String
  public var policy: String
  public var parameters: String
  public var strategy: Strategy
  public var budget: SearchBudget
  public var store: String
  public var outcomes: [TaskOutcome]
  /// Wall time of this invocation (a resumed run counts only its own).
  public var wallMilliseconds: Double
  /// Standard-input tasks' time limits per test, in milliseconds, by task id.
  public var timeLimits: [String: Double]
  /// What keys the run besides the above, so that shards of one run are
  /// told from shards of another: the seed, how candidates that pass the
  /// public tests are chosen among (empty: the policy's first), and the
  /// whole suite (its digest and task count, before sharding).
  public var seed: UInt64 = 0
  public var choice = ""
  public var suiteDigest = ""
  public var suiteTasks = 0
  /// The shard this run solved, if it solved one.
  public var shard: Shard?
  /// Each task's place in the whole suite (what a merge sorts by).
  public var positions: [String: Int] = [:]

  /// `format` and `version` of summary.json, which `merge` checks.
  public static let format = "crucible-solve"
  public static let version = 1

  public init(
    runID: String, suite: String, policy: String, parameters: String, strategy: Strategy, budget: SearchBudget,
    store: String, outcomes: [TaskOutcome], wallMilliseconds: Double, timeLimits: [String: Double] = [:]
  ) {
    self.runID = runID
    self.suite = suite
    self.policy = policy
    self.parameters = parameters
    self.strategy = strategy
    self.budget = budget
    self.store = store
    self.outcomes = outcomes
    self.wallMilliseconds = wallMilliseconds
    self.timeLimits = timeLimits
  }

  /// Solved tasks whose chosen program came close to its time limit, with
  /// the slowest test and the limit.
  public var closeToTheLimit: [(taskID: String, slowest: Double, limit: Double)] {
    outcomes.compactMap { o in
      guard o.solved, let slowest = o.slowestTestMilliseconds, let limit = timeLimits[o.taskID],
        slowest >= TimeLimit.closeShare * limit
      else { return nil }
      return (o.taskID, slowest, limit)
    }
  }

  public var solved: Int { outcomes.filter(\.solved).count }
  public var sandboxRuns: Int { outcomes.reduce(0) { $0 + $1.sandboxRuns } }

  /// A directory name for a task id, one to one: ASCII letters, digits,
  /// `-`, `_` and `.` (not first) stand for themselves, every other byte
  /// of the id's UTF-8 is `%XX` (`HumanEval/3` → `HumanEval%2F3`), so no two
  /// ids share a directory, `.` and `..` stay inside `OUT`, and the id is
  /// read back by percent-decoding. Two exceptions keep every solved task
  /// writable: a name `solve` itself writes in `OUT` (`summary.json`,
  /// `store.sqlite` and SQLite's files beside it) has its first byte
  /// encoded too (`%73ummary.json`, which still decodes to the id); and a
  /// name longer than a file name may be (255 bytes: 29 CJK characters,
  /// encoded, are) is cut to 200 bytes and ends in `~` and the FNV-1a of
  /// the whole id (`~` is never plain, so such names meet no other).
  public static func directoryName(_ taskID: String) -> String {
    var out = ""
    for (offset, byte) in taskID.utf8.enumerated() {
      let plain =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == 0x2D || byte == 0x5F || (byte == 0x2E && offset > 0)
      out += plain ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    if out.isEmpty { return "%" }
    if reservedNames.contains(out) || out.hasPrefix("store.sqlite") {
      out = String(format: "%%%02X", out.utf8.first!) + out.dropFirst()
    }
    if out.utf8.count > 255 {
      // Cut at a byte that is not inside a `%XX`: the prefix stays readable.
      var cut = 200
      let bytes = Array(out.utf8)
      while cut > 0, bytes[cut - 1] == 0x25 || (cut >= 2 && bytes[cut - 2] == 0x25) { cut -= 1 }
      out = String(decoding: bytes[..<cut], as: UTF8.self) + "~" + FNV1a.hex(taskID)
    }
    return out
  }

  /// What `solve` writes in `OUT` beside the task directories.
  static let reservedNames: Set<String> = ["summary.json"]

  public var json: [String: Any] {
    var out: [String: Any] = [
      "format": Self.format, "version": Self.version,
      "run": runID, "suite": suite, "policy": policy, "parameters": parameters, "strategy": strategy.rawValue,
      "budget": ["proposals": budget.proposals, "runs": budget.runs, "seconds": budget.seconds], "store": store,
      "seed": String(seed), "choice": choice, "suite_digest": suiteDigest, "suite_tasks": suiteTasks,
      "tasks": outcomes.count, "solved": solved,
      "solve_rate": outcomes.isEmpty ? 0 : Double(solved) / Double(outcomes.count),
      "sandbox_runs": sandboxRuns, "wall_ms": wallMilliseconds.rounded(),
      "results": outcomes.map { o -> [String: Any] in
        var entry: [String: Any] = [
          "task_id": o.taskID, "solved": o.solved, "attempts": o.attempts, "sandbox_runs": o.sandboxRuns,
          "proposals": o.proposals, "wall_ms": o.wallMilliseconds.rounded(), "stop": o.stop,
          "hidden_passed": o.hiddenPassed, "hidden_total": o.hiddenTotal,
        ]
        if let position = positions[o.taskID] { entry["position"] = position }
        if let reason = o.reason { entry["reason"] = reason }
        if let slowest = o.slowestTestMilliseconds { entry["slowest_test_ms"] = (slowest * 1000).rounded() / 1000 }
        if let limit = timeLimits[o.taskID] { entry["time_limit_ms"] = limit }
        if let chosen = o.chosen {
          entry["candidate_id"] = chosen.id
          if let cost = chosen.cost { entry["policy_cost"] = cost }
          entry["provenance"] = [
            "policy": chosen.provenance.policy, "parameters": chosen.provenance.parameters,
            "sample_index": chosen.provenance.sampleIndex, "parent": chosen.provenance.parent ?? NSNull(),
          ]
        }
        if o.solved { entry["solution"] = "\(Self.directoryName(o.taskID))/solution.py" }
        return entry
      },
    ]
    if let shard { out["shard"] = shard.description }
    return out
  }

  /// The suite whose results `directory` holds (its summary.json says),
  /// as a standardized path; nil when it holds none.
  public static func recordedSuite(in directory: String) -> String? {
    guard let data = FileManager.default.contents(atPath: "\(directory)/summary.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let suite = object["suite"] as? String
    else { return nil }
    return URL(fileURLWithPath: suite).standardizedFileURL.path
  }

  /// Removes the solution files (and the directories they leave empty)
  /// and the summary a run left in `directory`: the results of another
  /// suite, replaced.
  public static func removeResults(in directory: String) throws {
    let fm = FileManager.default
    guard let data = fm.contents(atPath: "\(directory)/summary.json"),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return }
    for entry in object["results"] as? [[String: Any]] ?? [] {
      // Only names this code writes: one component, then solution.py.
      guard let solution = entry["solution"] as? String, !solution.hasPrefix("/"), !solution.contains(".."),
        solution.split(separator: "/").count == 2, solution.hasSuffix("/solution.py")
      else { continue }
      let file = "\(directory)/\(solution)"
      if fm.fileExists(atPath: file) { try fm.removeItem(atPath: file) }
      let folder = (file as NSString).deletingLastPathComponent
      if (try? fm.contentsOfDirectory(atPath: folder))?.isEmpty == true { try? fm.removeItem(atPath: folder) }
    }
    try fm.removeItem(atPath: "\(directory)/summary.json")
  }

  /// Writes the solutions and `summary.json` under `directory`; every file
  /// is written whole or not at all. A task this run did not solve has no
  /// solution file (one an earlier run left is removed).
  public func write(to directory: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for outcome in outcomes {
      let folder = "\(directory)/\(Self.directoryName(outcome.taskID))"
      guard outcome.solved, let chosen = outcome.chosen else {
        if fm.fileExists(atPath: "\(folder)/solution.py") {
          try fm.removeItem(atPath: "\(folder)/solution.py")
          // The task's directory held only the solution: it goes too.
          if (try? fm.contentsOfDirectory(atPath: folder))?.isEmpty == true { try? fm.removeItem(atPath: folder) }
        }
        continue
      }
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let program = chosen.program.hasSuffix("\n") ? chosen.program : chosen.program + "\n"
      try Data(program.utf8).write(to: URL(fileURLWithPath: "\(folder)/solution.py"), options: .atomic)
    }
    let data = try SafeText.json(
      JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
    try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: "\(directory)/summary.json"), options: .atomic)
  }

  /// The table printed at the end of a run, task ids shown safely.
  public var table: String {
    var rows = [["task", "solved", "attempts", "runs", "hidden", "wall ms", "stop", "why not solved"]]
    for o in outcomes {
      rows.append([
        SafeText.visible(o.taskID), o.solved ? "yes" : "no", String(o.attempts), String(o.sandboxRuns),
        o.stop == "passed-public" ? "\(o.hiddenPassed)/\(o.hiddenTotal)" : "-",
        String(Int(o.wallMilliseconds.rounded())), SafeText.visible(o.stop),
        o.reason.map { SafeText.visible($0) } ?? "",
      ])
    }
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var lines = rows.map { row in
      row.enumerated().map { c, cell in
        c == row.count - 1
          ? cell
          : c == 0 || c == row.count - 2
            ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
            : String(repeating: " ", count: widths[c] - cell.count) + cell
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    // The last column (free text) is as wide as its longest reason; its rule
    // is as wide as its header.
    let rules = widths.dropLast() + [rows[0].last?.count ?? 0]
    lines.insert(rules.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    let rate = outcomes.isEmpty ? 0 : 100 * Double(solved) / Double(outcomes.count)
    let perSolved = solved > 0 ? String(format: "%.1f", Double(sandboxRuns) / Double(solved)) : "-"
    lines.append("")
    let close = closeToTheLimit
    if !close.isEmpty {
      lines.append(
        "Close to the time limit (the slowest test took at least \(Int(TimeLimit.closeShare * 100))% of it): "
          + close.map {
            "\(SafeText.visible($0.taskID)) (\(String(format: "%.2f s of %g s", $0.slowest / 1000, $0.limit / 1000)))"
          }.joined(separator: ", "))
    }
    lines.append(
      "\(solved)/\(outcomes.count) solved (\(String(format: "%.1f", rate))%), \(sandboxRuns) sandbox runs "
        + "(\(perSolved) per solved task), \(String(format: "%.1f", wallMilliseconds / 1000)) s; "
        + "strategy \(strategy.rawValue), budget \(budget), run \(runID)")
    return lines.joined(separator: "\n")
  }
}
