import Values

/// LiveCodeBench (livecodebench/code_generation_lite): `question_id`,
/// `question_content`, `starter_code`, `public_test_cases` and
/// `private_test_cases` (strings holding a JSON list of
/// `{"input", "output", "testtype"}`; the private ones often compressed),
/// `metadata` (a string holding JSON, with `func_name` for LeetCode), and
/// the labels `question_title`, `platform`, `contest_id`, `contest_date`,
/// `difficulty`. The dataset has no reference programs; a row may add one
/// as `solution` (Crucible's own field).
extension TaskShapes {
  static let liveCodeBenchFields = [
    "question_title", "question_content", "platform", "question_id", "contest_id", "contest_date", "starter_code",
    "difficulty", "public_test_cases", "private_test_cases", "metadata", "solution",
  ]

  /// LiveCodeBench's evaluator's time limit per test (`timeout=6`).
  static let liveCodeBenchTimeLimit = 6.0

  static func liveCodeBench(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(allowed: Set(liveCodeBenchFields), shape: "LiveCodeBench")
    let questionID = fields.stringIdentifier("question_id")
    let id = questionID.map { "LCB/\($0)" }
    fields.taskID = id
    let content = fields.string("question_content")
    _ = fields.string("question_title", required: false, nonEmpty: false)
    _ = fields.string("contest_id", required: false, nonEmpty: false)
    _ = fields.string("contest_date", required: false, nonEmpty: false)
    let starter = fields.string("starter_code", required: false, nonEmpty: false) ?? ""
    let solution = fields.string("solution", required: false)
    var tags: [String] = []
    for (key, values) in [
      ("platform", ["leetcode", "codeforces", "atcoder"]), ("difficulty", ["easy", "medium", "hard"]),
    ] {
      guard let value = fields.string(key, required: false, nonEmpty: false) else { continue }
      if values.contains(value) {
        tags.append(value)
      } else {
        fields.problem(key, .string(value), "must be one of \(values.joined(separator: ", "))")
      }
    }
    let entry = liveCodeBenchFunctionName(&fields)
    let publicCases = liveCodeBenchCases(&fields, "public_test_cases")
    let privateCases = liveCodeBenchCases(&fields, "private_test_cases")
    guard let publicCases, let privateCases else { return nil }
    let cases = publicCases + privateCases
    if cases.isEmpty {
      fields.problem("public_test_cases", nil, "the problem has no tests (public or private): a task needs one")
      return nil
    }
    let functional = cases.filter { $0.functional }.count
    if functional != 0 && functional != cases.count {
      let first = cases.firstIndex { $0.functional != cases[0].functional }!
      fields.problem(
        cases[first].path + ".testtype", .string(cases[first].functional ? "functional" : "stdin"),
        "differs from the first test's: a task's tests are all stdin or all functional")
      return nil
    }
    let publicCount = DatasetShapes.publicCount(publicCases.count, of: cases.count)
    let origin = Origin(file: fields.file, line: fields.line, format: .liveCodeBench)
    if functional == 0 {
      if let entry {
        fields.problem(
          "metadata", fields.raw("metadata"), "names func_name \(entry), but the tests are stdin (a whole program)")
      }
      guard let id, let content, fields.problems.isEmpty else { return nil }
      return CodingTask(
        id: id, prompt: DatasetShapes.programPrompt(content, starter: starter), entryPoint: "", solution: solution,
        tests: cases.map { .io($0.input, $0.output) }, publicCount: publicCount, tags: tags, origin: origin,
        io: ProgramIO(timeLimitSeconds: liveCodeBenchTimeLimit))
    }
    guard let entry else {
      if fields.problems.isEmpty {
        fields.problem(
          "metadata", fields.raw("metadata"), "has no func_name, but the tests are functional: they call a function")
      }
      return nil
    }
    let helper = DatasetShapes.helperName(avoiding: entry)
    var tests: [TestCase] = []
    for test in cases {
      guard let args = liveCodeBenchArguments(&fields, test.input, test.path + ".input") else { continue }
      let expected: JSON
      do {
        expected = try JSON.parse(test.output)
      } catch {
        fields.problem(
          test.path + ".output", .string(test.output),
          "is not one JSON value (column \(error.column)): \(error.message)"
        )
        continue
      }
      let call = DatasetShapes.call(entry, args.map { DatasetShapes.pythonLiteral($0) })
      tests.append(.statement("assert \(helper)(\(call)) == \(DatasetShapes.pythonLiteral(expected))"))
    }
    guard let id, let content, fields.problems.isEmpty else { return nil }
    return CodingTask(
      id: id, prompt: DatasetShapes.functionPrompt(content, starter: starter, entry: entry), entryPoint: entry,
      signature: DatasetShapes.starterSignature(entry, in: starter),
      solution: solution.map { DatasetShapes.adapted($0, entry: entry) }, tests: tests,
      testSetup: DatasetShapes.listsHelper(named: helper), publicCount: publicCount, tags: tags, origin: origin)
  }

