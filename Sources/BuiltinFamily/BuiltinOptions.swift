import ArgumentParser
import Foundation
import Learning
import Policy
import Support
import Synthesis

/// `--policy builtin`: the offline synthesizer, its checkpoint and its
/// enumeration budget. Every option is nil unless given, so that giving one
/// with another policy is refused rather than ignored.
public struct BuiltinOptions: ParsableArguments, PolicyFamily {
  public static let name = "builtin"
  public static let summary = "the offline synthesizer"
  public static let costUnit = "programs"
  public static let defaultPrograms = 1_000_000

  @Option(
    help: "The builtin policy's checkpoint, or prior for the hand-set prior (default: the shipped trained one).")
  public var checkpoint: String?
  @Option(
    parsing: .unconditional,
    help: "Programs the builtin policy enumerates per proposal (default: \(BuiltinOptions.defaultPrograms)).")
  public var programs: Int?
  /// How programs that pass every public test are chosen among, and how
  /// many and on how many inputs: `PolicyOptions`' `--select`,
  /// `--consistent` and `--probe`, which every family shares.
  public var select: Selection?
  public var consistent: Int?
  public var probe: Int?

  public init() {}

  public var givenFlags: [String] {
    [checkpoint.map { _ in "--checkpoint" }, programs.map { _ in "--programs" }].compactMap { $0 }
  }

  public static let defaultSelection = Selection.first

  public func validate() throws {
    if let programs { try Self.checkPrograms(programs, flag: "--programs") }

  }

  public func validateAsChosen() throws {}

  static func checkPrograms(_ value: Int, flag: String) throws {
    guard value >= 1, value <= 100_000_000 else {
      throw ValidationError("\(flag) must be between 1 and 100000000 (got \(value))")
    }
  }

  /// Programs enumerated per proposal.
  public var programsPerProposal: Int { programs ?? Self.defaultPrograms }

  /// The model: the checkpoint named, the hand-set prior for
  /// `--checkpoint prior`, or by default the shipped checkpoint (or the
  /// prior, where a command starts from it).
  public func model(defaultToPrior: Bool = false) throws(PolicyFamilyError) -> SynthesisModel {
    if checkpoint == "prior" || (checkpoint == nil && defaultToPrior) { return Prior.model }
    let environment = ProcessInfo.processInfo.environment["CRUCIBLE_CHECKPOINT"]
    if checkpoint == nil, environment == "prior" { return Prior.model }
    let path: String
    if let checkpoint {
      path = checkpoint
    } else if let environment {
      path = environment
    } else {
      do throws(RuntimeFileMissing) {
        path = try Shipped.path()
      } catch {
        throw PolicyFamilyError("\(error.description) (or pass --checkpoint FILE, or --checkpoint prior)")
      }
    }
    do {
      return try Checkpoint.load(path)
    } catch {
      if checkpoint == nil, environment != nil {
        throw PolicyFamilyError("CRUCIBLE_CHECKPOINT: checkpoint \(error.description)")
      }
      if checkpoint == nil {
        throw PolicyFamilyError(
          "the shipped checkpoint \(error.description); pass --checkpoint FILE, or --checkpoint prior")
      }
      throw PolicyFamilyError("checkpoint \(error.description)")
    }
  }

  public func makePolicy(prompts: String?) throws -> Opened<any Policy> {
    var policy = SynthesisPolicy(
      model: try model(), budget: EnumerationBudget(programs: programsPerProposal),
      selection: select ?? Self.defaultSelection)
    if let consistent { policy.consistent = consistent }
    if let probe { policy.probeInputs = probe }
    return Opened(policy)
  }

  public func makeLearner(_ setup: LearnerSetup) throws -> Opened<any Learner> {
    let training = setup.options(BuiltinTrainingOptions.self) ?? BuiltinTrainingOptions()
    return Opened(
      BuiltinLearner(
        directory: setup.directory, initial: try model(defaultToPrior: true), method: training.method ?? .bc,
        searchPrograms: programsPerProposal, evalPrograms: training.evalPrograms ?? programsPerProposal,
        learningRate: training.learningRate ?? BuiltinTrainingOptions.defaultLearningRate,
        epochs: training.epochs ?? BuiltinTrainingOptions.defaultEpochs, dreams: training.dreamsPerRound,
        selection: select ?? Self.defaultSelection))
  }
}

extension Method: ExpressibleByArgument {}
extension Selection: ExpressibleByArgument {}

/// What `crucible train --policy builtin` adds: how the model learns.
public struct BuiltinTrainingOptions: ParsableArguments, TrainingOptions {
  public static let family = BuiltinOptions.name
  public static let defaultLearningRate = 0.02
  public static let defaultEpochs = 8
  public static let defaultDreams = 0

  /// Dreams per round (the learner makes none for policy gradient).
  var dreamsPerRound: Int { dreams ?? Self.defaultDreams }

  @Option(
    parsing: .unconditional,
    help: "Programs the builtin policy enumerates per proposal on the eval suite (default: --programs).")
  public var evalPrograms: Int?
  @Option(help: "bc (behavior cloning, the default) or pg (REINFORCE with a baseline).") public var method: Method?
  @Option(parsing: .unconditional, help: "Step size of the model's updates (default: \(Self.defaultLearningRate)).")
  public var learningRate: Double?
  @Option(parsing: .unconditional, help: "Passes over the round's data per update (default: \(Self.defaultEpochs)).")
  public var epochs: Int?
  @Option(
    parsing: .unconditional,
    help:
      "Dreamed tasks to learn from each round beside the solved ones: programs sampled from the model, run on generated inputs, named by their productions (bc only; 0: none; default: \(Self.defaultDreams))."
  )
  public var dreams: Int?

  public init() {}

  public var givenFlags: [String] {
    [
      evalPrograms.map { _ in "--eval-programs" }, method.map { _ in "--method" },
      learningRate.map { _ in "--learning-rate" }, epochs.map { _ in "--epochs" }, dreams.map { _ in "--dreams" },
    ].compactMap { $0 }
  }

  public func validate() throws {
    if let evalPrograms { try BuiltinOptions.checkPrograms(evalPrograms, flag: "--eval-programs") }
    if let learningRate, !(learningRate > 0 && learningRate <= 10 && learningRate.isFinite) {
      throw ValidationError("--learning-rate must be above 0 and at most 10 (got \(learningRate))")
    }
    if let epochs, epochs < 1 || epochs > 1000 {
      throw ValidationError("--epochs must be between 1 and 1000 (got \(epochs))")
    }
    if let dreams, dreams < 0 || dreams > 100_000 {
      throw ValidationError("--dreams must be between 0 and 100000 (got \(dreams))")
    }
    if let dreams, dreams > 0, method == .pg {
      throw ValidationError(
        "--dreams \(dreams) works with --method bc only (policy gradient has no reward for a dream)")
    }
  }
}
