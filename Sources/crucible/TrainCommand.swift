import ArgumentParser
import Families
import Foundation
import Journal
import Judge
import Learning
import Reports
import Sandbox
import Search
import Store
import Support

struct TrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Expert iteration: search the training tasks, learn from what passed, measure on the eval tasks.",
    discussion: """
      Round 0 is the initial policy (for builtin: --checkpoint, and without it the hand-set prior, not the shipped \
      checkpoint solve and eval use); each later round's policy learned from every round before it. With --policy openai, a round's prompts show the nearest training \
      tasks solved in earlier rounds (exemplar memory), and --finetune-cmd can train the served model. Writes \
      OUT/round-K/checkpoint.json, solutions.jsonl and sft.jsonl (chat-format trajectories), OUT/exemplars.jsonl, \
      OUT/curve.json (appended per round), OUT/report.html and OUT/report.md, and OUT/store.sqlite. Run the same \
      command again to resume after the last finished round. Exit 0 when every round ran, 2 on bad input or an \
      infrastructure failure.
      """
  )

  @Option(help: "The training suite (searched and learned from).") var train: String
  @OptionGroup var jail: JailOptions
  @OptionGroup var output: ProgressOptions
  @Option(help: "The eval suite (measured each round, never learned from).") var eval: String
  @Option(parsing: .unconditional, help: "Rounds of learning (rounds 0 to N are searched and measured).")
  var rounds: Int = 3
  @OptionGroup var policyOptions: PolicyOptions
  @OptionGroup var training: TrainingFamilies
  @Option(help: "sample, revise or tree.") var strategy: Strategy = .sample
  @Option(help: "Per training task: proposals, runs, seconds.") var budget: String = SearchBudget().description
  @Option(help: "Per eval task (default: --budget).") var evalBudget: String?
  @Option(help: "A command run between rounds: {data} the round's SFT export, {round} the next round, {dir} OUT.")
  var finetuneCmd: String?
  @Option(help: "Output directory.") var out: String = "crucible-train"
  @Option(parsing: .unconditional, help: "Tasks searched at once, and sandbox slots (default: the number of cores).")
  var workers: Int?
  @Option(parsing: .unconditional, help: "Seed (0 or more).") var seed: UInt64 = 0
  @Option(
    parsing: .unconditional,
    help: "CPU seconds per test of a function task (a standard-input task has its own time_limit)."
  )
  var timeout: Double = 5
  @Flag(help: "Start afresh: a new training run, the rounds, curve and exemplars OUT holds discarded.")
  var fresh = false

  func validate() throws {
    try training.validate(policy: policyOptions.policy)
    if let select = policyOptions.select, select != .first, policyOptions.policy != .builtin {
      throw ValidationError(
        "--select \(select.rawValue): train searches with the policy's first choice when the policy is not builtin")
    }
    if training.local.finetune != nil, finetuneCmd != nil {
      throw ValidationError("--finetune lora trains the model itself; --finetune-cmd would train it a second time")
    }
    if policyOptions.policy.name == "local", training.local.finetune == nil, finetuneCmd != nil {
      throw ValidationError(
        "--finetune-cmd trains a model you serve; Crucible serves --policy local's and would never serve it: use --finetune lora"
      )
    }
    if training.local.finetune == .lora, let lora = policyOptions.local.lora {
      throw ValidationError(
        "--lora \(lora): train --finetune lora trains its adapters from the base model; give the base as --model-file alone"
      )
    }
    if training.local.finetune == .lora, let exemplars = policyOptions.openai.exemplars {
      throw ValidationError(
        "--exemplars \(exemplars): train --finetune lora teaches the model its solutions; it shows it none in prompts")
    }
    guard rounds >= 0, rounds <= 100 else {
      throw ValidationError("--rounds must be between 0 and 100 (got \(rounds))")
    }
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(timeout)
  }

  func run() async throws {
    let searchBudget = try CLIOptions.budget(budget, flag: "--budget")
    let measureBudget = try evalBudget.map { try CLIOptions.budget($0, flag: "--eval-budget") } ?? searchBudget
    let prompts = try policyOptions.promptTemplates()
    let trainTasks = try CLISuite.load(train)
    let evalTasks = try CLISuite.load(eval)
    let overlap = Set(trainTasks.map(\.id)).intersection(evalTasks.map(\.id))
    guard overlap.isEmpty else {
      throw CLIFailure.usage(
        "--train and --eval share \(overlap.count) task ids (\(overlap.sorted().prefix(3).joined(separator: ", "))...): "
          + "a policy must never learn from the tasks it is measured on")
    }
    let lock = try DirectoryLock(out)
    defer { withExtendedLifetime(lock) {} }
    if fresh { try discardTraining(in: out) }
    let store = try RunStore(path: "\(out)/store.sqlite")
    let pool = try await CLISandbox.start(
      mode: .warm, workers: workers, work: max(trainTasks.count, evalTasks.count), jail: jail)
    defer { pool.shutdown() }
    let learner = try await policyOptions.chosen.makeLearner(
      LearnerSetup(directory: out, prompts: prompts, training: training.families))
    var trainer = Trainer(
      trainSuite: URL(fileURLWithPath: train).standardizedFileURL.path,
      evalSuite: URL(fileURLWithPath: eval).standardizedFileURL.path, trainTasks: trainTasks, evalTasks: evalTasks,
      rounds: rounds, strategy: strategy, budget: searchBudget, evalBudget: measureBudget, seed: seed,
      workers: pool.configuration.workers, directory: out, learner: learner.value,
      judge: Judge(pool: pool, testTimeoutSeconds: timeout, stopAtFirstFailure: true), prompts: prompts,
      finetuneCommand: finetuneCmd)
    trainer.options = ["timeout_s": String(timeout), "packages": jail.packages.sorted().joined(separator: ",")]
    var identity = trainer.identity
    if fresh { identity.salt = RunStoreClock.stamp() }
    let journal: TrainingRunJournal
    do {
      journal = try await store.openTraining(identity)
    } catch {
      guard error.mismatch != nil else { throw error }
      throw CLIFailure.usage("\(error.description); use --fresh to start afresh there, or another --out")
    }
    let quiet = output.style == .quiet
    let curve = try await noting("run the same command to resume") {
      try await closing(learner) {
        try await trainer.run(in: journal) { line in
          if !quiet { Output.write("crucible: \(Output.line(line))\n") }
        }
      }
    }
    let report = LearningReport(curve: curve)
    try report.write(to: out)
    print(report.markdown)
    let checkpoints = learner.value.checkpoint(round: 0) != nil ? "; checkpoints: \(out)/round-K/checkpoint.json" : ""
    print("Report: \(out)/report.html; curve: \(out)/curve.json\(checkpoints).")
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
