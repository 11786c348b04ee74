import Foundation
import Journal
import Judge
import Policy
import Suites
import Support

/// Runs an evaluation: N samples per task, each on every test of its task
/// in the sandbox; failures re-run to catch flakiness; pass@k per task and
/// overall. Every sample and run goes to the journal as it happens.
public struct Evaluator: Sendable {
  /// Where samples come from.
  public enum Source: Sendable {
    /// Programs from a samples file (``CompletionsFile``), by task.
    case completions([String: [String]])
    /// A policy's proposals: `samples` per task in one request (a language
    /// model keeps duplicates: they are samples too).
    case policy(any Policy, samples: Int, seed: UInt64)

    public var isCompletions: Bool {
      if case .completions = self { return true }
      return false
    }

    /// A task's samples from a file (0 for a policy, which makes its own).
    public func sampleCount(_ taskID: String) -> Int {
      if case .completions(let completions) = self { return completions[taskID]?.count ?? 0 }
      return 0
    }
  }

  public var tasks: [CodingTask]
  public var source: Source
  public var judge: any CandidateJudge
  public var journal: any EvalJournal
  public var run: EvalResults.RunInfo
  public var workers: Int
  /// Each task's position in the whole suite (a shard holds some of it;
  /// a merge puts them back in this order).
  public var positions: [String: Int]

  /// `suiteOrder`: the ids of the whole suite, when `tasks` is a shard of it.
  public init(
    tasks: [CodingTask], source: Source, judge: any CandidateJudge, journal: any EvalJournal, run: EvalResults.RunInfo,
    workers: Int, suiteOrder: [String]? = nil
  ) {
    positions = Dictionary((suiteOrder ?? tasks.map(\.id)).enumerated().map { ($1, $0) }) { first, _ in first }
    self.tasks = tasks
    self.source = source
    self.judge = judge
    self.journal = journal
    self.run = run
    self.workers = workers
  }

  struct Job: Sendable {
    var task: CodingTask
    var sample: SampleProgram
    var run: Int
  }

  /// How many first runs the journal does not hold yet (for a progress
  /// bar): a samples file's, or a policy's, its samples not yet made
  /// counted as wanted.
  public func pendingFirstRuns() async -> Int {
    var count = 0
    for task in tasks {
      let samples: Int
      switch source {
      case .completions(let completions): samples = completions[task.id]?.count ?? 0
      case .policy(_, let wanted, _): samples = await journal.programs(for: task.id)?.count ?? wanted
      }
      for sample in 0..<samples where await journal.run(task: task.id, sample: sample, run: 0) == nil {
        count += 1
      }
    }
    return count
  }

  /// Evaluates every task; `progress` hears each run as it ends.
  /// `missing` hears of a task whose policy made fewer samples than asked
  /// (it declined the task): the task's id and how many it did not make.
  public func evaluate(
    progress: @escaping @Sendable (SampleRun) -> Void = { _ in },
    missing: @escaping @Sendable (String, Int) -> Void = { _, _ in }
  ) async throws -> EvalResults {
    let started = ContinuousClock.now
    let programs: [String: [SampleProgram]]
    if case .completions = source {
      programs = try await runBySample(progress: progress)
    } else {
      programs = try await runByTask(progress: progress, missing: missing)
    }
    var results: [EvalResults.TaskResult] = []
    for (index, task) in tasks.enumerated() {
      results.append(
        await summarize(task, position: positions[task.id] ?? index, samples: programs[task.id] ?? []))
    }
    return EvalResults(run: run, tasks: results, wallMilliseconds: (ContinuousClock.now - started).milliseconds)
  }

  /// Every sample is known up front: run them `workers` at a time, then the
  /// failures again, to catch flakiness.
  func runBySample(progress: @escaping @Sendable (SampleRun) -> Void) async throws -> [String: [SampleProgram]] {
    var programs: [String: [SampleProgram]] = [:]
    var firstJobs: [Job] = []
    for task in tasks {
      let made = try await recordedSamples(for: task)
      programs[task.id] = made
      for sample in made { firstJobs.append(Job(task: task, sample: sample, run: 0)) }
    }
    try await runAll(firstJobs, progress: progress)
    let again = await reruns(of: firstJobs)
    try await runAll(again, progress: progress)
    return programs
  }

