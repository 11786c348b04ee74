import Foundation
import Journal
import Learning

/// `report.html` and `report.md` of a training run: the learning curve
/// drawn as SVG (made here; no script, nothing fetched), the per-round
/// table, and the eval tasks each round newly solved.
public struct LearningReport: Sendable {
  public var curve: Curve

  public init(curve: Curve) { self.curve = curve }

  var points: [CurvePoint] { curve.points }

  /// What the policy's cost counts, as the curve records it (programs the
  /// synthesizer enumerated, tokens a language model generated); `cost`
  /// for a curve that does not say.
  var costUnit: String { curve.costUnit ?? "cost" }

  func rate(_ solved: Int, _ total: Int) -> Double { total > 0 ? 100 * Double(solved) / Double(total) : 0 }

  func format(_ value: Double?) -> String {
    guard let value else { return "-" }
    return value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
  }

  /// The per-round table as Markdown rows.
  var tableRows: [[String]] {
    [
      [
        "round", "train solved", "eval solved", "eval solve rate", "median \(costUnit) per solved eval task",
        "newly solved", "lost", "update learned from", "seconds",
      ]
    ]
      + points.map { p in
        [
          String(p.round), "\(p.trainSolved)/\(p.trainTasks)", "\(p.evalSolved)/\(p.evalTasks)",
          String(format: "%.1f%%", rate(p.evalSolved, p.evalTasks)), format(p.evalMedianPrograms),
          String(p.newlySolved.count), String(p.lost.count), learnedFrom(p), String(Int(p.seconds.rounded())),
        ]
      }
  }

  /// The tasks the round's update learned from: `105`, or `105 + 200 dreamed`.
  func learnedFrom(_ point: CurvePoint) -> String {
    guard let real = point.learnedReal else { return "-" }
    return (point.learnedDreamed ?? 0) > 0 ? "\(real) + \(point.learnedDreamed!) dreamed" : String(real)
  }

  var headline: String {
    guard let first = points.first, let last = points.last, last.round > first.round else { return "" }
    let before = rate(first.evalSolved, first.evalTasks)
    let after = rate(last.evalSolved, last.evalTasks)
    var text = String(
      format: "Eval solve rate %.1f%% at round %d, %.1f%% at round %d (%+.1f points",
      before, first.round, after, last.round, after - before)
    if first.evalSolved > 0 { text += String(format: ", %.2fx", Double(last.evalSolved) / Double(first.evalSolved)) }
    text += ")"
    if let m0 = first.evalMedianPrograms, let m1 = last.evalMedianPrograms, m1 > 0 {
      let change = m1 <= m0 ? String(format: "%.1fx fewer", m0 / m1) : String(format: "%.1fx more", m1 / m0)
      text += "; median \(costUnit) per solved eval task \(format(m0)) → \(format(m1)) (\(change))."
    } else {
      text += "."
    }
    return text
  }

