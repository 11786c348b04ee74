import Foundation
import Policy
import Suites

/// A language model behind an OpenAI-compatible API as a policy. A
/// proposal is N requests with distinct seeds (servers differ on `n`); a
/// revision shows the model its program and the failing public tests. A
/// standard-input task gets the prompts of a whole program (its limits,
/// its samples as input and output) and keeps the whole program answered.
/// Solved exemplars from the memory go into the prompts (in-context expert
/// iteration). Server errors past the client's retries are thrown: they
/// are infrastructure faults, never failed attempts. An answer with no
/// code becomes a candidate all the same (its text as the program), so the
/// sandbox records the failure and revision can react to it.
public struct LanguageModelPolicy: Policy {
  public let client: ModelClient
  public let sampling: Sampling
  public let prompts: Prompts
  /// Whether `prompts` are not the shipped templates (then they are part
  /// of the parameters that key a run).
  let customPrompts: Bool
  public let memory: ExemplarMemory
  /// Exemplars shown per prompt.
  public let exemplarCount: Int

  public init(
    client: ModelClient, sampling: Sampling, prompts: Prompts, memory: ExemplarMemory = .init(),
    exemplarCount: Int = 2
  ) {
    self.client = client
    self.sampling = sampling
    self.prompts = prompts
    self.customPrompts = prompts != (try? Prompts.shipped())
    self.memory = memory
    self.exemplarCount = exemplarCount
  }

  public var name: String { "openai" }

  /// The model and every setting that changes what it proposes (not the
  /// URL: the same model served elsewhere is the same policy).
  public var parameters: String {
    let c = client.configuration
    var parts = [
      "model=\(c.model)", "api=\(c.api.rawValue)", "temperature=\(sampling.temperature)", "top_p=\(sampling.topP)",
      "max_tokens=\(sampling.maxTokens)",
    ]
    if !sampling.stop.isEmpty {
      parts.append("stop=\(sampling.stop.map { $0.debugDescription }.joined(separator: ","))")
    }
    if customPrompts { parts.append("prompts=\(Candidate.id(of: "\(prompts)"))") }
    if !memory.exemplars.isEmpty { parts.append("exemplars=\(exemplarCount) of \(memory.exemplars.count)") }
    return parts.joined(separator: " ")
  }

  public func propose(_ request: ProposeRequest) async throws -> [Candidate] {
    let task = request.task
    let exemplars = memory.nearest(to: task.prompt, excluding: task.id, count: exemplarCount)
    let input: ModelInput
    switch client.configuration.api {
    case .chat:
      input = .messages([
        ChatMessage(role: "system", content: prompts.system(for: task)),
        ChatMessage(role: "user", content: prompts.proposal(for: task, exemplars: exemplars)),
      ])
    case .completions:
      input = .prompt(prompts.completion(for: task, exemplars: exemplars))
    }
    return try await sample(
      input, task: task, count: request.count, seed: request.seed, parent: nil, distinct: request.distinct)
  }

  public func revise(_ request: ReviseRequest) async throws -> [Candidate] {
    let task = request.task
    let input: ModelInput
    switch client.configuration.api {
    case .chat:
      let exemplars = memory.nearest(to: task.prompt, excluding: task.id, count: exemplarCount)
      input = .messages([
        ChatMessage(role: "system", content: prompts.system(for: task)),
        ChatMessage(role: "user", content: prompts.proposal(for: task, exemplars: exemplars)),
        ChatMessage(role: "assistant", content: Prompts.fenced(request.candidate.program)),
        ChatMessage(
          role: "user",
          content: prompts.revision(for: task, program: request.candidate.program, feedback: request.feedback)),
      ])
    case .completions:
      input = .prompt(
        prompts.completionRevision(for: task, program: request.candidate.program, feedback: request.feedback))
    }
    return try await sample(
      input, task: task, count: request.count, seed: request.seed, parent: request.candidate.id)
  }

  /// `count` answers to `input`, one request each, seeds `seed*1000 + i`;
  /// duplicates dropped when `distinct` (the sandbox would only say the
  /// same again).
  func sample(
    _ input: ModelInput, task: TaskView, count: Int, seed: UInt64, parent: String?, distinct: Bool = true
  ) async throws -> [Candidate] {
    let client = client
    let sampling = task.isProgram ? Self.programSampling(sampling) : sampling
    let answers = try await withThrowingTaskGroup(of: (Int, ModelAnswer).self) { group in
      for index in 0..<count {
        group.addTask {
          (index, try await client.complete(input, sampling: sampling, seed: seed &* 1000 &+ UInt64(index)))
        }
      }
      var out: [(Int, ModelAnswer)] = []
      for try await answer in group { out.append(answer) }
      return out.sorted { $0.0 < $1.0 }
    }
    var seen: Set<String> = []
    return answers.compactMap { index, answer in
      let program = self.program(from: answer, input: input, task: task)
      let candidate = Candidate(
        program: program,
        // No log-probabilities (slow on many servers): an answer cut off
        // at the token limit ranks below a finished one.
        score: answer.finishReason == "length" ? -1 : 0,
        provenance: Provenance(policy: name, parameters: parameters, sampleIndex: index, parent: parent),
        cost: Double(answer.usage.completionTokens), usage: answer.usage)
      return !distinct || seen.insert(candidate.id).inserted ? candidate : nil
    }
  }

  /// `sampling` for a whole program: without the stop sequences that end
  /// a function at the next top-level line (`\ndef `, `\nprint(`, the
  /// completions defaults), since a program's top level is its body.
  static func programSampling(_ sampling: Sampling) -> Sampling {
    var out = sampling
    out.stop = sampling.stop.filter { stop in
      !(stop.hasPrefix("\n") && stop.dropFirst().first.map { $0.isLetter || $0 == "_" || $0 == "@" } == true)
    }
    return out
  }

  func program(from answer: ModelAnswer, input: ModelInput, task: TaskView) -> String {
    switch input {
    case .messages:
      if task.isProgram { return CodeExtraction.programFromChat(answer.text) ?? answer.text }
      return CodeExtraction.fromChat(answer.text, entryPoint: task.entryPoint) ?? answer.text
    case .prompt where task.isProgram:
      // The program is the stub the prompt ends with and what follows it,
      // not the statement in comments before.
      let stub = Prompts.programStub
      return CodeExtraction.programFromCompletion(answer.text, prompt: stub) ?? stub + answer.text
    case .prompt(let prompt):
      // The program is the task's code prompt and the body, not the
      // exemplars or the failed version shown before it.
      let code = Prompts.codePrompt(of: task)
      let own = prompt.hasSuffix(code) ? code : prompt
      return CodeExtraction.fromCompletion(answer.text, prompt: own) ?? own + answer.text
    }
  }
}

extension LanguageModelPolicy: TestWritingPolicy {
  /// Tests from two requests at the policy's sampling, up to 20.
  public func writeTests(for task: TaskView, seed: UInt64) async throws -> (tests: [TestCase], usage: Usage) {
    try await TestWriter(client: client, sampling: sampling).tests(for: task, seed: seed)
  }
}
