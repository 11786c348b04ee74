import Foundation
import Journal
import Judge
import Support

/// What `crucible show` prints: a store's runs, a run's tasks, one task's
/// proposals, attempts and verdicts, so nobody needs SQL. Every text a task
/// or a candidate wrote is shown visibly, on its line.
public enum RunView {
  /// Rows as aligned columns, the first row the header; the last column
  /// (free text) is not padded.
  public static func table(_ rows: [[String]]) -> String {
    let rows = rows.map { $0.map { SafeText.visible($0) } }
    guard let header = rows.first else { return "" }
    let widths = header.indices.map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    var lines = rows.map { row in
      row.enumerated().map { c, cell in
        c == row.count - 1 ? cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    let rules = widths.dropLast() + [header.last?.count ?? 0]
    lines.insert(rules.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    return lines.joined(separator: "\n")
  }

  /// A search run's tasks: how each ended and why.
  public static func outcomes(_ outcomes: [TaskOutcome]) -> String {
    table(
      [["task", "solved", "stop", "attempts", "runs", "hidden", "why not solved"]]
        + outcomes.map { o in
          [
            o.taskID, o.solved ? "yes" : "no", o.stop, String(o.attempts), String(o.sandboxRuns),
            o.stop == "passed-public" ? "\(o.hiddenPassed)/\(o.hiddenTotal)" : "-", o.reason ?? "",
          ]
        })
  }

  /// One task of a search run: each policy call with its candidates, each
  /// sandbox run with its per-test verdicts, and the chosen program.
  public static func task(
    _ taskID: String, outcome: TaskOutcome?, proposals: [ProposalRecord], attempts: [AttemptRecord]
  ) -> String {
    var out = ["task \(SafeText.visible(taskID))"]
    if let outcome {
      out.append(
        "  \(outcome.solved ? "solved" : "not solved"), stop \(outcome.stop)"
          + (outcome.reason.map { ": \(SafeText.visible($0))" } ?? ""))
    } else {
      out.append("  no outcome recorded (the run stopped before this task finished)")
    }
    for proposal in proposals {
      let parent = proposal.parent.map { " of \($0)" } ?? ""
      out.append(
        "  step \(proposal.step): \(proposal.kind.rawValue)\(parent), "
          + "\(counted(proposal.candidates.count, "candidate")) (\(String(format: "%.0f", proposal.milliseconds)) ms)")
      for candidate in proposal.candidates {
        out.append(
          "    \(candidate.id) score \(String(format: "%.2f", candidate.score))"
            + (candidate.cost.map { ", cost \(Int($0))" } ?? ""))
      }
      for attempt in attempts where attempt.step == proposal.step {
        let passed = attempt.results.filter { $0.verdict == .passed }.count
        out.append(
          "    run \(attempt.candidate.id) on the \(attempt.selection == .hiddenOnly ? "hidden" : "public") tests: "
            + "\(passed)/\(attempt.results.count) passed (\(String(format: "%.0f", attempt.milliseconds)) ms)")
        for result in attempt.results where result.verdict != .passed {
          out.append("      test \(result.index): \(SafeText.visible(result.verdict.detail, limit: 300))")
        }
      }
    }
    if let chosen = outcome?.chosen {
      out.append("  chosen \(chosen.id):")
      let program = chosen.program.hasSuffix("\n") ? String(chosen.program.dropLast()) : chosen.program
      for line in program.split(separator: "\n", omittingEmptySubsequences: false) {
        out.append("    | " + SafeText.visible(String(line)))
      }
    }
    return out.joined(separator: "\n")
  }

  /// One task of an eval run: each sample's runs and their verdicts.
  public static func evalTask(_ taskID: String, samples: [SampleProgram], runs: [SampleRun]) -> String {
    var out = ["task \(SafeText.visible(taskID)): \(counted(samples.count, "sample"))"]
    for sample in samples {
      let mine = runs.filter { $0.sample == sample.sample }.sorted { $0.run < $1.run }
      let verdicts = mine.map { run in
        run.infrastructureError
          ? "not judged"
          : run.passed
            ? "passed"
            : run.verdicts.first { $0.kind != .passed }
              .map { "test \($0.test): \($0.kind.rawValue)" } ?? "failed"
      }
      out.append("  sample \(sample.sample): \(verdicts.isEmpty ? "not run" : verdicts.joined(separator: ", then "))")
      if let failing = mine.first?.verdicts.first(where: { $0.kind != .passed }) {
        out.append("    test \(failing.test): \(SafeText.visible(failing.detail, limit: 300))")
      }
    }
    return out.joined(separator: "\n")
  }
}
