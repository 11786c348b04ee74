import ArgumentParser
import Foundation
import Policy
import Synthesis

/// The options that choose and configure a policy, shared by the commands
/// that run one.
struct PolicyOptions: ParsableArguments {
  @Option(help: "The policy: builtin (the offline synthesizer).") var policy: String = "builtin"
  @Option(
    help: "The builtin policy's checkpoint, or prior for the hand-set prior (default: the shipped trained one).")
  var checkpoint: String?
  @Option(help: "Programs the builtin policy enumerates per proposal.") var programs: Int = 1_000_000

  func validate() throws {
    guard policy == "builtin" else {
      throw CLIFailure.usage("--policy must be builtin (got '\(policy)')")
    }
    guard programs >= 1, programs <= 100_000_000 else {
      throw CLIFailure.usage("--programs must be between 1 and 100000000 (got \(programs))")
    }
  }

  /// The builtin policy's model: the checkpoint named, the hand-set prior
  /// for `--checkpoint prior`, or by default the shipped checkpoint (or
  /// the prior, where a command starts from it).
  func model(defaultToPrior: Bool = false) throws -> SynthesisModel {
    try validate()
    if checkpoint == "prior" || (checkpoint == nil && defaultToPrior) { return Prior.model }
    let path = checkpoint ?? Shipped.path
    do {
      return try Checkpoint.load(path)
    } catch {
      if checkpoint == nil {
        throw CLIFailure.usage(
          "the shipped checkpoint \(error.description); pass --checkpoint FILE, or --checkpoint prior")
      }
      throw CLIFailure.usage("checkpoint \(error.description)")
    }
  }

  /// The policy these options describe.
  func make() throws -> any Policy {
    SynthesisPolicy(model: try model(), budget: EnumerationBudget(programs: programs))
  }
}
