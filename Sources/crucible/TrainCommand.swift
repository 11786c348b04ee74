import ArgumentParser
import Foundation
import Journal
import Judge
import LanguageModel
import Learning
import Reports
import Sandbox
import Search
import Store
import Synthesis

extension Method: ExpressibleByArgument {}

struct TrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Expert iteration: search the training tasks, learn from what passed, measure on the eval tasks.",
    discussion: """
      Round 0 is the initial policy (--checkpoint, default the hand-set prior); each later round's policy \
      learned from every round before it. With --policy openai, a round's prompts show the nearest training \
      tasks solved in earlier rounds (exemplar memory), and --finetune-cmd can train the served model. Writes \
      OUT/round-K/checkpoint.json, solutions.jsonl and sft.jsonl (chat-format trajectories), OUT/exemplars.jsonl, \
      OUT/curve.json (appended per round), OUT/report.html and OUT/report.md, and OUT/store.sqlite. Run the same \
      command again to resume after the last finished round. Exit 0 when every round ran, 2 on bad input or an \
      infrastructure failure.
      """
  )

  @Option(help: "The training suite (searched and learned from).") var train: String
  @OptionGroup var jail: JailOptions
  @Option(help: "The eval suite (measured each round, never learned from).") var eval: String
  @Option(help: "Rounds of learning (rounds 0 to N are searched and measured).") var rounds: Int = 3
  @OptionGroup var policyOptions: PolicyOptions
  @Option(help: "Programs the builtin policy enumerates per proposal on the eval suite (default: --programs).")
  var evalPrograms: Int?
  @Option(help: "bc (behavior cloning) or pg (REINFORCE with a baseline).") var method: Method = .bc
  @Option(help: "sample, revise or tree.") var strategy: Strategy = .sample
  @Option(help: "Per training task: proposals, runs, seconds.") var budget: String = SearchBudget().description
  @Option(help: "Per eval task (default: --budget).") var evalBudget: String?
  @Option(help: "Step size of the model's updates.") var learningRate: Double = 0.02
  @Option(help: "Passes over the round's data per update.") var epochs: Int = 8
  @Option(help: "A command run between rounds: {data} the round's SFT export, {round} the next round, {dir} OUT.")
  var finetuneCmd: String?
  @Option(help: "Output directory.") var out: String = "crucible-train"
  @Option(help: "Tasks searched at once, and sandbox slots (default: the number of cores).") var workers: Int?
  @Option(help: "Seed.") var seed: UInt64 = 0
  @Option(help: "Seconds per test.") var timeout: Double = 5
  @Flag(help: "Start afresh: a new training run, the rounds, curve and exemplars OUT holds discarded.")
  var fresh = false

  func run() async throws {
    guard rounds >= 0, rounds <= 100 else {
      throw CLIFailure.usage("--rounds must be between 0 and 100 (got \(rounds))")
    }
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(timeout)
    guard learningRate > 0, learningRate <= 10, learningRate.isFinite else {
      throw CLIFailure.usage("--learning-rate must be above 0 and at most 10 (got \(learningRate))")
    }
    guard epochs >= 1, epochs <= 1000 else {
      throw CLIFailure.usage("--epochs must be between 1 and 1000 (got \(epochs))")
    }
    if let evalPrograms, evalPrograms < 1 || evalPrograms > 100_000_000 {
      throw CLIFailure.usage("--eval-programs must be between 1 and 100000000 (got \(evalPrograms))")
    }
    let searchBudget = try CLIOptions.budget(budget, flag: "--budget")
    let measureBudget = try evalBudget.map { try CLIOptions.budget($0, flag: "--eval-budget") } ?? searchBudget
    try policyOptions.check()
    let prompts = try policyOptions.promptTemplates()
    let trainTasks = try CLISuite.load(train)
    let evalTasks = try CLISuite.load(eval)
    let overlap = Set(trainTasks.map(\.id)).intersection(evalTasks.map(\.id))
    guard overlap.isEmpty else {
      throw CLIFailure.usage(
        "--train and --eval share \(overlap.count) task ids (\(overlap.sorted().prefix(3).joined(separator: ", "))...): "
          + "a policy must never learn from the tasks it is measured on")
    }
    let lock = try CLILock.take(out)
    defer { withExtendedLifetime(lock) {} }
    if fresh { try discardTraining(in: out) }
    let store: RunStore
    do {
      store = try RunStore(path: "\(out)/store.sqlite")
    } catch {
      throw CLIFailure.usage(error.description)
    }
    let pool = try await CLISandbox.start(mode: .warm, workers: workers, jail: jail)
    defer { pool.shutdown() }
    let learner: any Learner
    var client: ModelClient?
    if policyOptions.isLanguageModel {
      let (languageModel, sampling) = try policyOptions.languageModel()
      client = languageModel
      learner = ExemplarLearner(
        directory: out, client: languageModel, sampling: sampling, prompts: prompts,
        exemplarCount: policyOptions.exemplarCount)
    } else {
      learner = BuiltinLearner(
        directory: out, initial: try policyOptions.model(defaultToPrior: true), method: method,
        searchPrograms: policyOptions.programs, evalPrograms: evalPrograms ?? policyOptions.programs,
        learningRate: learningRate, epochs: epochs)
    }
    var trainer = Trainer(
      trainSuite: URL(fileURLWithPath: train).standardizedFileURL.path,
      evalSuite: URL(fileURLWithPath: eval).standardizedFileURL.path, trainTasks: trainTasks, evalTasks: evalTasks,
      rounds: rounds, strategy: strategy, budget: searchBudget, evalBudget: measureBudget, seed: seed,
      workers: pool.configuration.workers, directory: out, learner: learner,
      judge: Judge(pool: pool, testTimeoutSeconds: timeout), prompts: prompts, finetuneCommand: finetuneCmd)
    trainer.options = ["timeout_s": String(timeout), "packages": jail.packages.sorted().joined(separator: ",")]
    var identity = trainer.identity
    if fresh { identity.salt = RunStoreClock.stamp() }
    let journal: TrainingRunJournal
    do {
      journal = try await store.openTraining(identity)
    } catch {
      let hint = error.mismatch != nil ? "; use --fresh to start afresh there, or another --out" : ""
      throw CLIFailure.usage(error.description + hint)
    }
    let curve: Curve
    do {
      curve = try await closing(client) {
        try await trainer.run(in: journal) { line in
          FileHandle.standardError.write(Data("crucible: \(Output.line(line))\n".utf8))
        }
      }
    } catch let error as LearningError {
      Output.error(error.description)
      throw ExitCode(ExitStatus.infrastructure)
    } catch let fault as SearchFault {
      Output.error("infrastructure failure: \(fault.description); run the same command to resume")
      throw ExitCode(ExitStatus.infrastructure)
    } catch let error as StoreError {
      Output.error("\(error.description); run the same command to resume")
      throw ExitCode(ExitStatus.infrastructure)
    }
    let report = LearningReport(curve: curve)
    try report.write(to: out)
    print(report.markdown)
    print("Report: \(out)/report.html; curve: \(out)/curve.json; checkpoints: \(out)/round-K/checkpoint.json.")
  }

  /// What a training run leaves in OUT, but the store (a fresh run is
  /// recorded beside the old ones): rounds, exemplars, the curve, reports.
  /// A round-K directory of the old run would otherwise hand its
  /// checkpoint and solutions to the new one.
  func discardTraining(in directory: String) throws {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let rounds = names.filter { $0.hasPrefix("round-") && Int($0.dropFirst(6)) != nil }
    for name in rounds + ["curve.json", "exemplars.jsonl", "report.html", "report.md"] {
      let path = "\(directory)/\(name)"
      guard FileManager.default.fileExists(atPath: path) else { continue }
      do {
        try FileManager.default.removeItem(atPath: path)
      } catch {
        throw CLIFailure.usage("--fresh: cannot remove \(path) (\(error.localizedDescription))")
      }
    }
  }
}