  /// `metadata`'s `func_name`, when it has one.
  static func liveCodeBenchFunctionName(_ fields: inout Fields) -> String? {
    guard fields.has("metadata"), let json = fields.embeddedJSON("metadata", required: false) else { return nil }
    guard case .object(let members) = json else {
      fields.problem("metadata", fields.raw("metadata"), "must hold a JSON object, not \(json.kind)")
      return nil
    }
    switch members.first(where: { $0.key == "func_name" })?.value {
    case nil, .null?: return nil
    case .string(let name)? where isIdentifier(name): return name
    case let other?:
      fields.problem("metadata.func_name", other, "must be a Python identifier (the function the tests call)")
      return nil
    }
  }

  struct LiveCodeBenchCase {
    var input: String
    var output: String
    var functional: Bool
    /// Where it is, for problems: `private_test_cases[3]`.
    var path: String
  }

  /// The test cases of `key`: a JSON list, or (the private ones, usually)
  /// that list's JSON text pickled, zlib-compressed and base64-encoded.
  static func liveCodeBenchCases(_ fields: inout Fields, _ key: String) -> [LiveCodeBenchCase]? {
    guard let value = fields.raw(key) else {
      fields.problem(key, nil, "is missing")
      return nil
    }
    guard case .string(let text) = value else {
      fields.problem(key, value, "must be a string holding JSON, not \(value.kind)")
      return nil
    }
    var json: JSON
    do {
      json = try JSON.parse(text)
    } catch {
      let failure = error
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      let looksEncoded = !trimmed.isEmpty && !trimmed.hasPrefix("[") && !trimmed.hasPrefix("{")
      guard looksEncoded else {
        fields.problem(
          key, value, "holds invalid JSON (line \(failure.line), column \(failure.column)): \(failure.message)")
        return nil
      }
      do {
        json = try JSON.parse(try PickledText.decode(trimmed))
      } catch let error as PickledText.Failure {
        fields.problem(key, value, error.message)
        return nil
      } catch let error as JSONError {
        fields.problem(
          key, value,
          "decompresses to invalid JSON (line \(error.line), column \(error.column)): \(error.message)")
        return nil
      } catch {
        fields.problem(key, value, "cannot be read: \(error)")
        return nil
      }
    }
    guard let items = fields.array(json, key, of: "test cases") else { return nil }
    var cases: [LiveCodeBenchCase] = []
    for (i, item) in items.enumerated() {
      let path = "\(key)[\(i)]"
      guard let members = fields.object(item, path, allowed: ["input", "output", "testtype"]) else { continue }
      let input = fields.member(members, "input", path).flatMap { fields.text($0, path + ".input") }
      let output = fields.member(members, "output", path).flatMap { fields.text($0, path + ".output") }
      let type = fields.member(members, "testtype", path).flatMap { fields.text($0, path + ".testtype") }
      guard let input, let output, let type else { continue }
      guard type == "stdin" || type == "functional" else {
        fields.problem(path + ".testtype", .string(type), "must be stdin or functional")
        continue
      }
      cases.append(LiveCodeBenchCase(input: input, output: output, functional: type == "functional", path: path))
    }
    return cases.count == items.count ? cases : nil
  }

  /// A functional test's input: one JSON value per line, an argument each
  /// (blank lines at the end ignored).
  static func liveCodeBenchArguments(_ fields: inout Fields, _ input: String, _ path: String) -> [JSON]? {
    var lines = input.split(separator: "\n", omittingEmptySubsequences: false)
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    var args: [JSON] = []
    for (i, line) in lines.enumerated() {
      do {
        args.append(try JSON.parse(String(line)))
      } catch {
        fields.problem(
          path, .string(input),
          "line \(i + 1) is not one JSON value (column \(error.column)): \(error.message); a functional test's "
            + "input is one JSON value per argument, a line each")
        return nil
      }
    }
    return args
  }
}
