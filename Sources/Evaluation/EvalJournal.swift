import Foundation
import Policy
import Support
import Verdicts

/// A sample: the program a policy proposed (or a samples file held) for
/// a task. `samples.jsonl`, a line each, written before the sample runs.
public struct SampleProgram: Codable, Sendable, Equatable {
  public var taskID: String
  public var sample: Int
  public var program: String
  public var usage: Usage?

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case sample, program, usage
  }
}

/// One run of a sample on every test of its task. `attempts.jsonl`, a
/// line each, written as it ends. `run` 0 is the first; later ones are
/// re-runs of a failure, looking for flakiness.
public struct SampleRun: Codable, Sendable, Equatable {
  public struct Verdict: Codable, Sendable, Equatable {
    public var test: Int
    public var kind: TestVerdict.Kind
    public var detail: String
    public var ms: Double?
  }

  public var taskID: String
  public var sample: Int
  public var run: Int
  public var passed: Bool
  /// The sandbox failed on it twice: no verdict.
  public var infrastructureError: Bool
  public var verdicts: [Verdict]
  public var ms: Double

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case sample, run, passed
    case infrastructureError = "infrastructure_error"
    case verdicts, ms
  }

  var key: String { "\(taskID)\u{1}\(sample)\u{1}\(run)" }
}

/// The eval's durable record, in its report directory: `run.json` (what
/// the run is), `samples.jsonl` and `attempts.jsonl`, appended a line at a
/// time. A killed eval, run again, reads them back and does only what is
/// missing; a line torn by the kill (the last one) is dropped. Run again
/// as another run (another suite content, samples file, timeout, ...), it
/// refuses, naming what differs, unless told to start afresh.
public actor EvalJournal {
  public let directory: String
  let samplesFile: FileHandle
  let attemptsFile: FileHandle
  public private(set) var samples: [String: [Int: SampleProgram]] = [:]
  public private(set) var runs: [String: SampleRun] = [:]
  /// The journal held this run already (it resumes).
  public nonisolated let isResumed: Bool

  /// Opens the journal in `directory` for `run`; `fresh` discards a
  /// journal the directory holds, of this run or another.
  public init(directory: String, run: EvalResults.RunInfo, fresh: Bool = false) throws(EvalError) {
    self.directory = directory
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw EvalError("\(directory): cannot create the report directory (\(error.localizedDescription))")
    }
    let runPath = "\(directory)/run.json"
    if fresh {
      for name in ["run.json", "samples.jsonl", "attempts.jsonl"] {
        try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = FileManager.default.contents(atPath: runPath) {
      guard let recorded = try? JSONDecoder().decode(EvalResults.RunInfo.self, from: data) else {
        throw EvalError("\(runPath): not a run description; use another --report directory")
      }
      guard recorded == run else {
        let fields = recorded.differences(from: run)
        throw EvalError(
          "\(directory) holds another eval run (\(runPath) differs in \(fields.joined(separator: ", "))); "
            + "use --fresh to start afresh there, or another --report directory")
      }
      isResumed = true
    } else {
      isResumed = false
      do {
        try encoder.encode(run).write(to: URL(fileURLWithPath: runPath), options: .atomic)
      } catch {
        throw EvalError("\(runPath): cannot be written (\(error.localizedDescription))")
      }
    }
    let samplesPath = "\(directory)/samples.jsonl"
    let attemptsPath = "\(directory)/attempts.jsonl"
    let loadedSamples: [SampleProgram] = try Self.readLines(samplesPath)
    let loadedRuns: [SampleRun] = try Self.readLines(attemptsPath)
    for s in loadedSamples { samples[s.taskID, default: [:]][s.sample] = s }
    for r in loadedRuns { runs[r.key] = r }
    samplesFile = try Self.openForAppend(samplesPath)
    attemptsFile = try Self.openForAppend(attemptsPath)
  }

  public func programs(for taskID: String) -> [SampleProgram]? {
    guard let recorded = samples[taskID], !recorded.isEmpty else { return nil }
    return recorded.keys.sorted().compactMap { recorded[$0] }
  }

  public func run(task: String, sample: Int, run: Int) -> SampleRun? {
    runs["\(task)\u{1}\(sample)\u{1}\(run)"]
  }

  public func record(_ programs: [SampleProgram]) throws(EvalError) {
    for program in programs {
      try append(program, to: samplesFile, path: "samples.jsonl")
      samples[program.taskID, default: [:]][program.sample] = program
    }
  }

  public func record(_ run: SampleRun) throws(EvalError) {
    try append(run, to: attemptsFile, path: "attempts.jsonl")
    runs[run.key] = run
  }

  func append<T: Encodable>(_ value: T, to file: FileHandle, path: String) throws(EvalError) {
    do {
      try file.write(contentsOf: try JSONLines.line(value))
    } catch {
      throw EvalError("\(directory)/\(path): write failed (\(error.localizedDescription)); what was written is kept")
    }
  }

  static func openForAppend(_ path: String) throws(EvalError) -> FileHandle {
    if !FileManager.default.fileExists(atPath: path) {
      FileManager.default.createFile(atPath: path, contents: nil)
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { throw EvalError("\(path): cannot be opened") }
    _ = try? handle.seekToEnd()
    return handle
  }

  /// The lines of a journal file; a torn last line is cut off the file.
  static func readLines<T: Decodable>(_ path: String) throws(EvalError) -> [T] {
    guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [] }
    var out: [T] = []
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    var goodLength = 0
    for (number, line) in lines.enumerated() {
      if line.isEmpty {
        goodLength += 1
        continue
      }
      do {
        out.append(try JSONDecoder().decode(T.self, from: Data(line)))
        goodLength += line.count + 1
      } catch {
        let isLast = number == lines.count - 1 && data.last != UInt8(ascii: "\n")
        guard isLast else {
          throw EvalError("\(path):\(number + 1): not a journal line (\(error.localizedDescription))")
        }
        // Torn by a kill mid-write: drop it, so appends start clean.
        if let handle = FileHandle(forWritingAtPath: path) {
          try? handle.truncate(atOffset: UInt64(min(goodLength, data.count)))
          try? handle.close()
        }
      }
    }
    return out
  }
}
