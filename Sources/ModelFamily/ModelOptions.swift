import ArgumentParser
import Foundation
import LanguageModel
import Learning
import Policy

extension ModelAPI: ExpressibleByArgument {}
extension StreamingMode: ExpressibleByArgument {}

/// `--policy openai`: a model behind an OpenAI-compatible API. Every option
/// is nil unless given, so that giving one with another policy is refused
/// rather than ignored; the defaults are `Sampling`'s and
/// `ServerConfiguration`'s.
public struct ModelOptions: ParsableArguments, PolicyFamily {
  public static let name = "openai"
  public static let summary = "a model behind an OpenAI-compatible API"
  public static let costUnit = "completion tokens"

  @Option(help: "The API root, e.g. http://127.0.0.1:8000/v1.") public var baseURL: String?
  @Option(help: "The model name the server knows.") public var model: String?
  @Option(help: "chat (/v1/chat/completions, the default) or completions (/v1/completions, for base models).")
  public var api: ModelAPI?
  @Option(help: "The environment variable holding the API key (sent as a Bearer token).")
  public var apiKeyEnv: String?
  @Option(parsing: .unconditional, help: "Sampling temperature (default: 0.8).") public var temperature: Double?
  @Option(parsing: .unconditional, help: "Nucleus sampling (default: 0.95).") public var topP: Double?
  @Option(parsing: .unconditional, help: "Tokens per answer (default: 512).") public var maxTokens: Int?
  @Option(help: "A stop sequence (repeat for more; completions default: a new top-level def/class/print).")
  public var stop: [String] = []
  @Option(parsing: .unconditional, help: "Requests in flight at once (default: 4).") public var concurrency: Int?
  @Option(
    parsing: .unconditional, help: "Seconds per request, from connecting to the answer's last byte (default: 120).")
  public var requestTimeout: Double?
  @Option(
    parsing: .unconditional,
    help: "Seconds an answer may go without a byte once it has begun, a stalled server (default: 15).")
  public var idleTimeout: Double?
  @Option(help: "auto (stream answers where the server streams, whole where it does not; the default) or off.")
  public var stream: StreamingMode?
  @Option(
    parsing: .unconditional, help: "Retries on connection errors, 429, 5xx and malformed answers (default: 4).")
  public var retries: Int?
  @Option(help: "An exemplar memory (exemplars.jsonl from crucible train) to put solved examples in prompts.")
  public var exemplars: String?
  @Option(parsing: .unconditional, help: "Exemplars per prompt (default: 2).") public var exemplarCount: Int?

  public init() {}

  public var givenFlags: [String] {
    let given: [(String, Bool)] = [
      ("--base-url", baseURL != nil), ("--model", model != nil), ("--api", api != nil),
      ("--api-key-env", apiKeyEnv != nil),
    ]
    return given.filter(\.1).map(\.0) + givenSamplingFlags
  }

  /// The flags given of those that say how to sample and how patiently
  /// (not where the server is): a served local model takes them too.
  public var givenSamplingFlags: [String] {
    let given: [(String, Bool)] = [
      ("--temperature", temperature != nil), ("--top-p", topP != nil),
      ("--max-tokens", maxTokens != nil), ("--stop", !stop.isEmpty), ("--concurrency", concurrency != nil),
      ("--request-timeout", requestTimeout != nil), ("--idle-timeout", idleTimeout != nil),
      ("--stream", stream != nil), ("--retries", retries != nil), ("--exemplars", exemplars != nil),
      ("--exemplar-count", exemplarCount != nil),
    ]
    return given.filter(\.1).map(\.0)
  }

