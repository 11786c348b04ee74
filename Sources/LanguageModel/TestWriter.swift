import Foundation
import Policy
import Suites

/// Tests a language model writes for a function task (CodeT): assert
/// statements on the entry point, asked for with the task's words, its
/// signature and its public tests, parsed one per line and de-duplicated.
/// They rank candidates that agree with them; they are never the task's
/// tests and never decide whether a task is solved.
public struct TestWriter: Sendable {
  public let client: ModelClient
  public let sampling: Sampling
  /// Requests per task (distinct seeds); their asserts are pooled.
  public let requests: Int
  /// Asserts kept per task, at most.
  public let limit: Int

  public init(client: ModelClient, sampling: Sampling, requests: Int = 2, limit: Int = 20) {
    self.client = client
    var sampling = sampling
    sampling.stop = ["\n\n", "\ndef ", "\nclass ", "\nif __name__", "\n```"]
    self.sampling = sampling
    self.requests = requests
    self.limit = limit
  }

  /// The asserts the model wrote for `task`, and the tokens they cost.
  /// None for a standard-input task (its tests are not calls).
  public func tests(for task: TaskView, seed: UInt64) async throws -> (statements: [String], usage: Usage) {
    guard !task.isProgram else { return ([], Usage(promptTokens: 0, completionTokens: 0, milliseconds: 0)) }
    let input = Self.input(for: task, api: client.configuration.api)
    let client = client
    let sampling = sampling
    let answers = try await withThrowingTaskGroup(of: (Int, ModelAnswer).self) { group in
      for index in 0..<requests {
        group.addTask {
          (index, try await client.complete(input, sampling: sampling, seed: seed &* 1000 &+ 500 &+ UInt64(index)))
        }
      }
      var out: [(Int, ModelAnswer)] = []
      for try await answer in group { out.append(answer) }
      return out.sorted { $0.0 < $1.0 }.map(\.1)
    }
    var usage = Usage(promptTokens: 0, completionTokens: 0, milliseconds: 0)
    var text = ""
    for answer in answers {
      usage.promptTokens += answer.usage.promptTokens
      usage.completionTokens += answer.usage.completionTokens
      usage.milliseconds += answer.usage.milliseconds
      // A completion continues the prompt's last line, an unfinished assert.
      if case .prompt = input { text += Self.openLine(task) }
      text += answer.text + "\n"
    }
    let known = Set(Prompts.tests(of: task).split(separator: "\n").map { Self.normalized(String($0)) })
    return (Self.parse(text, entryPoint: task.entryPoint, limit: limit, excluding: known), usage)
  }

  /// The request: for a base model, the task's code with a stub body, the
  /// public tests as asserts and the start of one more; for a chat model,
  /// words asking for asserts in a code block.
  static func input(for task: TaskView, api: ModelAPI) -> ModelInput {
    let code = Prompts.codePrompt(of: task)
    let publicTests = Prompts.tests(of: task)
    switch api {
    case .completions:
      return .prompt(
        code + "    ...\n\n\n# Tests of \(task.entryPoint): one assert per line, each with the correct answer.\n"
          + (publicTests.isEmpty ? "" : publicTests + "\n") + openLine(task))
    case .chat:
      return .messages([
        ChatMessage(
          role: "system",
          content: "You are an expert Python tester. You write short, correct unit tests as assert statements."),
        ChatMessage(
          role: "user",
          content: "Write 10 different assert statements that test the Python function `\(task.entryPoint)`, "
            + "each on one line, calling it and comparing with the correct answer.\n\nTask: \(task.prompt)\n\n"
            + "Signature:\n\(Prompts.signature(of: task))\n"
            + (publicTests.isEmpty ? "" : "\nFor example:\n\(publicTests)\n")
            + "\nAnswer with the asserts in a single ```python block."),
      ])
    }
  }

  static func openLine(_ task: TaskView) -> String { "assert \(task.entryPoint)(" }

  /// The assert statements of `text` that call `entryPoint`: one per line,
  /// brackets balanced, at most 400 characters, distinct up to spacing,
  /// none of `excluding` (normalized), at most `limit`.
  public static func parse(_ text: String, entryPoint: String, limit: Int, excluding: Set<String> = []) -> [String] {
    var seen = excluding
    var out: [String] = []
    for raw in text.split(whereSeparator: \.isNewline) where out.count < limit {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard line.hasPrefix("assert "), line.contains("\(entryPoint)("), line.count <= 400, balanced(line) else {
        continue
      }
      if seen.insert(normalized(line)).inserted { out.append(line) }
    }
    return out
  }

  /// The line with its whitespace runs outside strings removed.
  public static func normalized(_ line: String) -> String {
    var out = ""
    var quote: Character?
    for c in line {
      if let q = quote {
        out.append(c)
        if c == q { quote = nil }
      } else if c == "'" || c == "\"" {
        quote = c
        out.append(c)
      } else if !c.isWhitespace {
        out.append(c)
      }
    }
    return out
  }

  /// Whether the brackets outside strings close in order, and every string
  /// ends on the line.
  static func balanced(_ line: String) -> Bool {
    var stack: [Character] = []
    var quote: Character?
    var escaped = false
    for c in line {
      if let q = quote {
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == q {
          quote = nil
        }
        continue
      }
      switch c {
      case "'", "\"": quote = c
      case "(", "[", "{": stack.append(c)
      case ")": if stack.popLast() != "(" { return false }
      case "]": if stack.popLast() != "[" { return false }
      case "}": if stack.popLast() != "{" { return false }
      case "#": return stack.isEmpty
      default: break
      }
    }
    return stack.isEmpty && quote == nil
  }
}
