import Foundation
import Suites
import Support
import Values

/// The words a language model sees: a system prompt, a proposal prompt
/// (the task, its signature, its public tests, solved examples from the
/// exemplar memory) and a revision prompt (the previous program and what
/// its public tests said: the environment's feedback). A standard-input
/// task has prompts of its own: a whole program, its limits, the sample
/// tests as input and output, and the failing sample's input, expected
/// output and verdict. Templates are files (`prompts/*.txt` of the runtime
/// home, or a directory the user names), with `{placeholders}`.
public struct Prompts: Sendable, Equatable {
  public var system: String
  public var propose: String
  public var revise: String
  public var exemplar: String
  /// A standard-input task's system prompt, proposal and revision.
  public var programSystem: String
  public var programPropose: String
  public var programRevise: String

  public init(
    system: String, propose: String, revise: String, exemplar: String, programSystem: String = "",
    programPropose: String = "", programRevise: String = ""
  ) {
    self.system = system
    self.propose = propose
    self.revise = revise
    self.exemplar = exemplar
    self.programSystem = programSystem
    self.programPropose = programPropose
    self.programRevise = programRevise
  }

  /// The template files and the placeholders each must hold.
  static var templates: [(file: String, field: WritableKeyPath<Prompts, String>, needs: [String])] {
    [
      ("system.txt", \.system, []), ("propose.txt", \.propose, ["prompt"]),
      ("revise.txt", \.revise, ["program", "feedback"]), ("exemplar.txt", \.exemplar, ["program"]),
      ("program-system.txt", \.programSystem, []),
      ("program-propose.txt", \.programPropose, ["prompt", "examples"]),
      ("program-revise.txt", \.programRevise, ["program", "feedback"]),
    ]
  }