  /// The ranges of the options given, each error naming the flag and the value.
  public func validate() throws {
    if let baseURL {
      guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw ValidationError("--base-url must be an http(s) URL (got '\(baseURL)')")
      }
    }
    if let model, model.isEmpty { throw ValidationError("--model must not be empty") }
    if let apiKeyEnv, ProcessInfo.processInfo.environment[apiKeyEnv] == nil {
      throw ValidationError("--api-key-env: the environment variable \(apiKeyEnv) is not set")
    }
    if let temperature, !(temperature >= 0 && temperature <= 2) {
      throw ValidationError("--temperature must be between 0 and 2 (got \(temperature))")
    }
    if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1] (got \(topP))") }
    if let maxTokens, maxTokens < 1 || maxTokens > 1_000_000 {
      throw ValidationError("--max-tokens must be between 1 and 1000000 (got \(maxTokens))")
    }
    if let concurrency, concurrency < 1 || concurrency > 1024 {
      throw ValidationError("--concurrency must be between 1 and 1024 (got \(concurrency))")
    }
    if let requestTimeout, !(requestTimeout > 0 && requestTimeout <= 86_400) {
      throw ValidationError("--request-timeout must be more than 0 and at most 86400 s (got \(requestTimeout))")
    }
    if let idleTimeout, !(idleTimeout > 0 && idleTimeout <= 86_400) {
      throw ValidationError("--idle-timeout must be more than 0 and at most 86400 s (got \(idleTimeout))")
    }
    if let retries, retries < 0 || retries > 100 {
      throw ValidationError("--retries must be between 0 and 100 (got \(retries))")
    }
    if let exemplarCount, exemplarCount < 0 || exemplarCount > 64 {
      throw ValidationError("--exemplar-count must be between 0 and 64 (got \(exemplarCount))")
    }
  }

  public func validateAsChosen() throws {
    guard baseURL != nil else {
      throw ValidationError("--policy openai needs --base-url (e.g. http://127.0.0.1:8000/v1)")
    }
    guard model != nil else { throw ValidationError("--policy openai needs --model") }
  }

  /// The model client and sampling settings.
  public func languageModel() throws -> (client: ModelClient, sampling: Sampling) {
    try validateAsChosen()
    guard let baseURL, let url = URL(string: baseURL), let model else {
      throw PolicyFamilyError("--policy openai needs --base-url and --model")
    }
    return languageModel(at: url, model: model, apiKey: apiKeyEnv.flatMap { ProcessInfo.processInfo.environment[$0] })
  }

  /// A client of the server at `url` with these options' sampling and
  /// patience (a server Crucible started itself, say); `api` when given,
  /// else `--api`'s.
  public func languageModel(at url: URL, model: String, apiKey: String? = nil, api chosen: ModelAPI? = nil)
    -> (client: ModelClient, sampling: Sampling)
  {
    let server = ServerConfiguration(baseURL: url, model: model, apiKey: apiKey)
    let defaults = Sampling()
    let api = chosen ?? api ?? server.api
    let client = ModelClient(
      ServerConfiguration(
        baseURL: url, model: model, apiKey: apiKey, api: api, requestTimeout: requestTimeout ?? server.requestTimeout,
        idleTimeout: idleTimeout ?? server.idleTimeout, retries: retries ?? server.retries,
        concurrency: concurrency ?? server.concurrency, streaming: stream ?? server.streaming))
    let stops = stop.isEmpty && api == .completions ? ["\ndef ", "\nclass ", "\nif __name__", "\nprint("] : stop
    return (
      client,
      Sampling(
        temperature: temperature ?? defaults.temperature, topP: topP ?? defaults.topP,
        maxTokens: maxTokens ?? defaults.maxTokens, stop: stops)
    )
  }

  /// Exemplars per prompt.
  public var exemplarsPerPrompt: Int { exemplarCount ?? 2 }

  public func makePolicy(prompts: String?) async throws -> Opened<any Policy> {
    let (client, sampling) = try languageModel()
    return Self.opened(try policy(prompts: prompts, client: client, sampling: sampling), client)
  }

  /// The policy of `client` with these options' prompts and exemplar memory.
  public func policy(prompts: String?, client: ModelClient, sampling: Sampling) throws -> LanguageModelPolicy {
    let templates = try Self.templates(prompts)
    var memory = ExemplarMemory()
    if let exemplars {
      guard FileManager.default.fileExists(atPath: exemplars) else {
        throw PolicyFamilyError("--exemplars \(exemplars): no such file")
      }
      do {
        memory = try ExemplarMemory.load(exemplars)
      } catch {
        throw PolicyFamilyError("--exemplars: \(error)")
      }
      guard !memory.exemplars.isEmpty else {
        throw PolicyFamilyError(
          "--exemplars \(exemplars): no exemplars in it (is it exemplars.jsonl from crucible train?)")
      }
    }
    return LanguageModelPolicy(
      client: client, sampling: sampling, prompts: templates, memory: memory, exemplarCount: exemplarsPerPrompt)
  }

  public func makeLearner(_ setup: LearnerSetup) async throws -> Opened<any Learner> {
    let (client, sampling) = try languageModel()
    return Self.opened(
      ExemplarLearner(
        directory: setup.directory, client: client, sampling: sampling, prompts: setup.prompts,
        exemplarCount: exemplarsPerPrompt),
      client)
  }

  /// `value`, with the client's tokens per second for the progress line;
  /// closing shuts the client's connections and returns its totals.
  public static func opened<Value: Sendable>(_ value: Value, _ client: ModelClient) -> Opened<Value> {
    Opened(value, status: client.meter.rateProvider) {
      await client.shutdown()
      return client.meter.summaryText
    }
  }

  /// The prompt templates: those in `directory`, else the shipped ones.
  static func templates(_ directory: String?) throws(PolicyFamilyError) -> Prompts {
    do {
      return try Prompts.load(from: directory)
    } catch {
      throw PolicyFamilyError(error.description)
    }
  }
}
