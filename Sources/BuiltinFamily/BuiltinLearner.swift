import Foundation
import Learning
import Policy
import Synthesis

/// How the built-in synthesizer's model learns.
public enum Method: String, Sendable, CaseIterable, Codable {
  /// Behavior cloning: maximum likelihood on every program that solved a
  /// training task so far, starting again from the initial model each
  /// round (the data grows; the model does not compound its own epochs).
  case bc
  /// REINFORCE with a baseline: every candidate run this round, pushed up
  /// or down by its reward (the fraction of tests passed) minus the mean
  /// reward of its task's other candidates (the round's mean for a task's
  /// only candidate).
  case pg
}

/// The built-in policy's learner: round K's model is
/// `DIR/round-K/checkpoint.json`.
public struct BuiltinLearner: Learner {
  public var directory: String
  public var initial: SynthesisModel
  public var method: Method
  public var searchPrograms: Int
  public var evalPrograms: Int
  public var learningRate: Double
  public var epochs: Int
  /// How the policy chooses among programs that pass the public tests.
  public var selection: Selection
  /// Dreamed tasks learned from each round beside the solved ones
  /// (behavior cloning only; ``Dreamer``).
  public var dreams: Int

  public init(
    directory: String, initial: SynthesisModel, method: Method, searchPrograms: Int, evalPrograms: Int,
    learningRate: Double = 0.02, epochs: Int = 8, dreams: Int = 0, selection: Selection = .first
  ) {
    self.selection = selection
    self.dreams = method == .bc ? dreams : 0
    self.directory = directory
    self.initial = initial
    self.method = method
    self.searchPrograms = searchPrograms
    self.evalPrograms = evalPrograms
    self.learningRate = learningRate
    self.epochs = epochs
  }

  public var description: String {
    "builtin, \(method == .bc ? "behavior cloning" : "policy gradient"), learning rate \(learningRate), "
      + "\(epochs) epochs"
  }

  /// The method and its rates, the starting checkpoint (by fingerprint:
  /// round 0 is read back from the directory once written, so another
  /// `--checkpoint` would otherwise be ignored) and the programs enumerated
  /// per proposal when searching and when measured.
  public var identity: [String: String] {
    [
      "learner": description, "initial": "\(initial.name)@\(Checkpoint.fingerprint(initial))",
      "programs": String(searchPrograms), "eval_programs": String(evalPrograms),
    ].merging(selection == .first ? [:] : ["select": selection.rawValue]) { $1 }
      .merging(dreams == 0 ? [:] : ["dreams": String(dreams)]) { $1 }
  }

  public func checkpoint(round: Int) -> String? { "\(directory)/round-\(round)/checkpoint.json" }

  public var costUnit: String { BuiltinOptions.costUnit }

  /// Round `round`'s model: round 0 is the initial one (written out so the
  /// directory holds every round's checkpoint).
  public func model(round: Int) throws -> SynthesisModel {
    let path = checkpoint(round: round)!
    if FileManager.default.fileExists(atPath: path) { return try Checkpoint.load(path) }
    guard round == 0 else {
      throw LearningError(message: "round \(round)'s checkpoint \(path) is missing")
    }
    try FileManager.default.createDirectory(
      atPath: "\(directory)/round-0", withIntermediateDirectories: true)
    try Checkpoint.save(initial, to: path)
    return initial
  }

  public func policy(round: Int, purpose: Purpose) throws -> any Policy {
    SynthesisPolicy(
      model: try model(round: round),
      budget: EnumerationBudget(programs: purpose == .search ? searchPrograms : evalPrograms),
      selection: selection)
  }

  public func learn(from experience: Experience) async throws -> RoundUpdate {
    var model = method == .bc ? try model(round: 0) : try model(round: experience.round)
    let views = Dictionary(uniqueKeysWithValues: experience.tasks.map { ($0.id, TaskView($0)) })
    func synthesisTask(_ id: String) -> SynthesisTask? { views[id].flatMap { try? SynthesisTask($0) } }
    let line: String
    var learned = (real: 0, dreamed: 0)
    switch method {
    case .bc:
      let pairs = experience.solutions.keys.sorted().compactMap { id -> (task: SynthesisTask, program: Expr)? in
        guard let task = synthesisTask(id), let text = experience.solutions[id]?.payload, let expr = Expr.parse(text)
        else { return nil }
        return (task, expr)
      }
      // Dreams of the current model (the one that searched this round),
      // over every training task's signature.
      let dreamed = Dreamer(count: dreams, seed: UInt64(experience.round) &+ 1).dreams(
        model: try self.model(round: experience.round), from: experience.tasks.compactMap { synthesisTask($0.id) })
      let fitted = model.train(
        on: dreamed.map { ($0.task, $0.program) } + pairs, epochs: epochs, learningRate: learningRate)
      learned = (pairs.count, dreamed.count)
      line =
        "behavior cloning on \(fitted - dreamed.count) solved training tasks"
        + (dreamed.isEmpty ? "" : " and \(dreamed.count) dreamed ones")
        + (dreamed.count < dreams
          ? " (of \(dreams) asked for: the training tasks' signatures gave no more)"
          : "") + ", \(epochs) epochs"
    case .pg:
      let scored = experience.scored
      // The baseline of a candidate: the mean reward of the other
      // candidates of its task (leave-one-out), or, when it was its task's
      // only candidate (search stops at the first that passes), the mean
      // over the round. A per-task mean alone gives a lone candidate an
      // advantage of zero, and most tasks have one.
      var byTask: [String: (sum: Double, count: Int)] = [:]
      for s in scored {
        let (sum, count) = byTask[s.taskID] ?? (0, 0)
        byTask[s.taskID] = (sum + s.reward, count + 1)
      }
      let roundMean = scored.isEmpty ? 0 : scored.reduce(0) { $0 + $1.reward } / Double(scored.count)
      var samples: [(task: SynthesisTask, program: Expr, advantage: Double)] = []
      for s in scored {
        guard let task = synthesisTask(s.taskID), let text = s.candidate.payload, let expr = Expr.parse(text),
          let own = byTask[s.taskID]
        else { continue }
        let baseline = own.count > 1 ? (own.sum - s.reward) / Double(own.count - 1) : roundMean
        let advantage = s.reward - baseline
        if advantage != 0 { samples.append((task, expr, advantage)) }
      }
      for _ in 0..<epochs {
        for sample in samples {
          model.step(program: sample.program, task: sample.task, learningRate: learningRate * sample.advantage)
        }
      }
      line = "policy gradient on \(samples.count) candidates with a nonzero advantage, \(epochs) epochs"
      learned.real = Set(samples.map(\.task.id)).count
    }
    model.quantize()
    model.name = "round-\(experience.round + 1)"
    model.lineage.append("round \(experience.round + 1): \(line), learning rate \(learningRate)")
    let path = checkpoint(round: experience.round + 1)!
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Checkpoint.save(model, to: path)
    return RoundUpdate(line: line, realTasks: learned.real, dreamedTasks: learned.dreamed)
  }
}
