import ArgumentParser
import Foundation
import LanguageModel
import Learning
import ModelFamily
import Policy

/// `--policy local`: a GGUF model that Crucible serves itself with
/// llama.cpp's server on loopback (`harness/llm-server`), started before
/// the command's first request and stopped when it ends (Ctrl-C and
/// SIGTERM too). Otherwise it is `--policy openai` on the completions API:
/// the same sampling options, the same prompts.
public struct LocalOptions: ParsableArguments, PolicyFamily {
  public static let name = "local"
  public static let summary = "a GGUF model Crucible serves itself with llama.cpp on loopback"
  public static let costUnit = ModelOptions.costUnit

  @Option(help: "The model, a GGUF file (default: Gemma 3 270M, installed by harness/llm-server).")
  public var modelFile: String?
  @Option(help: "A LoRA adapter (GGUF, e.g. round-K/adapter.gguf from crucible train --finetune lora) on the model.")
  public var lora: String?
  @Option(parsing: .unconditional, help: "The server's threads (default: the number of cores).")
  public var serverThreads: Int?

  /// How to sample and how patiently: `--policy openai`'s options, given
  /// by `PolicyOptions` (the flags are shared).
  public var sampling = ModelOptions()

  public init() {}

  public var givenFlags: [String] {
    [("--model-file", modelFile != nil), ("--lora", lora != nil), ("--server-threads", serverThreads != nil)]
      .filter(\.1).map(\.0)
  }

  public func validate() throws {
    if let serverThreads, !(1...256).contains(serverThreads) {
      throw ValidationError("--server-threads must be from 1 to 256 (got \(serverThreads))")
    }
  }

  /// The files, once this family is the one chosen (given to another,
  /// the flags are refused as that family's first).
  public func validateAsChosen() throws {
    for (flag, path) in [("--model-file", modelFile), ("--lora", lora)] {
      guard let path else { continue }
      guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(flag) \(path): no such file") }
      do {
        try LocalModelServer.checkGGUF(path, flag: flag)
      } catch {
        throw ValidationError("\(error)")
      }
    }
  }

  /// The threads the server computes with.
  public var threads: Int { serverThreads ?? ProcessInfo.processInfo.activeProcessorCount }

  /// `--model-file`, or the model the server script installs.
  public func resolvedModelFile() async throws -> String {
    if let modelFile { return modelFile }
    return try await LocalModelServer.defaultModel()
  }

  public func makePolicy(prompts: String?) async throws -> Opened<any Policy> {
    let (server, client, sampling) = try await serve(try await resolvedModelFile(), adapter: lora)
    do {
      let policy = try self.sampling.policy(prompts: prompts, client: client, sampling: sampling)
      return Self.owning(policy as any Policy, client: client, server: server)
    } catch {
      await client.shutdown()
      await server.stop()
      throw error
    }
  }

  public func makeLearner(_ setup: LearnerSetup) async throws -> Opened<any Learner> {
    let training = setup.options(LocalTrainingOptions.self) ?? LocalTrainingOptions()
    if training.finetune == .lora {
      if lora != nil {
        throw PolicyFamilyError(
          "--lora: train --finetune lora trains its adapters from the base model; give the base as --model-file alone")
      }
      if let exemplars = sampling.exemplars {
        throw PolicyFamilyError(
          "--exemplars \(exemplars): train --finetune lora teaches the model its solutions; it shows it none in prompts"
        )
      }
    }
    let modelFile = try await resolvedModelFile()
    guard training.finetune == .lora else {
      // In-context expert iteration (exemplar memory) on the served model.
      let (server, client, sampling) = try await serve(modelFile, adapter: lora)
      let learner = ExemplarLearner(
        directory: setup.directory, client: client, sampling: sampling, prompts: setup.prompts,
        exemplarCount: self.sampling.exemplarsPerPrompt)
      return Self.owning(learner as any Learner, client: client, server: server)
    }
    let tool = try FinetuneTool.located()
    try await tool.checkInstalled()
    let served = ServedModel(modelFile: modelFile, threads: threads, options: sampling)
    let learner = LoRALearner(
      directory: setup.directory, modelFile: modelFile, served: served, prompts: setup.prompts,
      settings: training.settings, tool: tool)
    return Opened(learner, status: { served.rate() }, close: { await served.close() })
  }
}

