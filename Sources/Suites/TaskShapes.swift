import Foundation
import Values

/// The JSONL shapes, detected per line: HumanEval, MBPP, Crucible, and the
/// datasets' APPS, CodeContests and LiveCodeBench.
enum TaskShapes {
  static func read(_ fields: inout Fields) -> CodingTask? {
    if fields.has("test_list") { return mbpp(&fields) }
    if fields.has("tests") { return crucible(&fields) }
    if fields.has("canonical_solution") || (fields.has("test") && fields.has("entry_point")) {
      return humanEval(&fields)
    }
    if fields.has("input_output") || fields.has("problem_id") { return apps(&fields) }
    if ["public_tests", "private_tests", "generated_tests"].contains(where: fields.has) {
      return codeContests(&fields)
    }
    if ["public_test_cases", "private_test_cases", "question_content"].contains(where: fields.has) {
      return liveCodeBench(&fields)
    }
    fields.problem(
      nil, nil,
      "cannot tell the task's shape: HumanEval has task_id, prompt, canonical_solution, test, entry_point; "
        + "MBPP has task_id, text, code, test_list; Crucible has task_id, prompt, entry_point, tests; "
        + "APPS has problem_id, question, input_output; CodeContests has name, description, public_tests, "
        + "private_tests, generated_tests; LiveCodeBench has question_id, question_content, public_test_cases, "
        + "private_test_cases")
    return nil
  }

  static func humanEval(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(
      allowed: ["task_id", "prompt", "canonical_solution", "test", "entry_point"], shape: "HumanEval")
    guard let id = fields.identifier("task_id") else { return nil }
    fields.taskID = id
    let prompt = fields.string("prompt")
    let body = fields.string("canonical_solution", required: false, nonEmpty: false)
    let test = fields.string("test")
    guard let entry = entryPoint(&fields), let prompt, let test else { return nil }
    if !test.contains("def check(") { fields.problem("test", .string(test), "must define check(candidate)") }
    if !prompt.contains("def \(entry)(") {
      fields.problem("prompt", .string(prompt), "does not define the entry point \(entry)")
    }
    return CodingTask(
      id: id, prompt: prompt, entryPoint: entry, signature: Signature.find(entry, in: prompt), promptCode: prompt,
      solution: body.map { prompt + $0 }, tests: [.statement("check(candidate)")], testSetup: test,
      publicCount: 0, origin: Origin(file: fields.file, line: fields.line, format: .humanEval))
  }

  static func mbpp(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(
      allowed: [
        "task_id", "text", "prompt", "code", "test_list", "test_setup_code", "challenge_test_list", "source_file",
      ],
      shape: "MBPP")
    guard let rawID = fields.identifier("task_id") else { return nil }
    let id = Int(rawID) != nil ? "MBPP/\(rawID)" : rawID
    fields.taskID = id
    let text = fields.string("text", required: !fields.has("prompt")) ?? fields.string("prompt", required: false)
    let code = fields.string("code")
    let asserts = fields.strings("test_list", required: true) ?? []
    let setup = fields.string("test_setup_code", required: false, nonEmpty: false) ?? ""
    if asserts.isEmpty && fields.raw("test_list") != nil {
      fields.problem("test_list", fields.raw("test_list"), "must hold at least one assert")
    }
    for (i, line) in asserts.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("assert") {
      fields.problem("test_list[\(i)]", .string(line), "must be an assert statement")
    }
    guard let text, let code, let first = asserts.first else { return nil }
    // MBPP does not name the function: it is the one the asserts call that the code defines.
    let defined = code.matches(of: /def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/).map { String($0.1) }
    guard let entry = defined.first(where: { first.contains("\($0)(") }) ?? defined.first else {
      fields.problem("code", .string(code), "defines no function for the asserts to call")
      return nil
    }
    let tests = asserts.map { TestCase.statement($0) }
    return CodingTask(
      id: id, prompt: text, entryPoint: entry, signature: Signature.find(entry, in: code), solution: code,
      tests: tests, testSetup: setup, publicCount: CodingTask.defaultPublicCount(testCount: tests.count),
      origin: Origin(file: fields.file, line: fields.line, format: .mbpp))
  }

