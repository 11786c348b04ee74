import Foundation
import Journal
import LanguageModel
import Learning
import ModelFamily
import Policy
import Search
import Suites
import Support
import Synchronization

/// The served model of a training run: one server at a time, restarted
/// when a round asks for another adapter.
public actor ServedModel {
  let modelFile: String
  let threads: Int
  let options: ModelOptions
  private var current: (adapter: String?, server: LocalModelServer, client: ModelClient, sampling: Sampling)?
  /// The clients of servers already stopped, closed at the end (a policy
  /// of an earlier round may hold one).
  private var retired: [ModelClient] = []
  private let meter = Mutex<(@Sendable () -> String?)?>(nil)

  public init(modelFile: String, threads: Int, options: ModelOptions) {
    self.modelFile = modelFile
    self.threads = threads
    self.options = options
  }

  /// A client of the model with `adapter` on it (nil: the base alone).
  public func client(adapter: String?) async throws -> (client: ModelClient, sampling: Sampling) {
    if let current, current.adapter == adapter { return (current.client, current.sampling) }
    if let current {
      await current.server.stop()
      retired.append(current.client)
      self.current = nil
    }
    let (server, client, sampling) = try await LocalOptions.serve(
      modelFile, adapter: adapter, threads: threads, sampling: options)
    current = (adapter, server, client, sampling)
    meter.withLock { $0 = client.meter.rateProvider }
    return (client, sampling)
  }

  /// Stops the server; the clients' totals.
  public func close() async -> String? {
    if let current {
      await current.server.stop()
      retired.append(current.client)
      self.current = nil
    }
    // A server per adapter: each client's totals.
    var lines: [String] = []
    for client in retired {
      await client.shutdown()
      if let line = client.meter.summaryText { lines.append(line) }
    }
    retired = []
    return lines.isEmpty ? nil : lines.joined(separator: "; ")
  }

  /// The progress line's rate: the current client's.
  public nonisolated func rate() -> String? { meter.withLock { $0 }?() }
}

/// Expert iteration that trains the model itself (ReST-EM): round K's
/// policy is the base model with `round-K/adapter.gguf` (none in round 0);
/// after round K's search, a fresh adapter is trained from the base on
/// every verified solution so far (and the repair turn that led to each),
/// completion-only, with a validation split by task and early stopping,
/// into `round-(K+1)/adapter.gguf`. Each round's eval is greedy
/// (temperature 0); search samples as the options say. An adapter already
/// there (a run that stopped after training it) is kept, so a resumed run
/// does not train it twice.
public struct LoRALearner: Learner {
  public var directory: String
  public var modelFile: String
  public var served: ServedModel
  public var prompts: Prompts
  public var settings: FinetuneTool.Settings
  public var tool: FinetuneTool
  /// Where the trainer's progress goes.
  public var progress: FileHandle = .standardError

  public init(
    directory: String, modelFile: String, served: ServedModel, prompts: Prompts, settings: FinetuneTool.Settings,
    tool: FinetuneTool
  ) {
    self.directory = directory
    self.modelFile = modelFile
    self.served = served
    self.prompts = prompts
    self.settings = settings
    self.tool = tool
  }

  public var description: String {
    "local \((modelFile as NSString).lastPathComponent), LoRA from the base each round"
  }

  /// The base model (its name and fingerprint: a different file is a
  /// different run), the trainer's settings, the sampling and the stops.
  public var identity: [String: String] {
    let name = LocalModelServer.modelName(modelFile: modelFile, adapter: nil)
    let (client, sampling) = served.options.languageModel(
      at: URL(fileURLWithPath: "/"), model: name, api: .completions)
    return [
      "learner": description, "finetune": settings.description,
      "parameters": LanguageModelPolicy(client: client, sampling: sampling, prompts: prompts).parameters,
    ]
  }

  public var costUnit: String { ModelOptions.costUnit }

  /// Round `round`'s adapter; none in round 0, or while nothing is verified.
  public func checkpoint(round: Int) -> String? {
    round == 0 || FileManager.default.fileExists(atPath: baseMarker(round: round)) ? nil : adapterPath(round: round)
  }

  func adapterPath(round: Int) -> String { "\(directory)/round-\(round)/adapter.gguf" }

  /// Written instead of an adapter when nothing is verified yet: that
  /// round is the base again.
  func baseMarker(round: Int) -> String { "\(directory)/round-\(round)/no-adapter" }

  public func policy(round: Int, purpose: Purpose) async throws -> any Policy {
    var adapter = round == 0 ? nil : adapterPath(round: round)
    if let path = adapter, !FileManager.default.fileExists(atPath: path) {
      guard FileManager.default.fileExists(atPath: baseMarker(round: round)) else {
        throw LearningError(message: "\(path) is missing: round \(round - 1) is recorded as learned from")
      }
      adapter = nil
    }
    var (client, sampling) = try await served.client(adapter: adapter)
    // Measured greedy: a round's eval then says what the adapter does, not
    // what a lucky sample did (search samples at the given temperature).
    if purpose == .evaluation { sampling.temperature = 0 }
    return LanguageModelPolicy(client: client, sampling: sampling, prompts: prompts)
  }

