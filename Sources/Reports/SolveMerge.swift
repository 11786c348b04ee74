import Evaluation
import Foundation
import Support

/// Merges the output directories of every shard of one `crucible solve`
/// run (`--shard I/N`) into one: a summary.json of the whole suite, its
/// tasks in the suite's order, and every solution file. Refuses what would
/// make a wrong whole: a directory that is not a solve's output, shards of
/// different runs (suite, policy, its parameters, strategy, budget, seed,
/// choice), a shard given twice or missing, a task in two shards, or tasks
/// missing from the suite's count.
public enum SolveMerge {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
  }

  /// One shard's output: its directory and its summary.json.
  public struct Part {
    public var directory: String
    var summary: [String: Any]
  }

  /// Whether `path` looks like a solve's output (a directory with a
  /// summary.json), as opposed to an eval's results.json.
  public static func isSolveOutput(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
      && FileManager.default.fileExists(atPath: "\(path)/summary.json")
  }

  public static func load(_ directory: String) throws(Failure) -> Part {
    let file = "\(directory)/summary.json"
    guard let data = FileManager.default.contents(atPath: file) else {
      throw Failure("\(file): cannot be read (is \(directory) the --out of crucible solve?)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw Failure("\(file): not a JSON object")
    }
    guard object["format"] as? String == SolveSummary.format else {
      throw Failure("\(file): field format: not '\(SolveSummary.format)' (a summary from an older crucible?)")
    }
    guard object["version"] as? Int == SolveSummary.version else {
      throw Failure(
        "\(file): field version: \(SafeText.visible("\(object["version"] ?? "missing")")) is not \(SolveSummary.version)"
      )
    }
    guard object["results"] is [[String: Any]] else { throw Failure("\(file): field results: missing or not a list") }
    return Part(directory: directory, summary: object)
  }

  /// The fields that must agree across the shards of one run.
  static let runFields = [
    "suite", "suite_digest", "suite_tasks", "policy", "parameters", "strategy", "budget", "seed", "choice",
  ]

  /// Writes the merged summary.json and the solution files to `out`;
  /// returns the merged summary.
  public static func merge(_ parts: [Part], into out: String) throws(Failure) -> [String: Any] {
    guard let first = parts.first else { throw Failure("no shards to merge") }
    func text(_ value: Any?) -> String {
      guard let value else { return "missing" }
      if let data = try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys]) {
        return SafeText.visible(String(String(decoding: data, as: UTF8.self).dropFirst(5).dropLast(1)), limit: 200)
      }
      return SafeText.visible("\(value)", limit: 200)
    }
    for part in parts.dropFirst() {
      for field in runFields where text(part.summary[field]) != text(first.summary[field]) {
        throw Failure(
          "\(part.directory) and \(first.directory) are not shards of one run: field \(field) is "
            + "\(text(part.summary[field])) and \(text(first.summary[field]))")
      }
    }
    // Every shard once, of one count.
    var byIndex: [Int: String] = [:]
    var count: Int?
    for part in parts {
      guard let label = part.summary["shard"] as? String, let shard = try? Shard(parsing: label) else {
        throw Failure("\(part.directory)/summary.json: field shard: missing (was it solved with --shard I/N?)")
      }
      if let count, count != shard.count {
        throw Failure("\(part.directory) is shard \(shard) but the others are of \(count) shards")
      }
      count = shard.count
      if let other = byIndex[shard.index] {
        throw Failure("shard \(shard) is given twice: \(other) and \(part.directory)")
      }
      byIndex[shard.index] = part.directory
    }
    let total = count ?? 0
    let missing = (0..<total).filter { byIndex[$0] == nil }
    guard missing.isEmpty else {
      throw Failure("shards missing: \(missing.prefix(10).map { "\($0)/\(total)" }.joined(separator: ", "))")
    }
    // Every task once; in the suite's order.
    var results: [(position: Int, entry: [String: Any], from: Part)] = []
    var seen: [String: String] = [:]
    for part in parts {
      for entry in part.summary["results"] as? [[String: Any]] ?? [] {
        guard let id = entry["task_id"] as? String, let position = entry["position"] as? Int else {
          throw Failure("\(part.directory)/summary.json: a result without task_id or position")
        }
        if let other = seen[id] {
          throw Failure("task '\(SafeText.visible(id))' is in two shards: \(other) and \(part.directory)")
        }
        seen[id] = part.directory
        results.append((position, entry, part))
      }
    }
    let suiteTasks = first.summary["suite_tasks"] as? Int ?? -1
    guard results.count == suiteTasks else {
      throw Failure("the shards hold \(results.count) tasks; the suite has \(suiteTasks)")
    }
    results.sort { $0.position < $1.position }

    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
      for (_, entry, part) in results {
        guard let solution = entry["solution"] as? String else { continue }
        // Only a name solve writes: one directory, then solution.py.
        let pieces = solution.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[1] == "solution.py", !pieces[0].isEmpty, pieces[0] != ".", pieces[0] != ".."
        else {
          throw Failure(
            "\(part.directory)/summary.json: solution '\(SafeText.visible(solution))' is not a solution file")
        }
        guard let program = fm.contents(atPath: "\(part.directory)/\(solution)") else {
          throw Failure("\(part.directory)/\(solution): cannot be read")
        }
        try fm.createDirectory(atPath: "\(out)/\(pieces[0])", withIntermediateDirectories: true)
        try program.write(to: URL(fileURLWithPath: "\(out)/\(solution)"), options: .atomic)
      }
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure("cannot write \(out): \(error.localizedDescription)")
    }
    let entries = results.map(\.entry)
    let solved = entries.filter { $0["solved"] as? Bool == true }.count
    var merged = first.summary
    merged.removeValue(forKey: "shard")
    merged["merged_shards"] = total
    let ordered = byIndex.keys.sorted().compactMap { index in parts.first { $0.directory == byIndex[index] } }
    merged["run"] = ordered.map { $0.summary["run"] ?? NSNull() }
    merged["store"] = ordered.map { $0.summary["store"] ?? NSNull() }
    merged["tasks"] = entries.count
    merged["solved"] = solved
    merged["solve_rate"] = entries.isEmpty ? 0 : Double(solved) / Double(entries.count)
    merged["sandbox_runs"] = entries.reduce(0) { $0 + ($1["sandbox_runs"] as? Int ?? 0) }
    merged["wall_ms"] = parts.map { $0.summary["wall_ms"] as? Double ?? 0 }.max() ?? 0
    merged["results"] = entries
    do {
      let data = try SafeText.json(
        JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
      try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: "\(out)/summary.json"), options: .atomic)
    } catch {
      throw Failure("cannot write \(out)/summary.json: \(error.localizedDescription)")
    }
    return merged
  }
}