extension LocalOptions {
  /// A server of `modelFile` (with `adapter`), and a client of it with
  /// these options' sampling.
  func serve(_ modelFile: String, adapter: String?) async throws -> (LocalModelServer, ModelClient, Sampling) {
    try await Self.serve(modelFile, adapter: adapter, threads: threads, sampling: sampling)
  }

  /// A server of `modelFile` (with `adapter`) computing on `threads`, and
  /// a client of it with `options`' sampling.
  static func serve(_ modelFile: String, adapter: String?, threads: Int, sampling options: ModelOptions)
    async throws -> (LocalModelServer, ModelClient, Sampling)
  {
    let server = try await LocalModelServer.start(modelFile: modelFile, adapter: adapter, threads: threads)
    let (client, sampling) = options.languageModel(
      at: server.baseURL, model: LocalModelServer.modelName(modelFile: modelFile, adapter: adapter), api: .completions)
    return (server, client, sampling)
  }

  /// `value`, holding `client` and `server` open: closing shuts the client
  /// (its totals are the closing line), then stops the server.
  static func owning<Value: Sendable>(_ value: Value, client: ModelClient, server: LocalModelServer) -> Opened<Value> {
    let opened = ModelOptions.opened(value, client)
    return Opened(opened.value, status: opened.status) {
      let totals = await opened.close()
      await server.stop()
      return totals
    }
  }
}

/// What `crucible train` adds for `--policy local`.
public struct LocalTrainingOptions: ParsableArguments, TrainingOptions {
  public static let family = LocalOptions.name

  public enum Finetune: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// A LoRA adapter trained from the base each round.
    case lora
  }

  @Option(help: "lora: train a LoRA adapter from the base model on every verified solution, each round.")
  public var finetune: Finetune?
  @Option(parsing: .unconditional, help: "With --finetune lora: at most this many epochs (default: 3).")
  public var loraEpochs: Int?
  @Option(parsing: .unconditional, help: "With --finetune lora: the learning rate (default: 1e-4).")
  public var loraLearningRate: Double?
  @Option(parsing: .unconditional, help: "With --finetune lora: the adapter's rank (default: 8).")
  public var loraRank: Int?

  public init() {}

  public var givenFlags: [String] {
    [
      ("--finetune", finetune != nil), ("--lora-epochs", loraEpochs != nil),
      ("--lora-learning-rate", loraLearningRate != nil), ("--lora-rank", loraRank != nil),
    ].filter(\.1).map(\.0)
  }

  public func validate() throws {
    if let loraEpochs, !(1...50).contains(loraEpochs) {
      throw ValidationError("--lora-epochs must be from 1 to 50 (got \(loraEpochs))")
    }
    if let loraLearningRate, !(loraLearningRate > 0 && loraLearningRate < 1) {
      throw ValidationError("--lora-learning-rate must be above 0 and below 1 (got \(loraLearningRate))")
    }
    if let loraRank, !(1...256).contains(loraRank) {
      throw ValidationError("--lora-rank must be from 1 to 256 (got \(loraRank))")
    }
    if finetune == nil, let flag = givenFlags.first {
      throw ValidationError("\(flag) sets how --finetune lora trains; give --finetune lora")
    }
  }

  /// The trainer's settings.
  public var settings: FinetuneTool.Settings {
    var settings = FinetuneTool.Settings()
    if let loraEpochs { settings.epochs = loraEpochs }
    if let loraLearningRate { settings.learningRate = loraLearningRate }
    if let loraRank { settings.rank = loraRank }
    return settings
  }
}
