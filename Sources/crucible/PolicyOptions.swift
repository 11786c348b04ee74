import ArgumentParser
import Foundation
import LanguageModel
import Policy
import Support
import Synthesis

extension ModelAPI: ExpressibleByArgument {}
extension StreamingMode: ExpressibleByArgument {}

/// The options that choose and configure a policy, shared by the commands
/// that run one.
struct PolicyOptions: ParsableArguments {
  @Option(help: "builtin (the offline synthesizer) or openai (a model behind an OpenAI-compatible API).")
  var policy: String = "builtin"

  @Option(
    help: "The builtin policy's checkpoint, or prior for the hand-set prior (default: the shipped trained one).")
  var checkpoint: String?
  @Option(help: "Programs the builtin policy enumerates per proposal.") var programs: Int = 1_000_000

  @Option(help: "openai: the API root, e.g. http://127.0.0.1:8000/v1.") var baseURL: String?
  @Option(help: "openai: the model name the server knows.") var model: String?
  @Option(help: "openai: chat (/v1/chat/completions) or completions (/v1/completions, for base models).")
  var api: ModelAPI = .chat
  @Option(help: "openai: the environment variable holding the API key (sent as a Bearer token).")
  var apiKeyEnv: String?
  @Option(help: "openai: sampling temperature.") var temperature: Double = 0.8
  @Option(help: "openai: nucleus sampling.") var topP: Double = 0.95
  @Option(help: "openai: tokens per answer.") var maxTokens: Int = 512
  @Option(help: "openai: a stop sequence (repeat for more; completions default: a new top-level def/class/print).")
  var stop: [String] = []
  @Option(help: "openai: requests in flight at once.") var concurrency: Int = 4
  @Option(help: "openai: seconds per request, from connecting to the answer's last byte.")
  var requestTimeout: Double = 120
  @Option(help: "openai: seconds an answer may go without a byte once it has begun (a stalled server).")
  var idleTimeout: Double = 15
  @Option(help: "openai: auto (stream answers where the server streams, whole where it does not) or off.")
  var stream: StreamingMode = .auto
  @Option(help: "openai: retries on connection errors, 429, 5xx and malformed answers.") var retries: Int = 4
  @Option(help: "openai: a directory of prompt templates (system.txt, propose.txt, revise.txt, exemplar.txt).")
  var prompts: String?
  @Option(help: "openai: an exemplar memory (exemplars.jsonl from crucible train) to put solved examples in prompts.")
  var exemplars: String?
  @Option(help: "openai: exemplars per prompt.") var exemplarCount: Int = 2

