import ArgumentParser
import Evaluation
import Foundation
import Learning
import Sandbox
import Search
import Suites
import Support

/// A failure the CLI reports with a message and exit 2: bad input, or
/// output it cannot write.
enum CLIFailure: Error {
  case usage(String)
  case infrastructure(String)
}

/// Checks of the options several commands share (from the commands'
/// `validate()`), each naming the flag and the value it refuses.
enum CLIOptions {
  static func checkWorkers(_ workers: Int?) throws {
    if let workers, workers < 1 || workers > 256 {
      throw ValidationError("--workers must be between 1 and 256 (got \(workers))")
    }
  }

  static func checkTimeout(_ seconds: Double) throws {
    guard seconds > 0, seconds <= 3600 else {
      throw ValidationError("--timeout must be more than 0 and at most 3600 seconds (got \(seconds))")
    }
  }

  static func budget(_ text: String, flag: String) throws -> SearchBudget {
    do {
      return try SearchBudget.parse(text)
    } catch {
      throw CLIFailure.usage("\(flag): \(error.description)")
    }
  }
}

/// Loading suites for commands.
enum CLISuite {
  static func load(_ path: String) throws(SuiteError) -> [CodingTask] { try Suite.load(path).tasks }

  /// The tasks of the suite at `path` that `selection` picks: the run's
  /// suite from then on (its digest, its counts).
  static func load(_ path: String, _ selection: TaskSelection) throws -> [CodingTask] {
    try selection.apply(to: try load(path), suite: path)
  }
}

/// A part of a suite to run: `--tasks ID,...` (in the suite's order) and
/// `--limit N` (the first N of those).
struct TaskSelection: ParsableArguments {
  @Option(help: ArgumentHelp("Only these tasks, by id, comma-separated.", valueName: "id,..."))
  var tasks: String?
  @Option(parsing: .unconditional, help: "Only the first N tasks (of --tasks, when given).") var limit: Int?

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1 (got \(limit))") }
    if let tasks, tasks.split(separator: ",").isEmpty {
      throw ValidationError("--tasks names no task (got '\(tasks)')")
    }
  }

  func apply(to all: [CodingTask], suite: String) throws -> [CodingTask] {
    var picked = all
    if let tasks {
      let wanted = tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let known = Set(all.map(\.id))
      let unknown = wanted.filter { !known.contains($0) }
      guard unknown.isEmpty else {
        throw CLIFailure.usage(
          "--tasks: \(suite) has no task \(unknown.prefix(5).map { "'\(SafeText.visible($0))'" }.joined(separator: ", "))"
            + (unknown.count > 5 ? " (and \(unknown.count - 5) more)" : ""))
      }
      let set = Set(wanted)
      picked = all.filter { set.contains($0.id) }
    }
    if let limit { picked = Array(picked.prefix(limit)) }
    return picked
  }
}

/// Options of the sandbox that commands which judge share.
struct JailOptions: ParsableArguments {
  @Option(
    name: .customLong("python-package"),
    help: ArgumentHelp(
      "An installed Python package (its import name) the candidates may import; repeat for more. The jail shows the standard library only, otherwise.",
      valueName: "name"))
  var packages: [String] = []
}

/// Starting the sandbox for commands.
enum CLISandbox {
  /// A pool of `workers` slots (default: the cores), but never more than
  /// `work` (the jobs that can run at once): each slot costs a jail and a
  /// warm interpreter to start.
  static func start(mode: SandboxConfiguration.Mode, workers: Int?, work: Int, jail: JailOptions = JailOptions())
    async throws -> SandboxPool
  {
    let wanted = workers ?? ProcessInfo.processInfo.activeProcessorCount
    return try await SandboxPool.start(
      .detect(mode: mode, workers: max(1, min(wanted, work)), packages: jail.packages))
  }
}

/// Runs `body` with what a family opened (a model's connections), then
/// closes it, whether `body` returned or threw; prints its closing line (a
/// model's totals) after a run that completed.
func closing<Value, T>(_ opened: Opened<Value>?, _ body: () async throws -> T) async throws -> T {
  guard let opened else { return try await body() }
  do {
    let result = try await body()
    if let totals = await opened.close() { Output.note(totals) }
    return result
  } catch {
    _ = await opened.close()
    throw error
  }
}

/// One shard of a suite, for a cluster job: `--shard I/N`, or the
/// scheduler's own variables (Slurm arrays, Kubernetes indexed Jobs, with
/// `--shard-count` where the scheduler does not say the count).
struct ShardOptions: ParsableArguments {
  @Option(help: "Run shard I of N (0-based), e.g. 0/4; default from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.")
  var shard: String?
  @Option(
    parsing: .unconditional, help: "The number of shards, where the scheduler does not say (Kubernetes indexed Jobs).")
  var shardCount: Int?

  func validate() throws {
    if let shardCount, shardCount < 1 { throw ValidationError("--shard-count must be at least 1 (got \(shardCount))") }
  }

  /// The shard to run, nil for the whole suite.
  func selected() throws -> Shard? {
    if let shard {
      let parsed = try Shard(parsing: shard)
      if let shardCount, shardCount != parsed.count {
        throw CLIFailure.usage(
          "--shard \(shard) says \(parsed.count) shards and --shard-count says \(shardCount): give one, or the same")
      }
      return parsed
    }
    let fromScheduler = try Shard.fromEnvironment(ProcessInfo.processInfo.environment, count: shardCount)
    if fromScheduler == nil, let shardCount {
      throw CLIFailure.usage(
        "--shard-count \(shardCount) needs a shard index: --shard I/\(shardCount), or JOB_COMPLETION_INDEX from the scheduler"
      )
    }
    return fromScheduler
  }
}
