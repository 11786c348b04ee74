import Foundation
import Journal
import Support
import Verdicts

/// `results.json`: what an eval run measured, in a versioned schema that
/// `regress` and `merge` read back (README: "Evaluation" documents it).
public struct EvalResults: Codable, Sendable, Equatable {
  public static let format = "crucible-eval-results"
  /// 2: `run.completions_digest` and `run.packages`; 3: per task
  /// `missing_samples` and `reason`, and `summary.tasks_without_samples`
  /// (older files, without them, still read).
  public static let version = 3

  public var format: String = Self.format
  public var version: Int = Self.version
  public var run: RunInfo
  public var summary: Summary
  public var tasks: [TaskResult]

  /// What makes two result files the same run (shards of one run agree
  /// on all of it, the shard aside).
  public struct RunInfo: Codable, Sendable, Equatable {
    public var suite: String
    /// FNV-1a over the suite's content, every test included (`Suite.digest`).
    public var suiteDigest: String
    public var suiteTasks: Int
    /// `completions` (a samples file) or `policy`.
    public var source: String
    public var completions: String?
    /// FNV-1a over the samples file's bytes.
    public var completionsDigest: String?
    public var policy: String?
    public var parameters: String?
    public var samples: Int
    public var ks: [Int]
    public var seed: UInt64
    public var timeoutSeconds: Double
    public var reruns: Int
    /// Whether a sample that timed out is re-run too (nil in files written
    /// before the option: they were).
    public var rerunTimeouts: Bool?
    /// The Python packages the jail showed (`--python-package`), sorted.
    public var packages: [String]?
    public var shard: Shard?
    /// The shards merged into this file, when it is a merge.
    public var mergedShards: Int?

    public init(
      suite: String, suiteDigest: String, suiteTasks: Int, source: String, completions: String? = nil,
      policy: String? = nil, parameters: String? = nil, samples: Int, ks: [Int], seed: UInt64,
      timeoutSeconds: Double, reruns: Int, completionsDigest: String? = nil, packages: [String]? = nil,
      shard: Shard? = nil, mergedShards: Int? = nil
    ) {
      self.suite = suite
      self.suiteDigest = suiteDigest
      self.suiteTasks = suiteTasks
      self.source = source
      self.completions = completions
      self.policy = policy
      self.parameters = parameters
      self.samples = samples
      self.ks = ks
      self.seed = seed
      self.timeoutSeconds = timeoutSeconds
      self.reruns = reruns
      self.completionsDigest = completionsDigest
      self.packages = packages
      self.shard = shard
      self.mergedShards = mergedShards
    }

    enum CodingKeys: String, CodingKey {
      case suite
      case suiteDigest = "suite_digest"
      case suiteTasks = "suite_tasks"
      case source, completions
      case completionsDigest = "completions_digest"
      case policy, parameters, samples, ks, seed
      case timeoutSeconds = "timeout_s"
      case reruns, packages, shard
      case rerunTimeouts = "rerun_timeouts"
      case mergedShards = "merged_shards"
    }

    /// Everything but the shard: what shards of one run share.
    public var withoutShard: RunInfo {
      var copy = self
      copy.shard = nil
      copy.mergedShards = nil
      return copy
    }

    /// The run's identity in the run store, its fields named as
    /// results.json names them (an unset one left out).
    public var runIdentity: RunIdentity {
      let fields: [String: String?] = [
        "suite": suite, "suite_digest": suiteDigest, "suite_tasks": String(suiteTasks), "source": source,
        "completions": completions, "completions_digest": completionsDigest, "policy": policy,
        "parameters": parameters, "samples": String(samples), "ks": ks.map(String.init).joined(separator: ","),
        "seed": String(seed), "timeout_s": String(timeoutSeconds), "reruns": String(reruns),
        "rerun_timeouts": rerunTimeouts.map { String($0) },
        "packages": packages?.joined(separator: ","), "shard": shard?.description,
        "merged_shards": mergedShards.map(String.init),
      ]
      return RunIdentity(kind: .eval, fields: fields.compactMapValues { $0 })
    }
  }

  public struct Cost: Codable, Sendable, Equatable {
    public var sandboxRuns: Int = 0
    public var promptTokens: Int = 0
    public var completionTokens: Int = 0
    /// Sandbox wall time, summed over runs.
    public var sandboxMilliseconds: Double = 0
    /// Model requests' wall time, summed.
    public var modelMilliseconds: Double = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
      case sandboxRuns = "sandbox_runs"
      case promptTokens = "prompt_tokens"
      case completionTokens = "completion_tokens"
      case sandboxMilliseconds = "sandbox_ms"
      case modelMilliseconds = "model_ms"
    }

