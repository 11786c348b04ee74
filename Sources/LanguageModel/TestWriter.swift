import Foundation
import Policy
import Suites
import Values

/// Tests a language model writes for a function task (CodeT): assert
/// statements on the entry point, asked for with the task's words, its
/// signature and its public tests, and read as data tests (arguments and
/// expected value, literals only), de-duplicated. They rank candidates
/// that agree with them; they are never the task's tests and never decide
/// whether a task is solved.
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
  public func tests(for task: TaskView, seed: UInt64) async throws -> (tests: [TestCase], usage: Usage) {
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
    let examples = task.publicExamples.map(\.args)
    return (
      Self.parse(
        text, entryPoint: task.entryPoint, limit: limit, arity: examples.first?.count, excluding: Set(examples)),
      usage
    )
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

  /// The tests of `text`: lines `assert ENTRY(ARGS) == EXPECTED` (or
  /// `EXPECTED == ENTRY(ARGS)`, or `is True/False/None`, a message after a
  /// comma, a comment after), where the arguments and the expected value
  /// are Python literals, read as data: no code the model wrote ever runs,
  /// on either side of the sandbox. Distinct, with `arity` arguments when
  /// given, none whose arguments are in `excluding`; at most `limit`, of
  /// lines of at most 2,000 bytes.
  public static func parse(
    _ text: String, entryPoint: String, limit: Int, arity: Int? = nil, excluding: Set<[Value]> = []
  ) -> [TestCase] {
    var seen = excluding
    var out: [TestCase] = []
    for line in text.split(whereSeparator: \.isNewline) where out.count < limit && line.utf8.count <= 2_000 {
      guard let (args, expected) = test(line, entryPoint: entryPoint), arity.map({ $0 == args.count }) ?? true,
        seen.insert(args).inserted
      else { continue }
      out.append(.data(args, expected))
    }
    return out
  }

  /// One line read as a test, or nil.
  static func test(_ line: some StringProtocol, entryPoint: String) -> (args: [Value], expected: Value)? {
    var reader = PythonLiteralReader(line)
    guard reader.take("assert") else { return nil }
    func call(_ reader: inout PythonLiteralReader) -> [Value]? {
      guard reader.take(entryPoint), reader.take("(") else { return nil }
      return reader.arguments()
    }
    var args: [Value]
    var expected: Value
    var probe = reader
    if let called = call(&probe) {
      args = called
      reader = probe
      if reader.take("==") {
        guard let value = reader.literal() else { return nil }
        expected = value
      } else if reader.take("is") {
        if reader.take("True") {
          expected = .bool(true)
        } else if reader.take("False") {
          expected = .bool(false)
        } else if reader.take("None") {
          expected = .none
        } else {
          return nil
        }
      } else {
        return nil
      }
    } else {
      guard let value = reader.literal(), reader.take("=="), let called = call(&reader) else { return nil }
      (args, expected) = (called, value)
    }
    // A message: `, "..."`.
    if reader.take(",") {
      guard case .str? = reader.literal() else { return nil }
    }
    reader.skipComment()
    return reader.atEnd ? (args, expected) : nil
  }
}
