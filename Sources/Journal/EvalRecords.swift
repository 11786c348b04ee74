import Policy
import Verdicts

/// A sample: the program a policy proposed (or a samples file held) for a
/// task. Recorded before the sample runs; exported as `samples.jsonl`.
public struct SampleProgram: Codable, Sendable, Equatable {
  public var taskID: String
  public var sample: Int
  public var program: String
  public var usage: Usage?

  public init(taskID: String, sample: Int, program: String, usage: Usage? = nil) {
    self.taskID = taskID
    self.sample = sample
    self.program = program
    self.usage = usage
  }

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case sample, program, usage
  }
}

/// One run of a sample on every test of its task, recorded as it ends and
/// exported as `attempts.jsonl`. `run` 0 is the first; later ones are
/// re-runs of a failure, looking for flakiness.
public struct SampleRun: Codable, Sendable, Equatable {
  public struct Verdict: Codable, Sendable, Equatable {
    public var test: Int
    public var kind: TestVerdict.Kind
    public var detail: String
    public var ms: Double?

    public init(test: Int, kind: TestVerdict.Kind, detail: String, ms: Double?) {
      self.test = test
      self.kind = kind
      self.detail = detail
      self.ms = ms
    }
  }

  public var taskID: String
  public var sample: Int
  public var run: Int
  public var passed: Bool
  /// The sandbox failed on it twice: no verdict.
  public var infrastructureError: Bool
  public var verdicts: [Verdict]
  public var ms: Double

  public init(
    taskID: String, sample: Int, run: Int, passed: Bool, infrastructureError: Bool, verdicts: [Verdict], ms: Double
  ) {
    self.taskID = taskID
    self.sample = sample
    self.run = run
    self.passed = passed
    self.infrastructureError = infrastructureError
    self.verdicts = verdicts
    self.ms = ms
  }

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case sample, run, passed
    case infrastructureError = "infrastructure_error"
    case verdicts, ms
  }
}

/// Where an eval writes its samples and runs as they happen, and reads
/// them back when it resumes: a sample recorded is never made again, a run
/// recorded never run again. The run store implements it; tests use
/// ``MemoryEvalJournal``.
public protocol EvalJournal: Sendable {
  /// The journal held this run already (it resumes).
  var isResumed: Bool { get }
  /// A task's recorded samples, in sample order; nil when it has none.
  func programs(for taskID: String) async -> [SampleProgram]?
  func run(task: String, sample: Int, run: Int) async -> SampleRun?
  func record(_ programs: [SampleProgram]) async throws
  func record(_ run: SampleRun) async throws
  /// Every sample and every run, in the order recorded: the exports.
  func samples() async throws -> [SampleProgram]
  func runs() async throws -> [SampleRun]
}

/// An eval journal in memory: the records, in order, and indexes to find
/// them. The run store's eval journal keeps one as its cache.
public actor MemoryEvalJournal: EvalJournal {
  /// The records in the order they came, and keys to find them.
  struct Records {
    struct SampleKey: Hashable {
      var task: String
      var sample: Int
    }

    struct RunKey: Hashable {
      var task: String
      var sample: Int
      var run: Int
    }

    var sampleOrder: [SampleKey] = []
    var runOrder: [RunKey] = []
    var programsByTask: [String: [Int: SampleProgram]] = [:]
    var runsByKey: [RunKey: SampleRun] = [:]

    mutating func add(_ program: SampleProgram) {
      if programsByTask[program.taskID, default: [:]].updateValue(program, forKey: program.sample) == nil {
        sampleOrder.append(SampleKey(task: program.taskID, sample: program.sample))
      }
    }

    mutating func add(_ run: SampleRun) {
      let key = RunKey(task: run.taskID, sample: run.sample, run: run.run)
      if runsByKey.updateValue(run, forKey: key) == nil { runOrder.append(key) }
    }
  }

  var records = Records()
  public nonisolated let isResumed: Bool

  public init(samples: [SampleProgram] = [], runs: [SampleRun] = [], isResumed: Bool = false) {
    self.isResumed = isResumed
    var records = Records()
    for program in samples { records.add(program) }
    for run in runs { records.add(run) }
    self.records = records
  }

  public func programs(for taskID: String) -> [SampleProgram]? {
    guard let recorded = records.programsByTask[taskID], !recorded.isEmpty else { return nil }
    return recorded.keys.sorted().compactMap { recorded[$0] }
  }

  public func run(task: String, sample: Int, run: Int) -> SampleRun? {
    records.runsByKey[Records.RunKey(task: task, sample: sample, run: run)]
  }

  public func record(_ programs: [SampleProgram]) {
    for program in programs { records.add(program) }
  }

  public func record(_ run: SampleRun) { records.add(run) }

  public func samples() -> [SampleProgram] {
    records.sampleOrder.compactMap { records.programsByTask[$0.task]?[$0.sample] }
  }

  public func runs() -> [SampleRun] { records.runOrder.compactMap { records.runsByKey[$0] } }
}