  /// The templates in `directory`: `system.txt`, `propose.txt`,
  /// `revise.txt`, `exemplar.txt`, and for standard-input tasks
  /// `program-system.txt`, `program-propose.txt`, `program-revise.txt`; a
  /// file that is missing there is the shipped one. Without a directory,
  /// the shipped templates.
  public static func load(from directory: String?) throws(PromptError) -> Prompts {
    guard let directory else { return try shipped() }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw PromptError(path: directory, message: "is not a directory of prompt templates")
    }
    let given = templates.filter { FileManager.default.fileExists(atPath: "\(directory)/\($0.file)") }
    var prompts =
      given.count == templates.count ? Prompts(system: "", propose: "", revise: "", exemplar: "") : try shipped()
    for template in given {
      prompts[keyPath: template.field] = try read("\(directory)/\(template.file)", needs: template.needs)
    }
    return prompts
  }

  /// The shipped templates: `prompts/` of the runtime home (`RuntimeHome`:
  /// an install's `share/crucible`, the checkout, or `CRUCIBLE_HOME`).
  /// Every file must be there: there are no copies to fall back on.
  public static func shipped() throws(PromptError) -> Prompts {
    var prompts = Prompts(system: "", propose: "", revise: "", exemplar: "")
    for template in templates {
      let path: String
      do throws(RuntimeFileMissing) {
        path = try RuntimeHome.locate().file("prompts/\(template.file)", what: "the prompt template \(template.file)")
      } catch {
        throw PromptError(path: nil, message: error.description)
      }
      prompts[keyPath: template.field] = try read(path, needs: template.needs)
    }
    return prompts
  }

  static func read(_ path: String, needs: [String]) throws(PromptError) -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
    else { throw PromptError(path: path, message: "cannot be read as UTF-8 text") }
    for placeholder in needs where !text.contains("{\(placeholder)}") {
      throw PromptError(path: path, message: "lacks the placeholder {\(placeholder)}")
    }
    return text
  }

  // MARK: filling

  /// The system prompt for `task`: a function's, or a whole program's.
  public func system(for task: TaskView) -> String {
    task.isProgram ? programSystem : system
  }

  /// The user message proposing a program for `task`, with solved
  /// examples first.
  public func proposal(for task: TaskView, exemplars: [Exemplar] = []) -> String {
    if let program = task.program { return programProposal(for: task, program, exemplars: exemplars) }
    let shown = exemplars.map { fill(exemplar, ["prompt": $0.prompt, "program": trimmed($0.program)]) }.joined()
    return fill(
      propose,
      [
        "exemplars": shown.isEmpty ? "" : "Solved examples:\n\n" + shown, "entry_point": task.entryPoint,
        "prompt": task.prompt, "signature": Self.signature(of: task), "public_tests": Self.tests(of: task),
      ])
  }

  /// The user message asking to repair `program` from its feedback.
  public func revision(program: String, feedback: Feedback) -> String {
    fill(revise, ["program": trimmed(program), "feedback": Self.describe(feedback)])
  }

  /// The user message asking to repair `program` of `task` from its
  /// feedback: for a standard-input task, the failing sample's input,
  /// expected output and verdict.
  public func revision(for task: TaskView, program: String, feedback: Feedback) -> String {
    guard task.isProgram else { return revision(program: program, feedback: feedback) }
    return fill(
      programRevise, ["program": trimmed(program), "feedback": Self.describeProgram(feedback, of: task)])
  }

  /// Code for a base model to continue (the completions API): solved
  /// exemplars' programs, then the task's signature with its prompt and
  /// public examples as a docstring, so the completion is the body.
  /// HumanEval-style tasks bring that code themselves.
  public func completion(for task: TaskView, exemplars: [Exemplar] = []) -> String {
    let shown = exemplars.map { trimmed($0.program) + "\n\n\n" }.joined()
    return shown + Self.codePrompt(of: task)
  }

  /// A completion prompt that first shows a failed program and what its
  /// tests said, as comments.
  public func completionRevision(for task: TaskView, program: String, feedback: Feedback) -> String {
    let commented = trimmed(program).split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
    let described = task.isProgram ? Self.describeProgram(feedback, of: task) : Self.describe(feedback)
    let said = described.split(separator: "\n").map { "# \($0)" }
    return "# A wrong version:\n" + commented.joined(separator: "\n") + "\n# What its tests said:\n"
      + said.joined(separator: "\n") + "\n# The corrected version:\n\n" + Self.codePrompt(of: task)
  }

  /// The signature and a docstring with the prompt and the public examples.
  /// For a standard-input task: the statement, limits and samples as
  /// comments, then ``programStub``, for the program to follow.
  public static func codePrompt(of task: TaskView) -> String {
    if let program = task.program { return programCodePrompt(of: task, program) }
    if let code = task.promptCode { return code.hasSuffix("\n") ? code : code + "\n" }
    let header = task.signature.map { $0.description + ":" } ?? "def \(task.entryPoint)(*args):"
    var doc = task.prompt.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(
      of: "\"\"\"", with: "'''"
    )
    .split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n")
    let examples = task.publicTests.compactMap { test -> String? in
      guard case .data(let args, let expected) = test.body else { return nil }
      return
        "    >>> \(call(task, args))\n    \(expected.pythonLiteral)"
    }
    if !examples.isEmpty { doc += "\n\n" + examples.joined(separator: "\n") }
    return header + "\n    \"\"\"" + doc.dropFirst(4) + "\n    \"\"\"\n"
  }

  /// A program as a model would answer it: one fenced Python block.
  public static func fenced(_ program: String) -> String {
    "```python\n" + program.trimmingCharacters(in: .newlines) + "\n```"
  }

  func fill(_ template: String, _ values: [String: String]) -> String {
    var out = template
    for (key, value) in values { out = out.replacingOccurrences(of: "{\(key)}", with: value) }
    return out
  }

  func trimmed(_ program: String) -> String {
    program.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The signature as code (HumanEval's prompt code when the task has it).
  public static func signature(of task: TaskView) -> String {
    if let code = task.promptCode { return code.trimmingCharacters(in: .newlines) }
    if let signature = task.signature { return signature.description + ":" }
    return "def \(task.entryPoint)(...):"
  }

  /// A call of the entry point on `args`, as Python.
  static func call(_ task: TaskView, _ args: [Value]) -> String {
    "\(task.entryPoint)(\(args.map(\.pythonLiteral).joined(separator: ", ")))"
  }

  /// The public tests as asserts.
  public static func tests(of task: TaskView) -> String {
    let lines = task.publicTests.map { test -> String in
      switch test.body {
      case .data(let args, let expected):
        "assert \(call(task, args)) == \(expected.pythonLiteral)"
      case .statement(let code): code
      case .io(let input, let output): "Input:\n\(input)\nOutput:\n\(output)"
      }
    }
    return lines.isEmpty ? "(none shown)" : lines.joined(separator: "\n")
  }

  /// What the failing public tests said, a line each.
  public static func describe(_ feedback: Feedback) -> String {
    let failing = feedback.outcomes.filter { !$0.passed }
    if failing.isEmpty { return "every test passed" }
    return failing.map { "- test \($0.index + 1): \($0.kind.rawValue): \($0.detail)" }.joined(separator: "\n")
  }
}

/// A prompt directory or file that cannot be used.
public struct PromptError: Error, CustomStringConvertible {
  /// The file or directory, when the problem is one's content.
  public var path: String?
  public var message: String
  public var description: String { path.map { "prompts \($0): \(message)" } ?? message }
}