  static func crucible(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(
      allowed: [
        "task_id", "prompt", "entry_point", "signature", "solution", "tests", "public", "test", "tags", "level",
        "time_limit", "memory_limit", "checker", "tolerance",
      ],
      shape: "Crucible")
    guard let id = fields.identifier("task_id") else { return nil }
    fields.taskID = id
    let prompt = fields.string("prompt") ?? ""
    var tests = fields.dataTests("tests", required: true) ?? []
    let code = fields.string("test", required: false)
    if let code {
      tests.append(.statement("check(candidate)"))
      if !code.contains("def check(") { fields.problem("test", .string(code), "must define check(candidate)") }
    }
    var task = common(
      &fields, id: id, prompt: prompt, tests: tests,
      origin: Origin(file: fields.file, line: fields.line, format: .crucible))
    task?.solution = fields.string("solution", required: false)
    task?.testSetup = code ?? ""
    return task
  }

  /// Fields shared by the Crucible shape and task directories. Tests of
  /// input and output make a standard-input task (no entry point, no
  /// signature; limits and a checker instead).
  static func common(
    _ fields: inout Fields, id: String, prompt: String, tests: [TestCase], origin: Origin,
    checkerSource: String? = nil
  ) -> CodingTask? {
    let programTests = tests.filter { if case .io = $0.body { true } else { false } }.count
    if programTests > 0 || checkerSource != nil {
      return program(&fields, id: id, prompt: prompt, tests: tests, origin: origin, checkerSource: checkerSource)
    }
    for key in ["time_limit", "memory_limit", "checker", "tolerance"] where fields.has(key) {
      fields.problem(key, fields.raw(key), "applies to standard-input tasks only (tests of input and output)")
    }
    // No tests and no entry point: say what is missing first, for either kind.
    if tests.isEmpty && !fields.has("entry_point") {
      fields.problem(
        "tests", nil,
        "a task needs at least one test: tests/NAME.in and NAME.out or input/output lines for a program, "
          + "or data tests and an entry_point for a function")
      return nil
    }
    let entry = entryPoint(&fields)
    var signature: Signature?
    if let text = fields.string("signature", required: false) {
      signature = Signature.parse(text)
      if signature == nil {
        fields.problem("signature", .string(text), "is not a Python signature like \"def f(x: int) -> int\"")
      } else if let entry, signature?.name != entry {
        fields.problem("signature", .string(text), "names \(signature?.name ?? "?"), but entry_point is \(entry)")
      }
    }
    if tests.isEmpty && fields.problems.isEmpty { fields.problem("tests", nil, "a task needs at least one test") }
    let publicCount =
      fields.integer("public", in: 0...max(0, tests.count)) ?? CodingTask.defaultPublicCount(testCount: tests.count)
    let tags = fields.strings("tags") ?? []
    let level = fields.integer("level", in: 1...10)
    if let args = signature?.parameters.count {
      for (i, test) in tests.enumerated() {
        if case .data(let values, _) = test.body, values.count != args {
          fields.problem("tests[\(i)].args", nil, "has \(values.count) arguments; the signature takes \(args)")
        }
      }
    }
    guard let entry else { return nil }
    return CodingTask(
      id: id, prompt: prompt, entryPoint: entry, signature: signature, tests: tests, publicCount: publicCount,
      tags: tags, level: level, origin: origin)
  }

  /// A standard-input task: every test is input and output.
  static func program(
    _ fields: inout Fields, id: String, prompt: String, tests: [TestCase], origin: Origin, checkerSource: String?
  ) -> CodingTask? {
    for key in ["entry_point", "signature"] where fields.has(key) {
      fields.problem(key, fields.raw(key), "a standard-input task (tests of input and output) has no \(key)")
    }
    for (i, test) in tests.enumerated() {
      if case .io = test.body { continue }
      fields.problem(
        "tests[\(i)]", nil, "is a function test; a task's tests are all function tests or all input and output")
      break
    }
    if tests.isEmpty && fields.problems.isEmpty { fields.problem("tests", nil, "a task needs at least one test") }
    let io = fields.programIO(checkerSource: checkerSource)
    let publicCount =
      fields.integer("public", in: 0...max(0, tests.count)) ?? CodingTask.defaultPublicCount(testCount: tests.count)
    return CodingTask(
      id: id, prompt: prompt, entryPoint: "", tests: tests, publicCount: publicCount,
      tags: fields.strings("tags") ?? [],
      level: fields.integer("level", in: 1...10), origin: origin, io: io)
  }

  static func entryPoint(_ fields: inout Fields) -> String? {
    guard let entry = fields.string("entry_point") else { return nil }
    guard isIdentifier(entry) else {
      fields.problem("entry_point", .string(entry), "must be a Python identifier")
      return nil
    }
    return entry
  }
}
