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

  /// Data tests: `[{"args": [...], "expected": value}, ...]`.
  mutating func dataTests(_ key: String, required: Bool) -> [TestCase]? {
    guard let value = raw(key) else {
      if required { problem(key, nil, "is missing") }
      return nil
    }
    guard case .array(let items) = value else {
      problem(key, value, "must be an array of {\"args\": [...], \"expected\": ...} objects, not \(value.kind)")
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
      problem(field, item, "must be an object with \"args\" and \"expected\", not \(item.kind)")
      return nil
    }
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

  mutating func rejectUnknown(allowed: Set<String>, shape: String) {
    for member in members where !allowed.contains(member.key) {
      problem(
        member.key, member.value,
        "is not a field of a \(shape) task (known: \(allowed.sorted().joined(separator: ", ")))")
    }
  }
}