  public var markdown: String {
    var lines = ["# Learning curve", ""]
    lines += curve.run.keys.sorted().map { "- \(Markup.line($0)): \(Markup.line(curve.run[$0]!))" }
    lines += ["", headline, ""]
    let rows = tableRows
    lines.append("| " + rows[0].joined(separator: " | ") + " |")
    lines.append("|" + String(repeating: "---|", count: rows[0].count))
    for row in rows.dropFirst() { lines.append("| " + row.map { Markup.cell($0) }.joined(separator: " | ") + " |") }
    lines += ["", "## Eval tasks newly solved", ""]
    for p in points {
      let newly = p.newlySolved.isEmpty ? "none" : Markup.line(p.newlySolved.joined(separator: ", "))
      lines.append("- round \(p.round): \(newly)")
      if !p.lost.isEmpty { lines.append("  (no longer solved: \(Markup.line(p.lost.joined(separator: ", "))))") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  public var html: String {
    func escape(_ s: String) -> String { Markup.escape(s) }
    let rows = tableRows
    var table = "<table><tr>" + rows[0].map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows.dropFirst() { table += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
    table += "</table>"
    let settings = curve.run.keys.sorted().map { "<li><b>\(escape($0))</b>: \(escape(curve.run[$0]!))</li>" }.joined()
    let newly = points.map { p in
      "<li>round \(p.round): "
        + (p.newlySolved.isEmpty ? "none" : escape(p.newlySolved.joined(separator: ", ")))
        + (p.lost.isEmpty ? "" : " <i>(no longer solved: \(escape(p.lost.joined(separator: ", "))))</i>") + "</li>"
    }.joined(separator: "\n")
    return """
      <!doctype html>
      <html><head><meta charset="utf-8"><title>Crucible learning curve</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; color: #222; }
      table { border-collapse: collapse; margin: 1em 0; }
      th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
      th { background: #f4f4f4; }
      svg { margin: 1em 1em 0 0; }
      </style></head><body>
      <h1>Learning curve</h1>
      <p>\(escape(headline))</p>
      \(solveRateChart)
      \(programsChart)
      <h2>Rounds</h2>
      \(table)
      <h2>Eval tasks newly solved</h2>
      <ul>\(newly)</ul>
      <h2>Run</h2>
      <ul>\(settings)</ul>
      </body></html>

      """
  }

  // MARK: charts

  struct Series {
    var name: String
    var color: String
    var values: [Double?]
  }

  var solveRateChart: String {
    chart(
      title: "Solve rate by round (%)",
      series: [
        Series(name: "eval", color: "#c0392b", values: points.map { rate($0.evalSolved, $0.evalTasks) }),
        Series(name: "train", color: "#2471a3", values: points.map { rate($0.trainSolved, $0.trainTasks) }),
      ], low: 0, high: 100, logarithmic: false)
  }

  var programsChart: String {
    let values = points.map(\.evalMedianPrograms)
    let present = values.compactMap { $0 }.filter { $0 > 0 }
    let low = pow(10, (log10(present.min() ?? 1)).rounded(.down))
    let high = pow(10, (log10(present.max() ?? 10)).rounded(.up))
    return chart(
      title: "Median \(costUnit) per solved eval task (log scale)",
      series: [Series(name: "eval", color: "#7d3c98", values: values)], low: low, high: max(high, low * 10),
      logarithmic: true)
  }

  /// A line chart: rounds across, values up.
  func chart(title: String, series: [Series], low: Double, high: Double, logarithmic: Bool) -> String {
    let width = 520.0
    let height = 300.0
    let (left, right, top, bottom) = (60.0, 20.0, 40.0, 45.0)
    let rounds = points.map(\.round)
    let maxRound = Double(max(rounds.max() ?? 1, 1))
    func x(_ round: Int) -> Double { left + (width - left - right) * Double(round) / maxRound }
    func y(_ value: Double) -> Double {
      let t =
        logarithmic
        ? (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low)) : (value - low) / (high - low)
      return height - bottom - (height - top - bottom) * min(max(t, 0), 1)
    }
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">
      <text x="\(left)" y="22" font-size="14" font-weight="bold">\(title)</text>

      """
    // Gridlines and labels.
    var ticks: [Double] = []
    if logarithmic {
      var t = low
      while t <= high * 1.0001 {
        ticks.append(t)
        t *= 10
      }
    } else {
      ticks = stride(from: low, through: high, by: (high - low) / 4).map { $0 }
    }
    for t in ticks {
      let label = t >= 1000 ? String(format: "%.0e", t) : String(Int(t))
      svg += """
        <line x1="\(left)" y1="\(y(t))" x2="\(width - right)" y2="\(y(t))" stroke="#ddd"/>
        <text x="\(left - 6)" y="\(y(t) + 4)" font-size="11" text-anchor="end">\(label)</text>

        """
    }
    for round in rounds {
      svg +=
        "<text x=\"\(x(round))\" y=\"\(height - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(round)</text>\n"
    }
    svg +=
      "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\">round</text>\n"
    for (i, s) in series.enumerated() {
      let pts = zip(rounds, s.values).compactMap { round, value in value.map { (x(round), y($0)) } }
      if pts.count > 1 {
        svg +=
          "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2.5\" points=\""
          + pts.map { "\($0.0),\($0.1)" }.joined(separator: " ") + "\"/>\n"
      }
      for p in pts { svg += "<circle cx=\"\(p.0)\" cy=\"\(p.1)\" r=\"4\" fill=\"\(s.color)\"/>\n" }
      svg +=
        "<text x=\"\(width - right - 70)\" y=\"\(top + 14 + Double(i) * 16)\" font-size=\"12\" fill=\"\(s.color)\">"
        + "\(s.name)</text>\n"
    }
    return svg + "</svg>"
  }

  /// Writes `report.html` and `report.md` into `directory`.
  public func write(to directory: String) throws {
    try Data(html.utf8).write(to: URL(fileURLWithPath: "\(directory)/report.html"), options: .atomic)
    try Data(markdown.utf8).write(to: URL(fileURLWithPath: "\(directory)/report.md"), options: .atomic)
  }
}
