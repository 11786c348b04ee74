import Foundation
import Journal
import Support

/// The eval's records as files beside results.json, exported from its
/// journal (the run store) when the run ends: `samples.jsonl` and
/// `attempts.jsonl`, a line per sample and per run, in the order recorded.
public enum EvalExports {
  public static func write(_ journal: any EvalJournal, to directory: String) async throws {
    try JSONLines.write(try await journal.samples(), to: "\(directory)/samples.jsonl")
    try JSONLines.write(try await journal.runs(), to: "\(directory)/attempts.jsonl")
  }
}
