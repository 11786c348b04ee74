import Foundation
import Support

/// `harness/finetune`, the LoRA trainer (torch, transformers and peft in a
/// virtual environment of its own): trains a fresh adapter from the base
/// GGUF on examples and writes it as GGUF, with a summary beside it.
public struct FinetuneTool: Sendable {
  /// The settings of a training, each passed as the trainer's option.
  public struct Settings: Sendable, Equatable {
    public var epochs = 3
    public var learningRate = 1e-4
    public var rank = 8
    /// Long enough for a revision prompt (the failed program and its
    /// feedback) with its completion; longer examples lose their prompt's
    /// start.
    public var maxTokens = 768
    public var seed: UInt64 = 0

    public init() {}

    var arguments: [String] {
      [
        "--epochs", String(epochs), "--lr", String(learningRate), "--rank", String(rank), "--max-tokens",
        String(maxTokens), "--seed", String(seed),
      ]
    }

    /// For a training run's identity.
    public var description: String {
      "epochs<=\(epochs) lr=\(learningRate) rank=\(rank) max_tokens=\(maxTokens) seed=\(seed)"
    }
  }

  /// What the trainer wrote beside the adapter (`OUT.json`).
  public struct Summary: Codable, Sendable, Equatable {
    public struct Examples: Codable, Sendable, Equatable {
      public var train: Int
      public var validation: Int
      public var dropped: Int
    }
    public struct Epoch: Codable, Sendable, Equatable {
      public var epoch: Int
      public var trainLoss: Double
      public var validationLoss: Double?
      enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case validationLoss = "validation_loss"
      }
    }
    public var examples: Examples
    public var epochsRun: Int
    public var bestEpoch: Int
    public var history: [Epoch]
    public var tokensPerSecond: Double
    public var seconds: Double
    public var peakMiB: Int
    /// The adapter's size when it was written.
    public var adapterBytes: Int

    enum CodingKeys: String, CodingKey {
      case examples, history, seconds
      case epochsRun = "epochs_run"
      case bestEpoch = "best_epoch"
      case tokensPerSecond = "tokens_per_second"
      case peakMiB = "peak_mib"
      case adapterBytes = "adapter_bytes"
    }

    /// Whether `adapter` is the file this summary was written for: a GGUF
    /// of the size it had (a file cut short, or another, is trained again).
    public func describes(_ adapter: String) -> Bool {
      let size = (try? FileManager.default.attributesOfItem(atPath: adapter)[.size] as? Int) ?? nil
      return size == adapterBytes && (try? LocalModelServer.checkGGUF(adapter, flag: "adapter")) != nil
    }

    /// One line: examples, epochs, losses, speed, memory.
    public var line: String {
      let validation = history.first { $0.epoch == bestEpoch }?.validationLoss
      return "\(examples.train) training and \(examples.validation) validation examples, best epoch \(bestEpoch) "
        + "of \(epochsRun)"
        + (validation.map { String(format: " (validation loss %.3f)", $0) } ?? "")
        + String(format: ", %.0f tokens/s, peak %d MiB, %.0f s", tokensPerSecond, peakMiB, seconds)
    }
  }

  public var script: String

  public init(script: String) { self.script = script }

  /// The tool from the runtime home.
  public static func located() throws -> FinetuneTool {
    do {
      return FinetuneTool(script: try RuntimeHome.locate().file("harness/finetune", what: "the LoRA trainer script"))
    } catch {
      throw LocalModelError(error.description)
    }
  }

  /// Fails, saying the command that installs it, when it is not installed.
  public func checkInstalled() async throws {
    let status = try await run(["check"], output: FileHandle.nullDevice)
    guard status == 0 else {
      throw LocalModelError("the LoRA trainer is not installed; run: \(script) install (once; minutes)")
    }
  }

  /// Trains an adapter from `base` on `data` into `out` (written only when
  /// whole); the trainer's progress goes to `progress`.
  public func train(data: String, base: String, out: String, settings: Settings, progress: FileHandle) async throws
    -> Summary
  {
    try await checkInstalled()
    let status = try await run(["train", data, base, out] + settings.arguments, output: progress)
    guard status == 0 else {
      throw LocalModelError(
        "the LoRA trainer exited with \(status) training \(out) from \(data) (its messages are above)")
    }
    return try Self.summary(of: out)
  }

  /// The summary beside an adapter, nil-free: a missing or unreadable one
  /// is an error naming it.
  public static func summary(of adapter: String) throws -> Summary {
    let path = adapter + ".json"
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LocalModelError("\(path): missing (the trainer writes it beside the adapter)")
    }
    do {
      return try JSONDecoder().decode(Summary.self, from: data)
    } catch {
      throw LocalModelError("\(path): not the trainer's summary (\(error))")
    }
  }

  func run(_ arguments: [String], output: FileHandle) async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: script)
    process.arguments = arguments
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Cancelled (Ctrl-C): the trainer stops with the run; the adapter is
    // written only whole, so the same command trains it again.
    return await withTaskCancellationHandler {
      await LocalModelServer.waitForExit(process)
      return process.terminationStatus
    } onCancel: {
      process.terminate()
    }
  }
}
