import Foundation
import Journal
import Support

/// What changed between a baseline and a current eval: regressions (a
/// task that did better before, or is gone), improvements, flaky tasks
/// (listed, and judged by their samples, flaky ones counting as failed: a
/// task cannot hide a regression by making itself flaky), and tasks the
/// sandbox could not judge (neither).
public struct Regression: Sendable, Equatable {
  public struct Change: Sendable, Equatable {
    public var taskID: String
    public var before: String
    public var after: String
    /// The current first failing test, when there is one.
    public var firstFailure: EvalResults.Failure?
  }

  public var regressions: [Change] = []
  public var improvements: [Change] = []
  /// Tasks whose current status is flaky (also counted above).
  public var flaky: [Change] = []
  /// Tasks the current run could not judge.
  public var infrastructure: [Change] = []
  /// Tasks only the current run has.
  public var added: [String] = []
  public var unchanged = 0

  /// Compares by task id. A task of the baseline missing from the current
  /// run is a regression (it can no longer be shown to pass).
  public init(baseline: EvalResults, current: EvalResults) {
    let now = Dictionary(uniqueKeysWithValues: current.tasks.map { ($0.taskID, $0) })
    let before = Set(baseline.tasks.map(\.taskID))
    for old in baseline.tasks {
      guard let new = now[old.taskID] else {
        regressions.append(Change(taskID: old.taskID, before: old.status.rawValue, after: "missing", firstFailure: nil))
        continue
      }
      let change = Change(
        taskID: old.taskID, before: Self.describe(old), after: Self.describe(new), firstFailure: new.firstFailure)
      if new.status == .flaky { flaky.append(change) }
      switch (Self.rank(old), Self.rank(new)) {
      case (_, nil): infrastructure.append(change)
      case (let was?, let now?):
        // By outcome only (passed > partial > failed): a pass rate that
        // moves within `partial` is sampling noise as often as not.
        if now < was {
          regressions.append(change)
        } else if now > was {
          improvements.append(change)
        } else {
          unchanged += 1
        }
      case (nil, _):
        // The baseline could not judge it: no regression can be claimed; a
        // pass now is listed as an improvement.
        if new.status == .passed { improvements.append(change) } else { unchanged += 1 }
      }
    }
    added = current.tasks.map(\.taskID).filter { !before.contains($0) }
  }

  /// passed (every counted sample) 2, partial 1, failed 0; nil when the
  /// sandbox could not judge the task.
  static func rank(_ task: EvalResults.TaskResult) -> Int? {
    if task.status == .infrastructureError { return nil }
    if task.n > 0 && task.correct == task.n { return 2 }
    return task.correct > 0 ? 1 : 0
  }

  static func describe(_ task: EvalResults.TaskResult) -> String {
    task.n > 1 || task.flaky > 0 ? "\(task.status.rawValue) (\(task.correct)/\(task.n))" : task.status.rawValue
  }

  /// 1 when anything regressed, 0 otherwise (infrastructure is the
  /// caller's exit 2, checked first).
  public var exitCode: Int32 { regressions.isEmpty ? 0 : 1 }

  /// The diff for programs (`regress --json`, `eval --json --baseline`):
  /// each list of changes, the counts and the exit code it implies.
  public var json: [String: Any] {
    func change(_ c: Change) -> [String: Any] {
      var out: [String: Any] = ["task_id": c.taskID, "before": c.before, "after": c.after]
      if let f = c.firstFailure {
        out["first_failure"] = [
          "sample": f.sample, "test": f.test, "verdict": f.verdict.rawValue, "detail": f.detail,
        ]
      }
      return out
    }
    return [
      "regressions": regressions.map(change), "improvements": improvements.map(change), "flaky": flaky.map(change),
      "not_judged": infrastructure.map(change), "added": added, "unchanged": unchanged,
      "regressed": !regressions.isEmpty,
    ]
  }

  /// The diff for people: one line per change, what tasks and candidates
  /// wrote (ids, failure details) shown visibly on it.
  public var text: String {
    var lines: [String] = []
    func row(_ c: Change) -> String {
      var line = "  \(c.taskID): \(c.before) -> \(c.after)"
      if let f = c.firstFailure {
        line += "; first failing test \(f.test) (sample \(f.sample)): \(f.verdict.rawValue): \(f.detail)"
      }
      return SafeText.visible(line)
    }
    if !regressions.isEmpty { lines += ["REGRESSIONS (\(regressions.count)):"] + regressions.map(row) }
    if !improvements.isEmpty { lines += ["improvements (\(improvements.count)):"] + improvements.map(row) }
    if !flaky.isEmpty { lines += ["flaky, their flaky samples counted as failed (\(flaky.count)):"] + flaky.map(row) }
    if !infrastructure.isEmpty {
      lines += ["not judged, infrastructure errors (\(infrastructure.count)):"] + infrastructure.map(row)
    }
    if !added.isEmpty {
      lines.append(SafeText.visible("new tasks, not in the baseline: \(added.joined(separator: ", "))"))
    }
    lines.append(
      "\(regressions.count) regressed, \(improvements.count) improved, \(flaky.count) flaky, "
        + "\(infrastructure.count) not judged, \(unchanged) unchanged")
    return lines.joined(separator: "\n")
  }
}

/// Merges the results of every shard of one run into the results of the
/// whole run; refuses files from different runs, repeated or missing
/// shards, and a task in two shards.
public enum Merge {
  public static func merge(_ parts: [(path: String, results: EvalResults)]) throws(EvalError) -> EvalResults {
    guard let first = parts.first else { throw EvalError("merge: no shard files given") }
    for part in parts {
      guard let shard = part.results.run.shard else {
        throw EvalError("\(part.path): field run.shard: not a shard's results (it has no shard)")
      }
      let wanted = part.results.run.withoutShard.runIdentity
      let recorded = first.results.run.withoutShard.runIdentity
      guard wanted == recorded else {
        let fields = wanted.differences(from: recorded.fields)
        throw EvalError(
          "\(part.path) is from another run than \(first.path): it differs in run.\(fields.joined(separator: ", run."))"
        )
      }
      guard shard.count == first.results.run.shard?.count else {
        throw EvalError(
          "\(part.path): field run.shard: \(shard) is not of \(first.results.run.shard?.count ?? 0) shards")
      }
    }
    let count = first.results.run.shard?.count ?? 0
    var seen: [Int: String] = [:]
    for part in parts {
      let index = part.results.run.shard?.index ?? -1
      if let other = seen[index] { throw EvalError("shard \(index)/\(count) given twice: \(other) and \(part.path)") }
      seen[index] = part.path
    }
    let missing = (0..<count).filter { seen[$0] == nil }
    guard missing.isEmpty else {
      throw EvalError(
        "\(missing.count == 1 ? "shard" : "shards") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) "
          + "\(missing.count == 1 ? "is" : "are") missing; a merge needs all \(count)")
    }
    var owner: [String: String] = [:]
    for part in parts {
      for task in part.results.tasks {
        if let other = owner[task.taskID] {
          throw EvalError("task \(task.taskID) is in two shards: \(other) and \(part.path)")
        }
        owner[task.taskID] = part.path
      }
    }
    var run = first.results.run.withoutShard
    run.mergedShards = count
    return EvalResults(
      run: run, tasks: parts.flatMap(\.results.tasks),
      wallMilliseconds: parts.map(\.results.summary.wallMilliseconds).max() ?? 0)
  }
}