  /// A policy's samples take time to make: each task makes its own and
  /// runs them, `workers` tasks at a time, so runs flow while it works.
  func runByTask(
    progress: @escaping @Sendable (SampleRun) -> Void, missing: @escaping @Sendable (String, Int) -> Void
  ) async throws -> [String: [SampleProgram]] {
    let made = try await boundedMap(tasks, workers: workers) { task in
      try await (task.id, runTask(task, progress: progress, missing: missing))
    }
    return Dictionary(made) { first, _ in first }
  }

  func runTask(
    _ task: CodingTask, progress: @Sendable (SampleRun) -> Void, missing: @Sendable (String, Int) -> Void
  ) async throws -> [SampleProgram] {
    let made = try await recordedSamples(for: task)
    if case .policy(_, let wanted, _) = source, made.count < wanted { missing(task.id, wanted - made.count) }
    let firstJobs = made.map { Job(task: task, sample: $0, run: 0) }
    try await runInOrder(firstJobs, progress: progress)
    let again = await reruns(of: firstJobs)
    try await runInOrder(again, progress: progress)
    return made
  }

  /// A task's samples: from the journal when it has them, else made and
  /// recorded before any of them runs.
  // Not inlined: Swift 6.3.1's optimizer crashes (LLVM coroutine
  // splitting, signal 11) when it inlines this into its async callers.
  @inline(never)
  func recordedSamples(for task: CodingTask) async throws -> [SampleProgram] {
    if let recorded = await journal.programs(for: task.id) { return recorded }
    let made = try await samples(for: task)
    try await journal.record(made)
    return made
  }

  /// Re-runs of the first runs that failed (not for lack of a sandbox).
  /// A run that failed by timing out is re-run only with
  /// `rerunTimeouts`: a loop that never ends would spend the whole limit
  /// again to say the same, and timeouts are most of an eval's wall time.
  func reruns(of firstJobs: [Job]) async -> [Job] {
    guard run.reruns > 0 else { return [] }
    var out: [Job] = []
    for job in firstJobs {
      guard let first = await journal.run(task: job.task.id, sample: job.sample.sample, run: 0),
        !first.passed, !first.infrastructureError,
        run.rerunTimeouts == true || !first.verdicts.contains(where: { $0.kind == .timeout })
      else { continue }
      for r in 1...run.reruns { out.append(Job(task: job.task, sample: job.sample, run: r)) }
    }
    return out
  }

  func samples(for task: CodingTask) async throws -> [SampleProgram] {
    switch source {
    case .completions(let completions):
      return (completions[task.id] ?? []).enumerated().map { index, program in
        SampleProgram(taskID: task.id, sample: index, program: program, usage: nil)
      }
    case .policy(let policy, let count, let seed):
      if policy.declines(TaskView(task)) != nil { return [] }
      let request = ProposeRequest(task: TaskView(task), count: count, seed: seed, distinct: false)
      let candidates: [Candidate]
      do {
        candidates = try await policy.propose(request)
      } catch let error as CancellationError {
        throw error
      } catch {
        throw EvalError("\(task.id): the policy failed: \(error)")
      }
      return candidates.prefix(count).enumerated().map { index, candidate in
        SampleProgram(taskID: task.id, sample: index, program: candidate.program, usage: candidate.usage)
      }
    }
  }

  /// Runs the jobs the journal does not hold, `workers` at a time.
  func runAll(_ jobs: [Job], progress: @escaping @Sendable (SampleRun) -> Void) async throws {
    var pending: [Job] = []
    for job in jobs where await journal.run(task: job.task.id, sample: job.sample.sample, run: job.run) == nil {
      pending.append(job)
    }
    _ = try await boundedMap(pending, workers: workers) { job in
      try await runAndRecord(job)
    } each: {
      progress($0)
    }
  }

  /// Runs the jobs the journal does not hold, one after another.
  func runInOrder(_ jobs: [Job], progress: @Sendable (SampleRun) -> Void) async throws {
    for job in jobs where await journal.run(task: job.task.id, sample: job.sample.sample, run: job.run) == nil {
      progress(try await runAndRecord(job))
    }
  }

  func runAndRecord(_ job: Job) async throws -> SampleRun {
    let run = try await execute(job)
    try await journal.record(run)
    return run
  }

