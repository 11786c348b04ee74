import ArgumentParser
import Evaluation
import Families
import Foundation
import Journal
import Judge
import Policy
import Reports
import Sandbox
import Search
import Store
import Suites
import Support

extension Strategy: ExpressibleByArgument {}

struct SolveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve every task of a suite: search with a policy, the sandbox's verdicts as reward.",
    discussion: """
      Writes OUT/<task>/solution.py for each solved task and OUT/summary.json. Every proposal, attempt and \
      verdict goes to the run store as it happens; the same command run again resumes the run and redoes \
      nothing it recorded. A task counts as solved only when its chosen solution passes the hidden tests. \
      Exit 0 when the run completed (whatever was solved), 2 on bad input or an infrastructure failure.
      """
  )

  @Argument(help: "A suite: a directory of tasks, or a .jsonl / .jsonl.gz file.") var suite: String
  @OptionGroup var jail: JailOptions
  @OptionGroup var selection: TaskSelection
  @OptionGroup var sharding: ShardOptions
  @OptionGroup var output: ProgressOptions
  @OptionGroup var policyOptions: PolicyOptions
  @Option(help: "sample (best-of-N), revise (sequential revision) or tree (UCT over revisions).")
  var strategy: Strategy = .sample
  @Option(help: "Per task, as key=value pairs: proposals, runs (sandbox runs on public tests), seconds.")
  var budget: String = SearchBudget().description
  @Option(parsing: .unconditional, help: "Tasks solved at once, and sandbox slots (default: the number of cores).")
  var workers: Int?
  @Option(help: "Output directory.") var out: String = "crucible-out"
  @Option(help: "The run store (default: OUT/store.sqlite).") var store: String?
  @Option(parsing: .unconditional, help: "Seed for the policy's sampling (0 or more).") var seed: UInt64 = 0
  @Flag(help: "Start a new run even if the store holds this one.") var fresh = false
  @Flag(help: "Print the summary as JSON.") var json = false
  @Option(
    parsing: .unconditional,
    help: "CPU seconds per test of a function task (a standard-input task has its own time_limit)."
  )
  var timeout: Double = 5

  func validate() throws {
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(timeout)
  }

  func run() async throws {
    let searchBudget = try CLIOptions.budget(budget, flag: "--budget")
    let opened = try await policyOptions.makePolicy()
    try await closing(opened) { try await solve(opened.value, status: opened.status, budget: searchBudget) }
  }

  func solve(_ policy: any Policy, status: (@Sendable () -> String?)?, budget searchBudget: SearchBudget)
    async throws
  {
    let allTasks = try CLISuite.load(suite, selection)
    let shard = try sharding.selected()
    let tasks = shard.map { shard in allTasks.filter { shard.contains($0.id) } } ?? allTasks
    let lock = try DirectoryLock(out)
    let storePath = store ?? "\(out)/store.sqlite"
    // A store elsewhere (--store) is locked too: two runs with different
    // --out directories must not write one store at once either.
    let storeLock = try Self.lockStoreDirectory(storePath, besides: out)
    defer { withExtendedLifetime((lock, storeLock)) {} }
    // OUT holds one suite's results: another suite's solutions would mix
    // with these under one summary that lists only the last.
    let suitePath = URL(fileURLWithPath: suite).standardizedFileURL.path
    if let previous = SolveSummary.recordedSuite(in: out), previous != suitePath {
      guard fresh else {
        throw CLIFailure.usage(
          "\(out) holds the results of another suite (\(previous)); use another --out, or --fresh to replace them")
      }
      do {
        try SolveSummary.removeResults(in: out)
      } catch {
        throw CLIFailure.usage("--fresh: cannot remove the results in \(out) (\(error.localizedDescription))")
      }
    }
    // The sandbox first: a bad --python-package is refused before a run
    // is recorded that the corrected command would be refused beside.
    let pool = try await CLISandbox.start(mode: .warm, workers: workers, work: tasks.count, jail: jail)
    defer { pool.shutdown() }
    let runStore = try RunStore(path: storePath)
    let identity = RunIdentity.search(
      suite: URL(fileURLWithPath: suite).standardizedFileURL.path, tasks: tasks, policy: policy, strategy: strategy,
      budget: searchBudget, seed: seed,
      options: ["timeout_s": String(timeout), "packages": jail.packages.sorted().joined(separator: ",")].merging(
        policyOptions.choiceDescription.isEmpty ? [:] : ["choice": policyOptions.choiceDescription]
      ) { $1 },
      salt: fresh ? RunStoreClock.stamp() : "")
    let journal: RunJournal
    do {
      journal = try await runStore.open(identity, taskCount: tasks.count, refusingOthers: !fresh)
    } catch {
      guard error.mismatch != nil else { throw error }
      throw CLIFailure.usage("\(error.description); use --fresh to start a new run, or another --out")
    }
    if let done = journal.resumedOutcomes {
      Output.write("crucible: resuming \(journal.runID): \(done)/\(tasks.count) tasks already done\n")
    }
    let judge = Judge(pool: pool, testTimeoutSeconds: timeout, stopAtFirstFailure: true)
    let solver = Solver(
      policy: policy, judge: judge, journal: journal, strategy: strategy, budget: searchBudget, seed: seed,
      choice: policyOptions.choice(for: policy, judge: judge, seed: seed))
    let progress = Progress(
      total: tasks.count, label: "solve", goodLabel: "solved", style: output.style, status: status)
    progress.start()
    defer { progress.finish() }
    let clock = ContinuousClock.now
    let outcomes = try await noting("what was recorded is in \(storePath)") {
      try await solver.solve(tasks, workers: pool.configuration.workers, starting: progress.begin) {
        outcome, replayed in
        let line =
          "\(outcome.taskID): \(outcome.solved ? "solved" : "not solved") (\(outcome.stop), "
          + "\(counted(outcome.attempts, "attempt"))\(replayed ? ", from the store" : ""))"
        progress.advance(good: outcome.solved, line: line, item: outcome.taskID)
      }
    }
    progress.finish()
    try await runStore.finish(run: journal.runID)
    let elapsed = ContinuousClock.now - clock
    var summary = SolveSummary(
      runID: journal.runID, suite: suitePath, policy: policy.name, parameters: policy.parameters,
      strategy: strategy, budget: searchBudget, store: storePath, outcomes: outcomes,
      wallMilliseconds: elapsed.milliseconds,
      timeLimits: Dictionary(
        tasks.compactMap { task in task.io.map { (task.id, $0.timeLimitSeconds * 1000) } },
        uniquingKeysWith: { a, _ in a }))
    summary.seed = seed
    summary.choice = policyOptions.choiceDescription
    summary.suiteDigest = Suite.digest(allTasks)
    summary.suiteTasks = allTasks.count
    summary.shard = shard
    summary.positions = Dictionary(allTasks.enumerated().map { ($1.id, $0) }) { first, _ in first }
    do {
      try summary.write(to: out)
    } catch {
      throw CLIFailure.infrastructure("cannot write the results under \(out): \(error.localizedDescription)")
    }
    if json {
      Output.json(summary.json)
    } else {
      print(summary.table)
      print("Solutions and summary.json in \(out)/; the run store is \(storePath).")
    }
  }
}

extension SolveCommand {
  /// The lock on the directory holding `store`, unless it is `out`'s
  /// (already locked: a second lock on it would refuse this very run), or
  /// a directory where no lock file can be made: there the store cannot be
  /// opened either, and opening it says why, naming it.
  static func lockStoreDirectory(_ store: String, besides out: String) throws -> DirectoryLock? {
    let parent = (store as NSString).deletingLastPathComponent
    let directory = parent.isEmpty ? "." : parent
    func resolved(_ path: String) -> String {
      URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
    guard resolved(directory) != resolved(out) else { return nil }
    do {
      return try DirectoryLock(directory)
    } catch  where error.reason != nil {
      return nil
    }
  }
}

/// Timestamps that name fresh runs.
enum RunStoreClock {
  static func stamp() -> String { ISO8601DateFormatter().string(from: Date()) + "-\(getpid())" }
}
