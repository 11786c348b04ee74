import Foundation
import LanguageModel
import Learning
import Policy

/// A language model's learner. Its weights are the user's business (the
/// trainer exports `round-K/sft.jsonl` and runs `--finetune-cmd`); what
/// Crucible itself changes between rounds is the exemplar memory: round
/// K's prompts show the nearest tasks solved in rounds before K
/// (in-context expert iteration). The trainer writes `exemplars.jsonl`.
public struct ExemplarLearner: Learner {
  public var directory: String
  public var client: ModelClient
  public var sampling: Sampling
  public var prompts: Prompts
  public var exemplarCount: Int

  public init(directory: String, client: ModelClient, sampling: Sampling, prompts: Prompts, exemplarCount: Int) {
    self.directory = directory
    self.client = client
    self.sampling = sampling
    self.prompts = prompts
    self.exemplarCount = exemplarCount
  }

  public var description: String {
    "openai \(client.configuration.model), exemplar memory (\(exemplarCount) per prompt)"
  }

  /// The model and every setting that changes what it proposes (sampling,
  /// custom prompt templates, exemplars per prompt): the parameters of its
  /// policy before any exemplar is learned.
  public var identity: [String: String] {
    [
      "learner": description,
      "parameters": LanguageModelPolicy(
        client: client, sampling: sampling, prompts: prompts, memory: ExemplarMemory(), exemplarCount: exemplarCount
      ).parameters,
    ]
  }

  public func checkpoint(round: Int) -> String? { nil }

  public var costUnit: String { ModelOptions.costUnit }

  /// Round `round`'s policy: the memory as it stood when the round began
  /// (a resumed round sees what it saw the first time).
  public func policy(round: Int, purpose: Purpose) throws -> any Policy {
    let memory = try ExemplarMemory.load("\(directory)/exemplars.jsonl")
    return LanguageModelPolicy(
      client: client, sampling: sampling, prompts: prompts,
      memory: ExemplarMemory(memory.exemplars.filter { $0.round < round }), exemplarCount: exemplarCount)
  }

  public func learn(from experience: Experience) async throws -> RoundUpdate {
    let memory = try ExemplarMemory.load("\(directory)/exemplars.jsonl")
    let solved = memory.exemplars.filter { $0.round <= experience.round }.count
    return RoundUpdate(
      line: "exemplar memory holds \(solved) solved training tasks; SFT data in round-\(experience.round)/sft.jsonl",
      realTasks: solved)
  }
}
