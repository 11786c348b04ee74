import ArgumentParser
import Foundation
import Policy
import Synthesis

/// The options that choose and configure a policy, shared by the commands
/// that run one.
struct PolicyOptions: ParsableArguments {
  @Option(help: "The policy: builtin (the offline synthesizer).") var policy: String = "builtin"
  @Option(help: "The builtin policy's checkpoint (default: the hand-set prior).") var checkpoint: String?
  @Option(help: "Programs the builtin policy enumerates per proposal.") var programs: Int = 1_000_000

  func validate() throws {
    guard policy == "builtin" else {
      throw CLIFailure.usage("--policy must be builtin (got '\(policy)')")
    }
    guard programs >= 1, programs <= 100_000_000 else {
      throw CLIFailure.usage("--programs must be between 1 and 100000000 (got \(programs))")
    }
  }

  /// The policy these options describe.
  func make() throws -> any Policy {
    try validate()
    var model = Prior.model
    if let checkpoint {
      do {
        model = try Checkpoint.load(checkpoint)
      } catch {
        throw CLIFailure.usage("checkpoint \(error.description)")
      }
    }
    return SynthesisPolicy(model: model, budget: EnumerationBudget(programs: programs))
  }
}