  /// Checked by the commands (not ArgumentParser's validate, which would exit 1).
  func check() throws {
    switch policy {
    case "builtin":
      guard programs >= 1, programs <= 100_000_000 else {
        throw CLIFailure.usage("--programs must be between 1 and 100000000 (got \(programs))")
      }
    case "openai":
      guard let baseURL else {
        throw CLIFailure.usage("--policy openai needs --base-url (e.g. http://127.0.0.1:8000/v1)")
      }
      guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw CLIFailure.usage("--base-url must be an http(s) URL (got '\(baseURL)')")
      }
      guard let model, !model.isEmpty else { throw CLIFailure.usage("--policy openai needs --model") }
      if let apiKeyEnv, ProcessInfo.processInfo.environment[apiKeyEnv] == nil {
        throw CLIFailure.usage("--api-key-env: the environment variable \(apiKeyEnv) is not set")
      }
      guard temperature >= 0, temperature <= 2 else {
        throw CLIFailure.usage("--temperature must be between 0 and 2 (got \(temperature))")
      }
      guard topP > 0, topP <= 1 else { throw CLIFailure.usage("--top-p must be in (0, 1] (got \(topP))") }
      guard maxTokens >= 1, maxTokens <= 1_000_000 else {
        throw CLIFailure.usage("--max-tokens must be between 1 and 1000000 (got \(maxTokens))")
      }
      guard concurrency >= 1, concurrency <= 1024 else {
        throw CLIFailure.usage("--concurrency must be between 1 and 1024 (got \(concurrency))")
      }
      guard requestTimeout > 0, requestTimeout <= 86_400 else {
        throw CLIFailure.usage("--request-timeout must be more than 0 and at most 86400 s (got \(requestTimeout))")
      }
      guard idleTimeout > 0, idleTimeout <= 86_400 else {
        throw CLIFailure.usage("--idle-timeout must be more than 0 and at most 86400 s (got \(idleTimeout))")
      }
      guard retries >= 0, retries <= 100 else {
        throw CLIFailure.usage("--retries must be between 0 and 100 (got \(retries))")
      }
      guard exemplarCount >= 0, exemplarCount <= 64 else {
        throw CLIFailure.usage("--exemplar-count must be between 0 and 64 (got \(exemplarCount))")
      }
    default:
      throw CLIFailure.usage("--policy must be builtin or openai (got '\(policy)')")
    }
  }

  /// The builtin policy's model: the checkpoint named, the hand-set prior
  /// for `--checkpoint prior`, or by default the shipped checkpoint (or
  /// the prior, where a command starts from it).
  func model(defaultToPrior: Bool = false) throws -> SynthesisModel {
    try check()
    if checkpoint == "prior" || (checkpoint == nil && defaultToPrior) { return Prior.model }
    let path: String
    if let checkpoint {
      path = checkpoint
    } else {
      do throws(RuntimeFileMissing) {
        path = try Shipped.path()
      } catch {
        throw CLIFailure.usage("\(error.description) (or pass --checkpoint FILE, or --checkpoint prior)")
      }
    }
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

  var isLanguageModel: Bool { policy == "openai" }

  /// The prompt templates: `--prompts DIR`, else the shipped ones.
  func promptTemplates() throws -> Prompts {
    do {
      return try Prompts.load(from: prompts)
    } catch {
      throw CLIFailure.usage(error.description)
    }
  }

  /// The model client and sampling settings of `--policy openai`.
  func languageModel() throws -> (client: ModelClient, sampling: Sampling) {
    try check()
    guard let baseURL, let url = URL(string: baseURL), let model else { throw CLIFailure.usage("--base-url") }
    let key = apiKeyEnv.flatMap { ProcessInfo.processInfo.environment[$0] }
    let client = ModelClient(
      ServerConfiguration(
        baseURL: url, model: model, apiKey: key, api: api, requestTimeout: requestTimeout, idleTimeout: idleTimeout,
        retries: retries, concurrency: concurrency, streaming: stream))
    let stops = stop.isEmpty && api == .completions ? ["\ndef ", "\nclass ", "\nif __name__", "\nprint("] : stop
    return (client, Sampling(temperature: temperature, topP: topP, maxTokens: maxTokens, stop: stops))
  }

  /// The policy these options describe.
  func make() throws -> any Policy {
    guard isLanguageModel else {
      return SynthesisPolicy(model: try model(), budget: EnumerationBudget(programs: programs))
    }
    let (client, sampling) = try languageModel()
    var memory = ExemplarMemory()
    if let exemplars {
      guard FileManager.default.fileExists(atPath: exemplars) else {
        throw CLIFailure.usage("--exemplars \(exemplars): no such file")
      }
      do {
        memory = try ExemplarMemory.load(exemplars)
      } catch {
        throw CLIFailure.usage("--exemplars: \(error)")
      }
      guard !memory.exemplars.isEmpty else {
        throw CLIFailure.usage(
          "--exemplars \(exemplars): no exemplars in it (is it exemplars.jsonl from crucible train?)")
      }
    }
    return LanguageModelPolicy(
      client: client, sampling: sampling, prompts: try promptTemplates(), memory: memory, exemplarCount: exemplarCount)
  }
}

extension Policy {
  /// The model client a language-model policy talks through.
  var modelClient: ModelClient? { (self as? LanguageModelPolicy)?.client }
}

/// Runs `body`, then shuts `client` down (its connections closed), whether
/// `body` returned or threw; prints the model's totals after a run that
/// completed.
func closing<T>(_ client: ModelClient?, _ body: () async throws -> T) async throws -> T {
  guard let client else { return try await body() }
  do {
    let result = try await body()
    await client.shutdown()
    if let totals = client.meter.summaryText { Output.note(totals) }
    return result
  } catch {
    await client.shutdown()
    throw error
  }
}
