import Foundation
import Journal
import Judge
import Policy
import Search
import Suites
import Support

/// Expert iteration: each round searches the training tasks with the
/// current policy, measures the policy on the eval tasks at a fixed
/// budget (never learning from them), keeps what the search solved, and
/// has the learner make the next round's policy.
///
/// Everything a round makes is under the training directory:
/// `round-K/checkpoint.json` (the learner's), `round-K/solutions.jsonl`,
/// `round-K/sft.jsonl` and `exemplars.jsonl`. The training journal (the run
/// store) records every search and every finished round; `curve.json` is
/// exported from it when a round is done. A run that stops resumes after
/// its last recorded round (and the unfinished round's searches replay
/// from their journals).
public struct Trainer: Sendable {
  public var trainSuite: String
  public var evalSuite: String
  public var trainTasks: [CodingTask]
  public var evalTasks: [CodingTask]
  public var rounds: Int
  public var strategy: Strategy
  public var budget: SearchBudget
  public var evalBudget: SearchBudget
  public var seed: UInt64
  public var workers: Int
  public var directory: String
  public var learner: any Learner
  public var judge: any CandidateJudge
  public var prompts: Prompts
  /// Run between rounds: `{data}` is the round's SFT export, `{round}` the
  /// next round's number, `{dir}` the training directory.
  public var finetuneCommand: String?
  /// Further options that change a verdict or a proposal (a test timeout,
  /// the jail's packages), by name: part of the identity.
  public var options: [String: String] = [:]

  public init(
    trainSuite: String, evalSuite: String, trainTasks: [CodingTask], evalTasks: [CodingTask], rounds: Int,
    strategy: Strategy, budget: SearchBudget, evalBudget: SearchBudget, seed: UInt64, workers: Int, directory: String,
    learner: any Learner, judge: any CandidateJudge, prompts: Prompts,
    finetuneCommand: String? = nil
  ) {
    self.trainSuite = trainSuite
    self.evalSuite = evalSuite
    self.trainTasks = trainTasks
    self.evalTasks = evalTasks
    self.rounds = rounds
    self.strategy = strategy
    self.budget = budget
    self.evalBudget = evalBudget
    self.seed = seed
    self.workers = workers
    self.directory = directory
    self.learner = learner
    self.judge = judge
    self.prompts = prompts
    self.finetuneCommand = finetuneCommand
  }

  /// What makes two training runs the same run (and a directory
  /// resumable): the suites' paths and contents (every test), the learner
  /// and what it names (`Learner.identity`: the starting policy, its
  /// budgets or sampling), search and options.
  public var identity: RunIdentity {
    RunIdentity(
      kind: .train,
      fields: options.merging(learner.identity) { option, _ in option }.merging(
        [
          "train": trainSuite, "eval": evalSuite, "train_digest": Suite.digest(trainTasks),
          "eval_digest": Suite.digest(evalTasks), "learner": learner.description, "strategy": strategy.rawValue,
          "budget": budget.description, "eval_budget": evalBudget.description, "seed": String(seed),
        ]
      ) { _, fixed in fixed })
  }

  var curvePath: String { "\(directory)/curve.json" }

