import Values

/// APPS (codeparrot/apps on Hugging Face): `problem_id`, `question`,
/// `solutions` and `input_output` (strings holding JSON), `difficulty`,
/// `url`, `starter_code`. Without `fn_name` a problem reads standard input;
/// with it, the tests call that function (docs/tasks.md has the rules).
extension TaskShapes {
  static let appsFields = ["problem_id", "question", "solutions", "input_output", "difficulty", "url", "starter_code"]

  /// The APPS evaluator's time limit per test (`timeout = 4` in its
  /// `testing_util.py`).
  static let appsTimeLimit = 4.0

  static func apps(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(allowed: Set(appsFields), shape: "APPS")
    let number = fields.requiredInteger("problem_id", in: 0...Int.max)
    let id = number.map { "APPS/\($0)" }
    fields.taskID = id
    let question = fields.string("question")
    let starter = fields.string("starter_code", required: false, nonEmpty: false) ?? ""
    let difficulty = fields.string("difficulty", required: false, nonEmpty: false)
    _ = fields.string("url", required: false, nonEmpty: false)
    let reference = appsReference(&fields)
    if case .string(let text)? = fields.raw("input_output"), text.allSatisfy(\.isWhitespace) {
      fields.problem(
        "input_output", fields.raw("input_output"), "is empty: the problem has no tests, and a task needs one")
      return nil
    }
    let spec = fields.embeddedJSON("input_output", required: true)
    guard let spec, let io = fields.object(spec, "input_output", allowed: ["inputs", "outputs", "fn_name"]) else {
      return nil
    }
    let inputs = fields.member(io, "inputs", "input_output").flatMap {
      fields.array($0, "input_output.inputs", of: "test inputs")
    }
    let outputs = fields.member(io, "outputs", "input_output").flatMap {
      fields.array($0, "input_output.outputs", of: "expected outputs")
    }
    var entry: String?
    switch io.first(where: { $0.key == "fn_name" })?.value {
    case nil, .null?: break
    case .string(let name)?:
      if isIdentifier(name) {
        entry = name
      } else {
        fields.problem("input_output.fn_name", .string(name), "must be a Python identifier")
      }
    case let other?:
      fields.problem("input_output.fn_name", other, "must be a string (the function's name), not \(other.kind)")
    }
    guard let inputs, let outputs else { return nil }
    if inputs.count != outputs.count {
      fields.problem(
        "input_output.outputs", nil, "holds \(outputs.count) outputs for \(inputs.count) inputs: they must pair up")
      return nil
    }
    if inputs.isEmpty {
      fields.problem("input_output.inputs", .array([]), "holds no tests: a task needs at least one")
      return nil
    }
    let tags = difficulty.map { $0.isEmpty ? [] : [$0] } ?? []
    let origin = Origin(file: fields.file, line: fields.line, format: .apps)
    if io.contains(where: { $0.key == "fn_name" }), entry == nil { return nil }
    if let entry {
      let tests = appsFunctionTests(&fields, entry: entry, inputs: inputs, outputs: outputs)
      guard let id, let question, let tests, fields.problems.isEmpty else { return nil }
      return CodingTask(
        id: id, prompt: DatasetShapes.functionPrompt(question, starter: starter, entry: entry), entryPoint: entry,
        signature: DatasetShapes.starterSignature(entry, in: starter),
        solution: reference.map { DatasetShapes.adapted($0, entry: entry) }, tests: tests,
        testSetup: DatasetShapes.listsHelper(named: DatasetShapes.helperName(avoiding: entry)),
        publicCount: CodingTask.defaultPublicCount(testCount: tests.count), tags: tags, origin: origin)
    }
    var tests: [TestCase] = []
    for (i, (input, output)) in zip(inputs, outputs).enumerated() {
      let inText = appsText(&fields, input, "input_output.inputs[\(i)]")
      let outText = appsText(&fields, output, "input_output.outputs[\(i)]")
      if let inText, let outText { tests.append(.io(inText, outText)) }
    }
    guard let id, let question, fields.problems.isEmpty else { return nil }
    return CodingTask(
      id: id, prompt: DatasetShapes.programPrompt(question, starter: starter), entryPoint: "", solution: reference,
      tests: tests, publicCount: CodingTask.defaultPublicCount(testCount: tests.count), tags: tags, origin: origin,
      io: ProgramIO(timeLimitSeconds: appsTimeLimit))
  }