  /// One run of a sample; a sandbox failure is retried once, then recorded
  /// as an infrastructure error.
  func execute(_ job: Job) async throws -> SampleRun {
    let clock = ContinuousClock.now
    var judgement = try await judge.judge(job.sample.program, for: job.task, tests: .all)
    if judgement.hasInfrastructureError {
      judgement = try await judge.judge(job.sample.program, for: job.task, tests: .all)
    }
    return SampleRun(
      taskID: job.task.id, sample: job.sample.sample, run: job.run, passed: judgement.allPassed,
      infrastructureError: judgement.hasInfrastructureError,
      verdicts: judgement.results.map {
        SampleRun.Verdict(
          test: $0.index, kind: $0.verdict.kind, detail: String($0.verdict.detail.prefix(500)),
          ms: $0.milliseconds)
      }, ms: (ContinuousClock.now - clock).milliseconds)
  }

  func summarize(_ task: CodingTask, position: Int, samples: [SampleProgram]) async -> EvalResults.TaskResult {
    // A policy's samples it did not make (it declined the task, or returned
    // fewer than asked) count as samples that failed: a task the policy
    // cannot write scores 0, it is not left out of pass@k.
    var missing = 0
    var reason: String?
    if case .policy(let policy, let count, _) = source, samples.count < count {
      missing = count - samples.count
      reason =
        policy.declines(TaskView(task)).map { "the policy declined: \($0)" }
        ?? "the policy made \(samples.count) of \(count) samples; the missing ones count as failed"
    }
    var n = missing
    var correct = 0
    var flaky = 0
    var infrastructure = 0
    var firstFailure: EvalResults.Failure?
    var cost = EvalResults.Cost()
    var slowest: Double?
    var infrastructureDetail: String?
    for sample in samples {
      if let usage = sample.usage {
        cost.promptTokens += usage.promptTokens
        cost.completionTokens += usage.completionTokens
        cost.modelMilliseconds += usage.milliseconds
      }
      var runs: [SampleRun] = []
      var r = 0
      while let recorded = await journal.run(task: task.id, sample: sample.sample, run: r) {
        runs.append(recorded)
        r += 1
      }
      cost.sandboxRuns += runs.count
      cost.sandboxMilliseconds += runs.reduce(0) { $0 + $1.ms }
      guard let first = runs.first else { continue }
      if runs.contains(where: \.infrastructureError) {
        infrastructure += 1
        if infrastructureDetail == nil {
          infrastructureDetail = runs.flatMap(\.verdicts).first { $0.kind == .infrastructureError }?.detail
        }
      } else if runs.contains(where: { $0.passed != first.passed }) {
        // Right only sometimes is not right; and a sample decides for
        // itself whether it is flaky, so flakiness must never take it (or
        // its task) out of pass@k: it counts as a sample that failed.
        flaky += 1
        n += 1
      } else {
        n += 1
        if first.passed {
          correct += 1
          for run in runs { slowest = max(slowest ?? 0, run.verdicts.compactMap(\.ms).max() ?? 0) }
        } else if firstFailure == nil, let failing = first.verdicts.first(where: { $0.kind != .passed }) {
          firstFailure = EvalResults.Failure(
            sample: sample.sample, test: failing.test, verdict: failing.kind, detail: failing.detail)
        }
      }
    }
    let status: EvalResults.Status =
      infrastructure > 0
      ? .infrastructureError
      : flaky > 0 ? .flaky : n > 0 && correct == n ? .passed : correct > 0 ? .partial : .failed
    if status == .infrastructureError, let detail = infrastructureDetail {
      reason = "not judged: \(detail)"
    } else if reason == nil, status != .passed, let failure = firstFailure {
      reason = "sample \(failure.sample) failed test \(failure.test): \(failure.detail)"
    }
    var passAtK: [String: Double] = [:]
    for k in run.ks { if let value = PassAtK.estimate(n: n, c: correct, k: k) { passAtK["\(k)"] = value } }
    return EvalResults.TaskResult(
      taskID: task.id, position: position, level: task.level, tags: task.tags, n: n, correct: correct, flaky: flaky,
      infrastructureErrors: infrastructure, status: status, passAtK: passAtK, firstFailure: firstFailure, cost: cost,
      missingSamples: missing, reason: reason, timeLimitMilliseconds: task.io.map { $0.timeLimitSeconds * 1000 },
      slowestPassingTestMilliseconds: task.isProgram ? slowest : nil)
  }
}
