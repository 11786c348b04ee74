import ArgumentParser
import Foundation
import Journal
import Reports
import Store
import Support

struct ShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Show what a run store recorded: its runs, a run's tasks, a task's attempts and verdicts.",
    discussion: """
      PATH is a run store or the directory holding one (solve's OUT, eval's REPORT, train's OUT). Without RUN, \
      lists the store's runs; with RUN (an id, or the start of one; `latest` for the newest), the run's tasks; with \
      --task, that task's policy calls, candidates, sandbox runs and verdicts. Exit 0, or 2 when the store, the run \
      or the task is not there.
      """
  )

  @Argument(help: "A run store (store.sqlite) or the directory that holds it.") var path: String
  @Argument(help: "A run: its id, the start of it, or `latest`.") var run: String?
  @Option(help: "Show this task of the run in full.") var task: String?

  func run() async throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIFailure.usage("\(path): no such file or directory")
    }
    let file = isDirectory.boolValue ? "\(path)/store.sqlite" : path
    guard FileManager.default.fileExists(atPath: file) else {
      throw CLIFailure.usage("\(path): holds no run store (no store.sqlite)")
    }
    let store = try RunStore(path: file)
    let runs = try await store.runs()
    guard let wanted = run ?? (task != nil ? "latest" : nil) else {
      print(
        RunView.table(
          [["run", "kind", "status", "tasks done", "solved", "created", "suite"]]
            + runs.map {
              [$0.id, $0.kind, $0.status, "\($0.done)/\($0.taskCount)", String($0.solved), $0.createdAt, $0.suite]
            }))
      return
    }
    let matches = wanted == "latest" ? Array(runs.prefix(1)) : runs.filter { $0.id.hasPrefix(wanted) }
    guard matches.count == 1, let chosen = matches.first else {
      throw CLIFailure.usage(
        matches.isEmpty
          ? "\(file) holds no run \(SafeText.visible(wanted)) (runs: \(runs.map(\.id).joined(separator: ", ")))"
          : "\(SafeText.visible(wanted)) names \(matches.count) runs: \(matches.map(\.id).joined(separator: ", "))")
    }
    print("\(chosen.id): \(chosen.kind), \(chosen.status), suite \(SafeText.visible(chosen.suite))")
    switch chosen.kind {
    case RunKind.eval.rawValue:
      let records = try await store.evalRecords(run: chosen.id)
      if let task {
        let samples = records.samples.filter { $0.taskID == task }
        guard !samples.isEmpty else { throw CLIFailure.usage("\(chosen.id) has no samples of task \(task)") }
        print(RunView.evalTask(task, samples: samples, runs: records.runs.filter { $0.taskID == task }))
      } else {
        let tasks = records.samples.map(\.taskID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        print(
          RunView.table(
            [["task", "samples", "passed runs", "runs"]]
              + tasks.map { id in
                let mine = records.runs.filter { $0.taskID == id }
                return [
                  id, String(records.samples.filter { $0.taskID == id }.count),
                  String(mine.filter(\.passed).count), String(mine.count),
                ]
              }))
      }
    case RunKind.train.rawValue:
      let rounds = try await store.rounds(run: chosen.id)
      print(
        RunView.table(
          [["round", "train solved", "eval solved", "update"]]
            + rounds.map {
              [String($0.round), "\($0.trainSolved)/\($0.trainTasks)", "\($0.evalSolved)/\($0.evalTasks)", $0.update]
            }))
    default:
      let outcomes = try await store.outcomes(run: chosen.id)
      if let task {
        let records = try await store.searchRecords(run: chosen.id, task: task)
        guard !records.proposals.isEmpty || outcomes.contains(where: { $0.taskID == task }) else {
          throw CLIFailure.usage("\(chosen.id) has no record of task \(task)")
        }
        print(
          RunView.task(
            task, outcome: outcomes.first { $0.taskID == task }, proposals: records.proposals,
            attempts: records.attempts))
      } else {
        print(RunView.outcomes(outcomes))
      }
    }
  }
}