    static func + (a: Cost, b: Cost) -> Cost {
      var out = a
      out.sandboxRuns += b.sandboxRuns
      out.promptTokens += b.promptTokens
      out.completionTokens += b.completionTokens
      out.sandboxMilliseconds += b.sandboxMilliseconds
      out.modelMilliseconds += b.modelMilliseconds
      return out
    }
  }

  /// A task's status (the one vocabulary, in Verdicts).
  public typealias Status = SampleStatus

  /// The first failing test of a task's first failing sample.
  public struct Failure: Codable, Sendable, Equatable {
    public var sample: Int
    public var test: Int
    public var verdict: TestVerdict.Kind
    public var detail: String
  }

  public struct TaskResult: Codable, Sendable, Equatable {
    public var taskID: String
    /// Position in the suite (merges keep the suite's order).
    public var position: Int
    public var level: Int?
    public var tags: [String]
    /// Samples with a verdict (flaky ones among them, as failed;
    /// infrastructure-failed ones aside).
    public var n: Int
    /// Of them, the ones that passed every test.
    public var correct: Int
    public var flaky: Int
    public var infrastructureErrors: Int
    public var status: Status
    /// pass@k by k, as strings (JSON keys).
    public var passAtK: [String: Double]
    public var firstFailure: Failure?
    public var cost: Cost
    /// Samples the policy did not make (it declined the task, or returned
    /// fewer than asked), counted in `n` as failed.
    public var missingSamples: Int = 0
    /// Why a task that did not pass missed, in a line.
    public var reason: String?
    /// A standard-input task's time limit per test, in milliseconds.
    public var timeLimitMilliseconds: Double?
    /// The slowest test of any sample that passed, as the harness timed it:
    /// against the limit, how close the solutions come to timing out.
    public var slowestPassingTestMilliseconds: Double?

    enum CodingKeys: String, CodingKey {
      case taskID = "task_id"
      case position, level, tags, n, correct, flaky
      case infrastructureErrors = "infrastructure_errors"
      case status
      case passAtK = "pass_at_k"
      case firstFailure = "first_failure"
      case cost
      case missingSamples = "missing_samples"
      case reason
      case timeLimitMilliseconds = "time_limit_ms"
      case slowestPassingTestMilliseconds = "slowest_passing_test_ms"
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      taskID = try c.decode(String.self, forKey: .taskID)
      position = try c.decode(Int.self, forKey: .position)
      level = try c.decodeIfPresent(Int.self, forKey: .level)
      tags = try c.decode([String].self, forKey: .tags)
      n = try c.decode(Int.self, forKey: .n)
      correct = try c.decode(Int.self, forKey: .correct)
      flaky = try c.decode(Int.self, forKey: .flaky)
      infrastructureErrors = try c.decode(Int.self, forKey: .infrastructureErrors)
      status = try c.decode(Status.self, forKey: .status)
      passAtK = try c.decode([String: Double].self, forKey: .passAtK)
      firstFailure = try c.decodeIfPresent(Failure.self, forKey: .firstFailure)
      cost = try c.decode(Cost.self, forKey: .cost)
      missingSamples = try c.decodeIfPresent(Int.self, forKey: .missingSamples) ?? 0
      reason = try c.decodeIfPresent(String.self, forKey: .reason)
      timeLimitMilliseconds = try c.decodeIfPresent(Double.self, forKey: .timeLimitMilliseconds)
      slowestPassingTestMilliseconds = try c.decodeIfPresent(Double.self, forKey: .slowestPassingTestMilliseconds)
    }

    public init(
      taskID: String, position: Int, level: Int?, tags: [String], n: Int, correct: Int, flaky: Int,
      infrastructureErrors: Int, status: Status, passAtK: [String: Double], firstFailure: Failure?, cost: Cost,
      missingSamples: Int = 0, reason: String? = nil, timeLimitMilliseconds: Double? = nil,
      slowestPassingTestMilliseconds: Double? = nil
    ) {
      self.taskID = taskID
      self.position = position
      self.level = level
      self.tags = tags
      self.n = n
      self.correct = correct
      self.flaky = flaky
      self.infrastructureErrors = infrastructureErrors
      self.status = status
      self.passAtK = passAtK
      self.firstFailure = firstFailure
      self.cost = cost
      self.missingSamples = missingSamples
      self.reason = reason
      self.timeLimitMilliseconds = timeLimitMilliseconds
      self.slowestPassingTestMilliseconds = slowestPassingTestMilliseconds
    }

    /// The slowest passing test's share of the time limit (0.5: half of it).
    public var timeLimitShare: Double? {
      guard let limit = timeLimitMilliseconds, limit > 0, let slowest = slowestPassingTestMilliseconds else {
        return nil
      }
      return slowest / limit
    }
  }

  public struct Summary: Codable, Sendable, Equatable {
    public var tasks: Int
    public var samples: Int
    public var passAtK: [String: Double]
    /// Tasks by status, every status present (written as a JSON object).
    public var statuses: [Status: Int]
    public var cost: Cost
    /// Wall time of the run (the longest shard's, in a merge).
    public var wallMilliseconds: Double
    /// Tasks the policy made no sample for (counted as failed).
    public var tasksWithoutSamples: Int = 0

    enum CodingKeys: String, CodingKey {
      case tasks, samples
      case passAtK = "pass_at_k"
      case statuses, cost
      case wallMilliseconds = "wall_ms"
      case tasksWithoutSamples = "tasks_without_samples"
    }

    init(
      tasks: Int, samples: Int, passAtK: [String: Double], statuses: [Status: Int], cost: Cost,
      wallMilliseconds: Double, tasksWithoutSamples: Int
    ) {
      self.tasks = tasks
      self.samples = samples
      self.passAtK = passAtK
      self.statuses = statuses
      self.cost = cost
      self.wallMilliseconds = wallMilliseconds
      self.tasksWithoutSamples = tasksWithoutSamples
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      tasks = try c.decode(Int.self, forKey: .tasks)
      samples = try c.decode(Int.self, forKey: .samples)
      passAtK = try c.decode([String: Double].self, forKey: .passAtK)
      statuses = try c.decode([Status: Int].self, forKey: .statuses)
      cost = try c.decode(Cost.self, forKey: .cost)
      wallMilliseconds = try c.decode(Double.self, forKey: .wallMilliseconds)
      tasksWithoutSamples = try c.decodeIfPresent(Int.self, forKey: .tasksWithoutSamples) ?? 0
    }
  }

  enum CodingKeys: String, CodingKey { case format, version, run, summary, tasks }

  public init(run: RunInfo, tasks: [TaskResult], wallMilliseconds: Double) {
    self.run = run
    self.tasks = tasks.sorted { $0.position < $1.position }
    summary = Self.summarize(self.tasks, ks: run.ks, wallMilliseconds: wallMilliseconds)
  }

  static func summarize(_ tasks: [TaskResult], ks: [Int], wallMilliseconds: Double) -> Summary {
    // Every task a candidate could decide counts; only the sandbox's own
    // failures are left out.
    let counted = tasks.filter { $0.status != .infrastructureError }
    let overall = PassAtK.overall(counted.map { ($0.n, $0.correct) }, ks: ks)
    var statuses: [Status: Int] = [:]
    for status in Status.allCases { statuses[status] = tasks.filter { $0.status == status }.count }
    return Summary(
      tasks: tasks.count, samples: tasks.reduce(0) { $0 + $1.n - $1.missingSamples + $1.infrastructureErrors },
      passAtK: Dictionary(uniqueKeysWithValues: overall.map { ("\($0.key)", $0.value) }), statuses: statuses,
      cost: tasks.reduce(Cost()) { $0 + $1.cost }, wallMilliseconds: wallMilliseconds,
      tasksWithoutSamples: tasks.filter { $0.missingSamples > 0 && $0.n == $0.missingSamples }.count)
  }

  public var hasInfrastructureErrors: Bool { tasks.contains { $0.status == .infrastructureError } }

  // MARK: files

  /// Writes the file, hidden characters in its strings as JSON escapes.
  public func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try SafeText.json(encoder.encode(self)).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// Reads a results file, naming the file and the field of any problem.
  public static func load(_ path: String) throws(EvalError) -> EvalResults {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EvalError("\(path): cannot be read (no such file?)")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw EvalError("\(path): not a JSON object")
    }
    guard object["format"] as? String == format else {
      throw EvalError(
        "\(path): field format: expected \"\(format)\" (got \(String(describing: object["format"] ?? "nothing")))")
    }
    guard let version = object["version"] as? Int, (1...Self.version).contains(version) else {
      throw EvalError(
        "\(path): field version: this Crucible reads versions 1 to \(Self.version) (got \(String(describing: object["version"] ?? "nothing")))"
      )
    }
    do {
      return try JSONDecoder().decode(EvalResults.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw EvalError("\(path): field \(Self.path(context.codingPath + [key])): missing")
    } catch let DecodingError.typeMismatch(_, context) {
      throw EvalError("\(path): field \(Self.path(context.codingPath)): \(context.debugDescription)")
    } catch let DecodingError.valueNotFound(_, context) {
      throw EvalError("\(path): field \(Self.path(context.codingPath)): null")
    } catch let DecodingError.dataCorrupted(context) {
      throw EvalError("\(path): field \(Self.path(context.codingPath)): \(context.debugDescription)")
    } catch {
      throw EvalError("\(path): \(error)")
    }
  }

  static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
      in: CharacterSet(charactersIn: "."))
  }
}

/// An eval, regression or merge that cannot go on, and why.
public struct EvalError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