  /// Runs rounds 0 through `rounds` (those `journal` does not hold yet),
  /// exporting `curve.json` after each; `log` hears a line per step.
  public func run(in journal: any TrainingJournal, log: @escaping @Sendable (String) -> Void) async throws -> Curve {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var curve = Curve(run: identity.fields, points: try await journal.rounds())
    curve.costUnit = learner.costUnit
    try curve.save(curvePath)
    if !curve.points.isEmpty {
      log("resuming after round \(curve.points.count - 1)")
    }
    var solutions = try loadSolutions(before: curve.points.count)
    // A run extended past its last round: learn from that round first (its
    // search replays from the store).
    if let last = curve.points.last, last.round < rounds, last.update.isEmpty {
      let policy = try await learner.policy(round: last.round, purpose: .search)
      let train = try await solve(
        trainTasks, suite: trainSuite, policy: policy, budget: budget, round: last.round, in: journal)
      let experience = Experience(
        round: last.round, tasks: trainTasks, outcomes: train.outcomes, attempts: try await train.journal.attempts(),
        solutions: solutions)
      let update = try await learner.learn(from: experience)
      log("round \(last.round): \(update.line)")
      if let finetuneCommand {
        try runFinetune(
          finetuneCommand, data: "\(directory)/round-\(last.round)/sft.jsonl", nextRound: last.round + 1, log: log)
      }
      curve.points[curve.points.count - 1].update = update.line
      curve.points[curve.points.count - 1].learnedReal = update.realTasks
      curve.points[curve.points.count - 1].learnedDreamed = update.dreamedTasks
      try await journal.record(curve.points[curve.points.count - 1])
      try curve.save(curvePath)
    }
    guard curve.points.count <= rounds else {
      log("rounds 0 to \(rounds) are done")
      return curve
    }
    for round in curve.points.count...rounds {
      let started = ContinuousClock.now
      // Search the training tasks: the expert.
      let searchPolicy = try await learner.policy(round: round, purpose: .search)
      let train = try await solve(
        trainTasks, suite: trainSuite, policy: searchPolicy, budget: budget, round: round, in: journal)
      log(
        "round \(round): train \(train.outcomes.filter(\.solved).count)/\(trainTasks.count) solved "
          + "(\(searchPolicy.parameters))")
      // Measure on the eval tasks at the fixed budget.
      let evalPolicy = try await learner.policy(round: round, purpose: .evaluation)
      let eval = try await solve(
        evalTasks, suite: evalSuite, policy: evalPolicy, budget: evalBudget, round: round, in: journal)

      let roundDirectory = "\(directory)/round-\(round)"
      try FileManager.default.createDirectory(atPath: roundDirectory, withIntermediateDirectories: true)
      let found = train.outcomes.filter(\.solved).compactMap { outcome -> Solution? in
        guard let chosen = outcome.chosen else { return nil }
        return Solution(
          taskID: outcome.taskID, round: round, program: chosen.program, payload: chosen.payload, cost: chosen.cost)
      }
      try JSONLines.write(found, to: "\(roundDirectory)/solutions.jsonl")
      for solution in found { solutions[solution.taskID] = solution }

      let experience = Experience(
        round: round, tasks: trainTasks, outcomes: train.outcomes, attempts: try await train.journal.attempts(),
        solutions: solutions)
      let sft = "\(roundDirectory)/sft.jsonl"
      try SFTExport.write(SFTExport.records(experience, prompts: prompts), to: sft)
      try updateExemplars(found, round: round)

      var update: RoundUpdate?
      if round < rounds {
        let learned = try await learner.learn(from: experience)
        update = learned
        log("round \(round): \(learned.line)")
        if let finetuneCommand { try runFinetune(finetuneCommand, data: sft, nextRound: round + 1, log: log) }
      }

      let earlier = Set(curve.points.flatMap(\.evalSolvedTasks))
      let solvedEval = eval.outcomes.filter(\.solved).map(\.taskID)
      let point = CurvePoint(
        round: round,
        checkpoint: learner.checkpoint(round: round).map { relative($0) }, parameters: evalPolicy.parameters,
        trainSolved: train.outcomes.filter(\.solved).count, trainTasks: trainTasks.count,
        evalSolved: solvedEval.count, evalTasks: evalTasks.count,
        evalMedianPrograms: median(eval.outcomes.filter(\.solved).compactMap { $0.chosen?.cost }),
        trainMedianPrograms: median(train.outcomes.filter(\.solved).compactMap { $0.chosen?.cost }),
        evalSolvedTasks: solvedEval, newlySolved: solvedEval.filter { !earlier.contains($0) },
        lost: Set(curve.points.last?.evalSolvedTasks ?? []).subtracting(solvedEval).sorted(),
        trainSandboxRuns: train.outcomes.reduce(0) { $0 + $1.sandboxRuns },
        evalSandboxRuns: eval.outcomes.reduce(0) { $0 + $1.sandboxRuns }, update: update?.line ?? "",
        seconds: (ContinuousClock.now - started).seconds, learnedReal: update?.realTasks,
        learnedDreamed: update?.dreamedTasks)
      try await journal.record(point)
      curve.points.append(point)
      try curve.save(curvePath)
      log(
        "round \(round): eval \(point.evalSolved)/\(point.evalTasks) solved, median \(learner.costUnit) per solved task "
          + "\(point.evalMedianPrograms.map { String(Int($0)) } ?? "-")")
    }
    return curve
  }

  struct Searched {
    var outcomes: [TaskOutcome]
    var journal: any SearchJournal
  }

  /// One round's search of `tasks`, a run of the training run's own. The
  /// round is part of its identity: a language model's parameters do not
  /// change when the model behind the server is fine-tuned, and round 1
  /// must not replay round 0.
  func solve(
    _ tasks: [CodingTask], suite: String, policy: any Policy, budget: SearchBudget, round: Int,
    in training: any TrainingJournal
  ) async throws -> Searched {
    let identity = RunIdentity.search(
      kind: .trainSearch, suite: suite, tasks: tasks, policy: policy, strategy: strategy, budget: budget, seed: seed,
      options: options, salt: "\(training.runID) round \(round)")
    let journal = try await training.search(identity, taskCount: tasks.count)
    let solver = Solver(
      policy: policy, judge: judge, journal: journal, strategy: strategy, budget: budget, seed: seed)
    let outcomes = try await solver.solve(tasks, workers: workers) { _, _ in }
    try await training.finish(identity)
    return Searched(outcomes: outcomes, journal: journal)
  }

  /// Solutions written by rounds before `round`, the latest per task.
  func loadSolutions(before round: Int) throws -> [String: Solution] {
    var out: [String: Solution] = [:]
    for r in 0..<round {
      let path = "\(directory)/round-\(r)/solutions.jsonl"
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw LearningError(message: "\(path) is missing: round \(r) is recorded as done in \(curvePath)")
      }
      do {
        let solutions: [Solution] = try JSONLines.decode(text, path: path, as: "a solution")
        for solution in solutions { out[solution.taskID] = solution }
      } catch {
        throw LearningError(message: error.description)
      }
    }
    return out
  }

  func updateExemplars(_ found: [Solution], round: Int) throws {
    let path = "\(directory)/exemplars.jsonl"
    var memory = try ExemplarMemory.load(path)
    let prompts = Dictionary(uniqueKeysWithValues: trainTasks.map { ($0.id, $0.prompt) })
    memory.add(
      found.map { Exemplar(taskID: $0.taskID, prompt: prompts[$0.taskID] ?? "", program: $0.program, round: round) })
    try memory.save(path)
  }

  func runFinetune(_ template: String, data: String, nextRound: Int, log: (String) -> Void) throws {
    func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let command = template.replacingOccurrences(of: "{data}", with: quoted(data))
      .replacingOccurrences(of: "{round}", with: String(nextRound))
      .replacingOccurrences(of: "{dir}", with: quoted(directory))
    log("fine-tuning: \(command)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    // Its output is the user's command's, not the report on stdout.
    process.standardOutput = FileHandle.standardError
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw LearningError(
        message: "the fine-tuning command exited with \(process.terminationStatus): \(command); "
          + "fix it and run the same command again to resume")
    }
  }

  func relative(_ path: String) -> String {
    path.hasPrefix(directory + "/") ? String(path.dropFirst(directory.count + 1)) : path
  }
}
