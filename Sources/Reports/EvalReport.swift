import Evaluation
import Foundation
import Verdicts

/// What `crucible eval` leaves in its report directory besides the
/// journal: `results.json`, `junit.xml`, `summary.md` and `report.html`
/// (charts drawn here as SVG: readable with no network).
public struct EvalReport: Sendable {
  public var results: EvalResults

  public init(results: EvalResults) { self.results = results }

  public func write(to directory: String) throws {
    try results.write(to: "\(directory)/results.json")
    try Data(junit.utf8).write(to: URL(fileURLWithPath: "\(directory)/junit.xml"), options: .atomic)
    try Data(markdown.utf8).write(to: URL(fileURLWithPath: "\(directory)/summary.md"), options: .atomic)
    try Data(html.utf8).write(to: URL(fileURLWithPath: "\(directory)/report.html"), options: .atomic)
  }

  var ks: [String] { results.summary.passAtK.keys.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) } }

  func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }

  /// The headline: pass@k and what it cost.
  public var headline: String {
    let s = results.summary
    let pass = ks.map { "pass@\($0) \(percent(s.passAtK[$0] ?? 0))" }.joined(separator: ", ")
    let statuses = EvalResults.Status.allCases.compactMap { status -> String? in
      let count = s.statuses[status] ?? 0
      return count > 0 ? "\(count) \(status.rawValue)" : nil
    }.joined(separator: ", ")
    var cost = "\(s.cost.sandboxRuns) sandbox runs"
    if s.cost.completionTokens > 0 {
      cost += ", \(s.cost.promptTokens) prompt + \(s.cost.completionTokens) completion tokens"
    }
    let without = s.tasksWithoutSamples > 0 ? " (\(s.tasksWithoutSamples) without samples, counted as failed)" : ""
    return "\(s.tasks) tasks\(without), \(s.samples) samples: "
      + "\(pass.isEmpty ? "no pass@k (too few samples)" : pass); "
      + "\(statuses); \(cost); \(String(format: "%.1f", s.wallMilliseconds / 1000)) s"
  }

  // MARK: Markdown

  public var markdown: String {
    var out = "# Evaluation: \(Markup.line(results.run.suite))\n\n\(headline)\n\n"
    out += "- source: \(Markup.line(results.run.source))"
    if let policy = results.run.policy { out += " (\(Markup.line("\(policy) \(results.run.parameters ?? "")")))" }
    if let file = results.run.completions { out += " (\(Markup.line(file)))" }
    out += "\n- samples per task: \(results.run.samples), re-runs of failures: \(results.run.reruns)\n"
    if let shard = results.run.shard { out += "- shard \(shard)\n" }
    if let merged = results.run.mergedShards { out += "- merged from \(merged) shards\n" }
    // One column per reported k (none when no k could be reported); the
    // time column when the suite has standard-input tasks.
    let timed = results.tasks.contains { $0.timeLimitMilliseconds != nil }
    let header =
      ["task", "status", "correct"] + ks.map { "pass@\($0)" } + ["sandbox runs"]
      + (timed ? ["slowest passing test / limit"] : []) + ["why not passed"]
    out += "\n| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
    for task in results.tasks {
      let failure = task.reason ?? task.firstFailure.map { "test \($0.test): \($0.verdict.rawValue)" } ?? ""
      let cells =
        [Markup.cell(task.taskID), task.status.rawValue, "\(task.correct)/\(task.n)"]
        + ks.map { task.passAtK[$0].map(percent) ?? "-" } + [String(task.cost.sandboxRuns)]
        + (timed ? [Self.timing(task)] : []) + [Markup.cell(failure)]
      out += "| " + cells.joined(separator: " | ") + " |\n"
    }
    let close = results.tasks.filter { ($0.timeLimitShare ?? 0) >= TimeLimit.closeShare }
    if !close.isEmpty {
      out += "\nClose to the time limit (a passing test took at least \(Int(TimeLimit.closeShare * 100))% of it): "
      out += close.map { "\(Markup.line($0.taskID)) (\(Self.timing($0)))" }.joined(separator: ", ") + "\n"
    }
    return out
  }

  /// "0.41 s / 2 s (21%)", or "-" when nothing passed or there is no limit.
  static func timing(_ task: EvalResults.TaskResult) -> String {
    guard let limit = task.timeLimitMilliseconds, let slowest = task.slowestPassingTestMilliseconds,
      let share = task.timeLimitShare
    else { return "-" }
    let flag = share >= TimeLimit.closeShare ? " close" : ""
    return String(format: "%.2f s / %g s (%.0f%%)", slowest / 1000, limit / 1000, share * 100) + flag
  }

  // MARK: JUnit

  /// The suite's name for JUnit: its file or directory name without
  /// extensions, dots made underscores (CI servers split a classname at
  /// its dots into packages): `/data/HumanEval.jsonl.gz` → `HumanEval`.
  var suiteName: String {
    let last = (results.run.suite as NSString).lastPathComponent
    let stem = last.split(separator: ".", omittingEmptySubsequences: false).first.map(String.init) ?? last
    let name = stem.isEmpty ? last : stem
    return name.replacingOccurrences(of: ".", with: "_")
  }

  /// When the report was written, as JUnit's `timestamp` (ISO 8601, UTC, no zone).
  static func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime]
    return formatter.string(from: Date())
  }

  /// One testcase per task: a failure carries the first failing verdict;
  /// flaky tasks are skipped with a message (not green), infrastructure
  /// errors are errors. Well-formed XML whatever the verdicts hold: every
  /// text goes through `xml`.
  public var junit: String {
    let s = results.summary
    let failures = (s.statuses[.failed] ?? 0) + (s.statuses[.partial] ?? 0)
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out +=
      "<testsuites name=\"crucible eval\" tests=\"\(s.tasks)\" failures=\"\(failures)\" "
      + "errors=\"\(s.statuses[.infrastructureError] ?? 0)\" skipped=\"\(s.statuses[.flaky] ?? 0)\" "
      + "time=\"\(seconds(s.wallMilliseconds))\">\n"
    out +=
      "  <testsuite name=\"\(xml(suiteName))\" timestamp=\"\(Self.timestamp())\" "
      + "hostname=\"\(xml(ProcessInfo.processInfo.hostName))\" tests=\"\(s.tasks)\" failures=\"\(failures)\" "
      + "errors=\"\(s.statuses[.infrastructureError] ?? 0)\" skipped=\"\(s.statuses[.flaky] ?? 0)\" "
      + "time=\"\(seconds(s.wallMilliseconds))\">\n"
    for task in results.tasks {
      out +=
        "    <testcase classname=\"\(xml(suiteName))\" name=\"\(xml(task.taskID))\" "
        + "time=\"\(seconds(task.cost.sandboxMilliseconds))\""
      switch task.status {
      case .passed: out += "/>\n"
      case .failed, .partial:
        let f = task.firstFailure
        let message =
          "\(task.correct)/\(task.n) samples passed"
          + (f.map { "; first failing test \($0.test) (sample \($0.sample)): \($0.verdict.rawValue)" }
            ?? task.reason.map { "; \($0)" } ?? "")
        out +=
          ">\n      <failure type=\"\(xml(f?.verdict.rawValue ?? "failed"))\" message=\"\(xml(message))\">"
          + "\(xml(f?.detail ?? ""))</failure>\n    </testcase>\n"
      case .flaky:
        out +=
          ">\n      <skipped message=\"flaky: \(task.flaky) sample(s) changed verdict on re-run\"/>\n    </testcase>\n"
      case .infrastructureError:
        out +=
          ">\n      <error type=\"infrastructure_error\" message=\"the sandbox failed twice on \(task.infrastructureErrors) "
          + "sample(s)\"/>\n    </testcase>\n"
      }
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  func seconds(_ milliseconds: Double) -> String { String(format: "%.3f", milliseconds / 1000) }

  /// Text for XML and HTML, attribute or content: on one line, controls
  /// and hidden characters visible, markup escaped.
  func xml(_ text: String) -> String { Markup.escape(text) }

  // MARK: HTML

  /// Pass rate (pass@1, or the smallest k) by group.
  func rates(_ group: (EvalResults.TaskResult) -> [String]) -> [(String, Double, Int)] {
    guard let k = ks.first else { return [] }
    var sums: [String: (Double, Int)] = [:]
    for task in results.tasks {
      guard let value = task.passAtK[k] else { continue }
      for key in group(task) {
        let current = sums[key] ?? (0, 0)
        sums[key] = (current.0 + value, current.1 + 1)
      }
    }
    return sums.keys.sorted { a, b in
      (Int(a.dropFirst(6)) ?? Int.max, a) < (Int(b.dropFirst(6)) ?? Int.max, b)
    }.map { ($0, sums[$0]!.0 / Double(sums[$0]!.1), sums[$0]!.1) }
  }

  public var html: String {
    let k = ks.first ?? "1"
    let byLevel = rates { [$0.level.map { "level \($0)" } ?? "no level"] }
    let byTag = rates { $0.tags.isEmpty ? ["untagged"] : $0.tags }
    let costs = results.tasks.sorted { $0.cost.sandboxMilliseconds > $1.cost.sandboxMilliseconds }.prefix(20)
    var out = """
      <!doctype html>
      <html><head><meta charset="utf-8"><title>Crucible evaluation</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #222; }
      table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; }
      th { background: #f3f3f3; } .passed { color: #1a7f37; } .failed, .partial { color: #b42318; }
      .flaky, .infrastructure_error { color: #9a6700; } svg text { font-size: 12px; }
      </style></head><body>
      <h1>Evaluation: \(xml(results.run.suite))</h1>
      <p>\(xml(headline))</p>

      """
    out += "<h2>pass@\(k) by level</h2>\n" + bars(byLevel)
    out += "<h2>pass@\(k) by tag</h2>\n" + bars(byTag)
    out += "<h2>Cost: sandbox time per task (the 20 most expensive)</h2>\n"
    out += bars(
      costs.map { ($0.taskID, $0.cost.sandboxMilliseconds, $0.cost.sandboxRuns) }, unit: "ms",
      maximum: costs.first?.cost.sandboxMilliseconds ?? 1)
    out += "<h2>Tasks</h2>\n<table><tr><th>task</th><th>status</th><th>correct</th>"
    let timed = results.tasks.contains { $0.timeLimitMilliseconds != nil }
    out += ks.map { "<th>pass@\($0)</th>" }.joined() + "<th>sandbox runs</th>"
    out += (timed ? "<th>slowest passing test / limit</th>" : "") + "<th>why not passed</th></tr>\n"
    for task in results.tasks {
      let failure =
        task.reason ?? task.firstFailure.map { "test \($0.test): \($0.verdict.rawValue): \($0.detail)" } ?? ""
      out += "<tr><td>\(xml(task.taskID))</td><td class=\"\(task.status.rawValue)\">\(task.status.rawValue)</td>"
      out +=
        "<td>\(task.correct)/\(task.n)</td>" + ks.map { "<td>\(task.passAtK[$0].map(percent) ?? "-")</td>" }.joined()
      out += "<td>\(task.cost.sandboxRuns)</td>" + (timed ? "<td>\(xml(Self.timing(task)))</td>" : "")
      out += "<td>\(xml(String(failure.prefix(200))))</td></tr>\n"
    }
    out += "</table>\n</body></html>\n"
    return out
  }

  /// A horizontal bar chart: one bar per row, its value as a fraction of
  /// `maximum` (1 for rates), labelled with the value and a count.
  func bars(_ rows: [(String, Double, Int)], unit: String = "%", maximum: Double = 1) -> String {
    guard !rows.isEmpty else { return "<p>(nothing to draw)</p>\n" }
    let rowHeight = 22.0
    let labelWidth = 200.0
    let barWidth = 420.0
    let height = rowHeight * Double(rows.count) + 10
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(labelWidth + barWidth + 160))\" "
    svg += "height=\"\(Int(height))\" role=\"img\">\n"
    for (i, row) in rows.enumerated() {
      let y = 5 + rowHeight * Double(i)
      let width = maximum > 0 ? barWidth * min(1, max(0, row.1 / maximum)) : 0
      let label = unit == "%" ? percent(row.1) : "\(Int(row.1.rounded())) \(unit)"
      let count = unit == "%" ? "\(row.2) tasks" : "\(row.2) runs"
      svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(xml(String(row.0.prefix(30))))</text>"
      svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", width))\" height=\"16\" "
      svg += "fill=\"#4c78a8\"/>"
      svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 15)\">\(label) (\(count))</text>\n"
    }
    return svg + "</svg>\n"
  }
}