  /// The first of `solutions` (a string holding a JSON list of programs;
  /// `""` or missing when the problem has none).
  static func appsReference(_ fields: inout Fields) -> String? {
    guard let value = fields.raw("solutions") else { return nil }
    if case .string(let text) = value, text.allSatisfy(\.isWhitespace) { return nil }
    guard let json = fields.embeddedJSON("solutions", required: false) else { return nil }
    guard let items = fields.array(json, "solutions", of: "programs (strings)") else { return nil }
    var first: String?
    for (i, item) in items.enumerated() {
      guard case .string(let program) = item else {
        fields.problem("solutions[\(i)]", item, "must be a string (a program), not \(item.kind)")
        continue
      }
      if i == 0 { first = program }
    }
    return first
  }

  /// A standard-input test's text: a string, or a list of lines (each then
  /// ends with a line break), as APPS's evaluator joins them.
  static func appsText(_ fields: inout Fields, _ json: JSON, _ path: String) -> String? {
    switch json {
    case .string(let s): return s
    case .array(let items):
      var lines: [String] = []
      for (i, item) in items.enumerated() {
        guard case .string(let line) = item else {
          fields.problem("\(path)[\(i)]", item, "must be a string (a line), not \(item.kind)")
          return nil
        }
        lines.append(line)
      }
      return lines.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
    default:
      fields.problem(path, json, "must be a string or a list of lines, not \(json.kind)")
      return nil
    }
  }

  /// APPS's call-based tests as statements. Its evaluator passes when the
  /// returned value (a tuple made a list) equals the expected one, or, the
  /// expected being a non-empty list, its first element. Here only a
  /// one-element list is unwrapped so (`[x]` accepts `x`): unwrapping a
  /// longer list would accept its first element as the whole answer.
  /// Equality is Python's `==`, as there. A dict whose keys all read as
  /// ints, as the only argument, the expected value or the only element of
  /// the expected list, gets int keys, as APPS converts them; an expected
  /// dict is then accepted in a one-element list too, as there.
  static func appsFunctionTests(_ fields: inout Fields, entry: String, inputs: [JSON], outputs: [JSON]) -> [TestCase]? {
    let helper = DatasetShapes.helperName(avoiding: entry)
    var tests: [TestCase] = []
    for (i, (input, output)) in zip(inputs, outputs).enumerated() {
      guard case .array(let args) = input else {
        fields.problem(
          "input_output.inputs[\(i)]", input, "must be a list of the arguments of \(entry), not \(input.kind)")
        continue
      }
      let single = args.count == 1 && DatasetShapes.hasIntegerKeys(args[0])
      let call = DatasetShapes.call(entry, args.map { DatasetShapes.pythonLiteral($0, integerKeys: single) })
      let returned = "\(helper)(\(call))"
      switch output {
      case .array(let items) where items.count == 1:
        let keys = DatasetShapes.hasIntegerKeys(items[0])
        let element = DatasetShapes.pythonLiteral(items[0], integerKeys: keys)
        tests.append(.statement("assert \(returned) in ([\(element)], \(element))"))
      case .object where DatasetShapes.hasIntegerKeys(output):
        let element = DatasetShapes.pythonLiteral(output, integerKeys: true)
        tests.append(.statement("assert \(returned) in ([\(element)], \(element))"))
      default:
        tests.append(.statement("assert \(returned) == \(DatasetShapes.pythonLiteral(output))"))
      }
    }
    return tests.count == inputs.count ? tests : nil
  }
}
