import Values

/// Reads the fields of one task's JSON object, recording a problem for each
/// missing, mistyped or unknown field instead of stopping at the first.
struct Fields {
  let members: [(key: String, value: JSON)]
  let file: String
  let line: Int?
  var taskID: String?
  var problems: [SuiteProblem] = []

  init(_ members: [(key: String, value: JSON)], file: String, line: Int?) {
    self.members = members
    self.file = file
    self.line = line
  }

  func has(_ key: String) -> Bool { members.contains { $0.key == key } }
  func raw(_ key: String) -> JSON? { members.first { $0.key == key }?.value }

  mutating func problem(_ field: String?, _ value: JSON?, _ message: String) {
    problems.append(
      SuiteProblem(file: file, line: line, taskID: taskID, field: field, value: value.map(\.text), message: message))
  }

  mutating func string(_ key: String, required: Bool = true, nonEmpty: Bool = true) -> String? {
    guard let value = raw(key) else {
      if required { problem(key, nil, "is missing") }
      return nil
    }
    guard case .string(let s) = value else {
      problem(key, value, "must be a string, not \(value.kind)")
      return nil
    }
    if nonEmpty && s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      problem(key, value, "must not be empty")
      return nil
    }
    return s
  }

  /// A string, or an integer written as a number (MBPP's task ids); never
  /// one with a control character or a line break in it, which would break
  /// every table, report and file name that shows it.
  mutating func identifier(_ key: String) -> String? {
    if case .number(let lexeme, isInteger: true)? = raw(key) { return lexeme }
    guard let id = string(key) else { return nil }
    if id.unicodeScalars.contains(where: {
      $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}"
    }) {
      problem(key, raw(key), "must not contain control characters or line breaks")
      return nil
    }
    return id
  }

  mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
    guard let value = raw(key) else { return nil }
    guard case .number(let lexeme, isInteger: true) = value else {
      problem(key, value, "must be an integer, not \(value.kind)")
      return nil
    }
    guard let n = Int(lexeme) else {
      problem(key, value, "must be between \(range.lowerBound) and \(range.upperBound)")
      return nil
    }
    guard range.contains(n) else {
      problem(key, value, "must be between \(range.lowerBound) and \(range.upperBound)")
      return nil
    }
    return n
  }

  mutating func strings(_ key: String, required: Bool = false) -> [String]? {
    guard let value = raw(key) else {
      if required { problem(key, nil, "is missing") }
      return nil
    }
    guard case .array(let items) = value else {
      problem(key, value, "must be an array of strings, not \(value.kind)")
      return nil
    }
    var out: [String] = []
    for (i, item) in items.enumerated() {
      guard case .string(let s) = item else {
        problem("\(key)[\(i)]", item, "must be a string, not \(item.kind)")
        continue
      }
      out.append(s)
    }
    return out
  }

  /// Tests: `[{"args": [...], "expected": value}, ...]` (function calls)
  /// or `[{"input": "...", "output": "..."}, ...]` (a program's standard
  /// input and output).
  mutating func dataTests(_ key: String, required: Bool) -> [TestCase]? {
    guard let value = raw(key) else {
      if required { problem(key, nil, "is missing") }
      return nil
    }
    guard case .array(let items) = value else {
      problem(
        key, value,
        "must be an array of {\"args\": [...], \"expected\": ...} or {\"input\": ..., \"output\": ...} objects, "
          + "not \(value.kind)")
      return nil
    }
    var tests: [TestCase] = []
    for (i, item) in items.enumerated() {
      if let test = dataTest(item, field: "\(key)[\(i)]") { tests.append(test) }
    }
    return tests
  }

  mutating func dataTest(_ item: JSON, field: String) -> TestCase? {
    guard case .object(let test) = item else {
      problem(
        field, item, "must be an object with \"args\" and \"expected\" (or \"input\" and \"output\"), not \(item.kind)")
      return nil
    }
    if test.contains(where: { $0.key == "input" || $0.key == "output" }) { return ioTest(test, field: field) }
    for member in test where member.key != "args" && member.key != "expected" {
      problem("\(field).\(member.key)", member.value, "is not a field of a test (args, expected)")
    }
    guard let argsJSON = test.first(where: { $0.key == "args" })?.value else {
      problem("\(field).args", nil, "is missing")
      return nil
    }
    guard case .array(let argItems) = argsJSON else {
      problem("\(field).args", argsJSON, "must be an array of arguments, not \(argsJSON.kind)")
      return nil
    }
    guard let expectedJSON = test.first(where: { $0.key == "expected" })?.value else {
      problem("\(field).expected", nil, "is missing")
      return nil
    }
    do {
      var args: [Value] = []
      for (j, arg) in argItems.enumerated() { args.append(try Value(json: arg, path: "\(field).args[\(j)]")) }
      let expected = try Value(json: expectedJSON, path: "\(field).expected")
      return .data(args, expected)
    } catch {
      problem(error.path, nil, error.message)
      return nil
    }
  }

  /// `{"input": "...", "output": "..."}`: both strings.
  mutating func ioTest(_ test: [(key: String, value: JSON)], field: String) -> TestCase? {
    for member in test where member.key != "input" && member.key != "output" {
      problem("\(field).\(member.key)", member.value, "is not a field of an input/output test (input, output)")
    }
    var texts: [String] = []
    for key in ["input", "output"] {
      guard let value = test.first(where: { $0.key == key })?.value else {
        problem("\(field).\(key)", nil, "is missing")
        continue
      }
      guard case .string(let text) = value else {
        problem("\(field).\(key)", value, "must be a string, not \(value.kind)")
        continue
      }
      texts.append(text)
    }
    return texts.count == 2 ? .io(texts[0], texts[1]) : nil
  }

  /// A number (integer or not) within `range`.
  mutating func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
    guard let value = raw(key) else { return nil }
    guard case .number(let lexeme, _) = value, let n = Double(lexeme), n.isFinite else {
      problem(key, value, "must be a number, not \(value.kind)")
      return nil
    }
    guard range.contains(n) else {
      problem(key, value, "must be between \(range.lowerBound) and \(range.upperBound)")
      return nil
    }
    return n
  }

  /// A standard-input task's limits and checker: `time_limit` (seconds per
  /// test), `memory_limit` (MiB), `checker` and `tolerance` (with `float`).
  /// `checkerSource` is a task directory's `checker.py`, if it has one.
  mutating func programIO(checkerSource: String?) -> ProgramIO {
    var io = ProgramIO()
    io.timeLimitSeconds = number("time_limit", in: 0.05...60) ?? ProgramIO.defaultTimeLimit
    io.memoryLimitMiB = integer("memory_limit", in: 16...4096) ?? ProgramIO.defaultMemoryLimit
    let names = ["tokens", "exact", "lines", "float", "checker.py"]
    let name = string("checker", required: false) ?? (checkerSource != nil ? "checker.py" : "tokens")
    switch name {
    case "tokens": io.checker = .tokens
    case "exact": io.checker = .exact
    case "lines": io.checker = .lines
    case "float": io.checker = .float(tolerance: OutputChecker.defaultTolerance)
    case "checker.py":
      if let checkerSource {
        io.checker = .program(checkerSource)
      } else {
        problem("checker", raw("checker"), "names checker.py, but the task has no checker.py")
      }
    default:
      problem("checker", raw("checker"), "must be one of \(names.joined(separator: ", "))")
    }
    if checkerSource != nil && name != "checker.py" {
      problem("checker", raw("checker"), "is \(name), but the task has a checker.py (say \"checker.py\" or remove it)")
    }
    if let tolerance = number("tolerance", in: 0...0.5) {
      if case .float = io.checker {
        io.checker = .float(tolerance: tolerance)
      } else {
        problem("tolerance", raw("tolerance"), "applies to the float checker only (checker is \(name))")
      }
    }
    return io
  }

  mutating func rejectUnknown(allowed: Set<String>, shape: String) {
    for member in members where !allowed.contains(member.key) {
      problem(
        member.key, member.value,
        "is not a field of \("AEIOU".contains(shape.prefix(1)) ? "an" : "a") \(shape) task (known: "
          + "\(allowed.sorted().joined(separator: ", ")))")
    }
  }
}
