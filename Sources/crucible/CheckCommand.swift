import ArgumentParser
import Foundation
import Judge
import Sandbox
import Suites
import Support

struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Run every task's reference solution against all of its tests in the sandbox.",
    discussion:
      "Exit 0 only when every reference passes every test; 1 when some do not; 2 on bad input or a sandbox failure."
  )

  @Argument(help: "A suite: a directory of tasks, or a .jsonl / .jsonl.gz file.") var suite: String
  @OptionGroup var jail: JailOptions
  @OptionGroup var selection: TaskSelection
  @OptionGroup var output: ProgressOptions
  @Flag(help: "Print one JSON object.") var json = false
  @Option(parsing: .unconditional, help: "Tasks checked at once (default: the number of cores).") var workers: Int?
  @Option(
    parsing: .unconditional,
    help: "CPU seconds per test of a function task (a standard-input task has its own time_limit)."
  )
  var timeout: Double = 5
  @Option(help: "cold or warm interpreters.") var mode: SandboxConfiguration.Mode = .warm

  func validate() throws {
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(timeout)
  }

  func run() async throws {
    let tasks = try CLISuite.load(suite, selection)
    let pool = try await CLISandbox.start(mode: mode, workers: workers, work: tasks.count, jail: jail)
    defer { pool.shutdown() }
    let judge = Judge(pool: pool, testTimeoutSeconds: timeout)
    let progress = Progress(total: tasks.count, label: "check", goodLabel: "pass", style: output.style)
    progress.start()
    defer { progress.finish() }
    let outcomes = try await ReferenceCheck.run(tasks, judge: judge, workers: pool.configuration.workers) { outcome in
      let line =
        outcome.skipped
        ? "\(outcome.task.id): skipped (no reference solution)"
        : outcome.passed ? "\(outcome.task.id): ok" : "\(outcome.task.id): FAILED \(outcome.problem ?? "")"
      progress.advance(good: outcome.passed, line: line, important: !outcome.passed && !outcome.skipped)
    }
    progress.finish()
    let failed = outcomes.filter { !$0.passed && !$0.skipped }
    let skipped = outcomes.filter(\.skipped)
    let checked = outcomes.count - skipped.count
    let infrastructure = outcomes.contains { $0.judgement?.hasInfrastructureError == true }
    if json {
      Output.json([
        "suite": suite, "tasks": outcomes.count, "passed": checked - failed.count,
        "failed": failed.map(\.task.id), "skipped": skipped.map(\.task.id),
        "failures": failed.map { ["task_id": $0.task.id, "problem": $0.problem ?? ""] },
      ])
    } else {
      print("\(checked - failed.count)/\(checked) reference solutions pass all their tests.")
      if !skipped.isEmpty {
        print(
          Output.line(
            "\(counted(skipped.count, "task")) without a reference solution, skipped: "
              + skipped.prefix(10).map(\.task.id).joined(separator: ", ") + (skipped.count > 10 ? ", ..." : "")))
      }
      for outcome in failed { print("  " + Output.line("\(outcome.task.id): \(outcome.problem ?? "")")) }
    }
    if infrastructure { throw ExitCode(ExitStatus.infrastructure) }
    if !failed.isEmpty { throw ExitCode(ExitStatus.failed) }
  }
}
