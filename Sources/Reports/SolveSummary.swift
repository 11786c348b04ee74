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

  public init(
    runID: String, suite: String, policy: String, parameters: String, strategy: Strategy, budget: SearchBudget,
    store: String, outcomes: [TaskOutcome], wallMilliseconds: Double
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
  }

  public var solved: Int { outcomes.filter(\.solved).count }
  public var sandboxRuns: Int { outcomes.reduce(0) { $0 + $1.sandboxRuns } }

  /// A directory name for a task id (`HumanEval/3` → `HumanEval_3`).
  public static func directoryName(_ taskID: String) -> String {
    String(taskID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
      .replacingOccurrences(of: "..", with: "__")
  }

  public var json: [String: Any] {
    [
      "run": runID, "suite": suite, "policy": policy, "parameters": parameters, "strategy": strategy.rawValue,
      "budget": ["proposals": budget.proposals, "runs": budget.runs, "seconds": budget.seconds], "store": store,
      "tasks": outcomes.count, "solved": solved,
      "solve_rate": outcomes.isEmpty ? 0 : Double(solved) / Double(outcomes.count),
      "sandbox_runs": sandboxRuns, "wall_ms": wallMilliseconds.rounded(),
      "results": outcomes.map { o -> [String: Any] in
        var entry: [String: Any] = [
          "task_id": o.taskID, "solved": o.solved, "attempts": o.attempts, "sandbox_runs": o.sandboxRuns,
          "proposals": o.proposals, "wall_ms": o.wallMilliseconds.rounded(), "stop": o.stop,
          "hidden_passed": o.hiddenPassed, "hidden_total": o.hiddenTotal,
        ]
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
  }

  /// Writes the solutions and `summary.json` under `directory`; every file
  /// is written whole or not at all.
  public func write(to directory: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for outcome in outcomes where outcome.solved {
      guard let chosen = outcome.chosen else { continue }
      let folder = "\(directory)/\(Self.directoryName(outcome.taskID))"
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(chosen.program.utf8).write(to: URL(fileURLWithPath: "\(folder)/solution.py"), options: .atomic)
    }
    let data = try SafeText.json(
      JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
    try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: "\(directory)/summary.json"), options: .atomic)
  }

  /// The table printed at the end of a run, task ids shown safely.
  public var table: String {
    var rows = [["task", "solved", "attempts", "runs", "hidden", "wall ms", "stop"]]
    for o in outcomes {
      rows.append([
        SafeText.visible(o.taskID), o.solved ? "yes" : "no", String(o.attempts), String(o.sandboxRuns),
        o.stop == "passed-public" ? "\(o.hiddenPassed)/\(o.hiddenTotal)" : "-",
        String(Int(o.wallMilliseconds.rounded())), SafeText.visible(o.stop),
      ])
    }
    let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
    var lines = rows.map { row in
      row.enumerated().map { c, cell in
        c == 0 || c == row.count - 1
          ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[c] - cell.count) + cell
      }.joined(separator: "  ")
    }
    lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    let rate = outcomes.isEmpty ? 0 : 100 * Double(solved) / Double(outcomes.count)
    let perSolved = solved > 0 ? String(format: "%.1f", Double(sandboxRuns) / Double(solved)) : "-"
    lines.append("")
    lines.append(
      "\(solved)/\(outcomes.count) solved (\(String(format: "%.1f", rate))%), \(sandboxRuns) sandbox runs "
        + "(\(perSolved) per solved task), \(String(format: "%.1f", wallMilliseconds / 1000)) s; "
        + "strategy \(strategy.rawValue), budget \(budget), run \(runID)")
    return lines.joined(separator: "\n")
  }
}