  public func learn(from experience: Experience) async throws -> RoundUpdate {
    let round = experience.round
    let examples = LoRAExamples.make(experience, prompts: prompts)
    try JSONLines.write(examples, to: "\(directory)/round-\(round)/lora-examples.jsonl")
    // Every verified solution so far: this round's and every earlier one's.
    var all: [LoRAExamples.Example] = []
    var seen: Set<String> = []
    for r in 0...round {
      let path = "\(directory)/round-\(r)/lora-examples.jsonl"
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw LearningError(message: "\(path) is missing: round \(r) is recorded as searched")
      }
      let found: [LoRAExamples.Example]
      do {
        found = try JSONLines.decode(text, path: path, as: "a training example")
      } catch {
        throw LearningError(message: error.description)
      }
      for example in found where seen.insert(example.prompt + "\u{1F}" + example.completion).inserted {
        all.append(example)
      }
    }
    // The tasks learned from (validation tasks are held out).
    let tasks = Set(all.filter { $0.split == "train" }.map(\.taskID)).count
    let next = "\(directory)/round-\(round + 1)"
    try FileManager.default.createDirectory(atPath: next, withIntermediateDirectories: true)
    guard !all.isEmpty else {
      try Data().write(to: URL(fileURLWithPath: baseMarker(round: round + 1)))
      return RoundUpdate(line: "no verified solution yet: round \(round + 1) is the base again", realTasks: 0)
    }
    let data = "\(next)/lora-train.jsonl"
    try JSONLines.write(all, to: data)
    let adapter = adapterPath(round: round + 1)
    let summary: FinetuneTool.Summary
    if let done = try? FinetuneTool.summary(of: adapter), done.describes(adapter) {
      summary = done
    } else {
      var settings = settings
      settings.seed = UInt64(round)
      summary = try await tool.train(data: data, base: modelFile, out: adapter, settings: settings, progress: progress)
    }
    return RoundUpdate(
      line: "round-\(round + 1)/adapter.gguf from \(all.count) examples (\(tasks) solved tasks, "
        + "and tasks held out for validation): \(summary.line)",
      realTasks: tasks)
  }
}

/// A round's training examples for a completions model: the prompt the
/// policy sent and the completion that made a verified program. For each
/// solved task, the proposal prompt with the verified program, and, when a
/// revision found it, the revision prompt (the failed program and its test
/// feedback) with it too. Failed programs are never a completion.
public enum LoRAExamples {
  public struct Example: Codable, Sendable, Equatable {
    public var taskID: String
    public var prompt: String
    public var completion: String
    /// `train` or `validation`: by task, so no task is on both sides.
    public var split: String

    enum CodingKeys: String, CodingKey {
      case taskID = "task_id"
      case prompt, completion, split
    }
  }

  /// One task in five (by a hash of its id) is for validation.
  public static func split(of taskID: String) -> String {
    Candidate.id(of: taskID).utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF } % 5 == 0 ? "validation" : "train"
  }

  public static func make(_ experience: Experience, prompts: Prompts) -> [Example] {
    let tasks = Dictionary(uniqueKeysWithValues: experience.tasks.map { ($0.id, $0) })
    var out: [Example] = []
    for outcome in experience.outcomes where outcome.solved {
      guard let chosen = outcome.chosen, let task = tasks[outcome.taskID] else { continue }
      let view = TaskView(task)
      let split = split(of: task.id)
      func add(_ prompt: String) {
        // The program is the prompt's code and what the model wrote after it.
        let code = task.isProgram ? Prompts.programStub : Prompts.codePrompt(of: view)
        guard prompt.hasSuffix(code), chosen.program.hasPrefix(code) else { return }
        let completion = String(chosen.program.dropFirst(code.count))
        guard !completion.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        out.append(Example(taskID: task.id, prompt: prompt, completion: completion, split: split))
      }
      add(prompts.completion(for: view))
      if let parentID = chosen.provenance.parent,
        let parent = experience.attempts.first(where: {
          $0.taskID == task.id && $0.candidate.id == parentID && $0.selection == .publicOnly
        })
      {
        let feedback = Feedback(
          candidateID: parentID,
          outcomes: parent.results.map {
            .init(index: $0.index, passed: $0.verdict == .passed, kind: $0.verdict.kind, detail: $0.verdict.detail)
          })
        add(prompts.completionRevision(for: view, program: parent.candidate.program, feedback: feedback))
      }
    }
    return out
  }
}
