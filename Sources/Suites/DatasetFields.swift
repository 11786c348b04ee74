import Values

/// Reading the values nested inside a field, for the shapes of the
/// datasets people download (APPS, CodeContests, LiveCodeBench), which keep
/// their tests in objects and in strings holding JSON. Every problem names
/// the path of the value (`input_output.inputs[2]`, `public_tests.output`).
extension Fields {
  /// A field that is a string holding JSON (how those datasets store their
  /// tests and metadata).
  mutating func embeddedJSON(_ key: String, required: Bool) -> JSON? {
    guard let value = raw(key) else {
      if required { problem(key, nil, "is missing") }
      return nil
    }
    guard case .string(let text) = value else {
      problem(key, value, "must be a string holding JSON, not \(value.kind)")
      return nil
    }
    if text.allSatisfy(\.isWhitespace) {
      problem(key, value, "is empty: it must hold JSON")
      return nil
    }
    do {
      return try JSON.parse(text)
    } catch {
      problem(key, value, "holds invalid JSON (line \(error.line), column \(error.column)): \(error.message)")
      return nil
    }
  }

  /// `json` as an object whose keys are all in `allowed`.
  mutating func object(_ json: JSON, _ path: String, allowed: [String]) -> [(key: String, value: JSON)]? {
    guard case .object(let members) = json else {
      problem(path, json, "must be an object, not \(json.kind)")
      return nil
    }
    for member in members where !allowed.contains(member.key) {
      problem("\(path).\(member.key)", member.value, "is not a field here (known: \(allowed.joined(separator: ", ")))")
    }
    return members
  }

  /// The member `key` of an object, or a problem when it is missing.
  mutating func member(_ members: [(key: String, value: JSON)], _ key: String, _ path: String) -> JSON? {
    guard let value = members.first(where: { $0.key == key })?.value else {
      problem("\(path).\(key)", nil, "is missing")
      return nil
    }
    return value
  }

  mutating func array(_ json: JSON, _ path: String, of what: String) -> [JSON]? {
    guard case .array(let items) = json else {
      problem(path, json, "must be an array of \(what), not \(json.kind)")
      return nil
    }
    return items
  }

  mutating func text(_ json: JSON, _ path: String) -> String? {
    guard case .string(let s) = json else {
      problem(path, json, "must be a string, not \(json.kind)")
      return nil
    }
    return s
  }

  /// An array of strings.
  mutating func texts(_ json: JSON, _ path: String) -> [String]? {
    guard let items = array(json, path, of: "strings") else { return nil }
    var out: [String] = []
    var ok = true
    for (i, item) in items.enumerated() {
      if let s = text(item, "\(path)[\(i)]") { out.append(s) } else { ok = false }
    }
    return ok ? out : nil
  }

  /// An integer within `range`.
  mutating func integer(_ json: JSON, _ path: String, in range: ClosedRange<Int>) -> Int? {
    guard case .number(let lexeme, isInteger: true) = json else {
      problem(path, json, "must be an integer, not \(json.kind)")
      return nil
    }
    guard let n = Int(lexeme), range.contains(n) else {
      problem(path, json, "must be between \(range.lowerBound) and \(range.upperBound)")
      return nil
    }
    return n
  }

  /// A required integer field within `range`.
  mutating func requiredInteger(_ key: String, in range: ClosedRange<Int>) -> Int? {
    guard let value = raw(key) else {
      problem(key, nil, "is missing")
      return nil
    }
    return integer(value, key, in: range)
  }

  /// An optional field of a given JSON kind whose value Crucible does not
  /// use (a dataset's metadata): checked, so that a mistyped one is still a
  /// problem. `null` is accepted for any of them.
  mutating func expectKind(_ key: String, _ kind: DatasetShapes.Kind) {
    guard let value = raw(key) else { return }
    switch (kind, value) {
    case (_, .null), (.string, .string), (.integer, .number(_, isInteger: true)), (.number, .number), (.boolean, .bool):
      return
    case (.strings, .array):
      _ = texts(value, key)
    default:
      problem(key, value, "must be \(kind.rawValue), not \(value.kind)")
    }
  }

  /// An identifier field that must be a string (never a number).
  mutating func stringIdentifier(_ key: String) -> String? {
    if let value = raw(key), case .number = value {
      problem(key, value, "must be a string, not \(value.kind)")
      return nil
    }
    return identifier(key)
  }
}

/// What the dataset importers share: Python literals of JSON values, the
/// test code of function tasks, LeetCode's `class Solution`, limits.
enum DatasetShapes {
  enum Kind: String {
    case string = "a string"
    case integer = "an integer"
    case number = "a number"
    case boolean = "a boolean"
    case strings = "an array of strings"
  }

  /// The Python literal of a JSON value as `json.loads` reads it: objects
  /// are dicts with string keys (never Crucible's tagged values), numbers
  /// without fraction or exponent ints, others floats (`1e999` for an
  /// infinity, `(1e999 - 1e999)` for NaN: literals that need no name, which
  /// a task's function could shadow). With `integerKeys`, the keys of this
  /// object (not of objects inside it) are ints.
  static func pythonLiteral(_ json: JSON, integerKeys: Bool = false) -> String {
    var out = ""
    write(json, integerKeys: integerKeys, to: &out)
    return out
  }

  private static func write(_ json: JSON, integerKeys: Bool, to out: inout String) {
    switch json {
    case .null: out += "None"
    case .bool(let b): out += b ? "True" : "False"
    case .string(let s): out += Value.pythonString(s)
    case .number(let lexeme, let isInteger):
      if isInteger, let value = Value.integer(lexeme) {
        out += value.pythonLiteral
      } else {
        let d: Double =
          switch lexeme {
          case "NaN": .nan
          case "Infinity": .infinity
          case "-Infinity": -.infinity
          default: Double(lexeme) ?? .nan
          }
        out += d.isNaN ? "(1e999 - 1e999)" : d.isInfinite ? (d < 0 ? "(-1e999)" : "1e999") : Value.pythonFloat(d)
      }
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += ", " }
        write(item, integerKeys: false, to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, member) in members.enumerated() {
        if i > 0 { out += ", " }
        if integerKeys, let key = integerKey(member.key) {
          out += key
        } else {
          out += Value.pythonString(member.key)
        }
        out += ": "
        write(member.value, integerKeys: false, to: &out)
      }
      out += "}"
    }
  }

  /// The int a dict key reads as with Python's `int()` (optional sign,
  /// digits, surrounding spaces), as a literal; nil when it is not one.
  static func integerKey(_ key: String) -> String? {
    var text = Substring(key.trimmingCharacters(in: .whitespaces))
    var sign = ""
    if let first = text.first, first == "-" || first == "+" {
      sign = first == "-" ? "-" : ""
      text = text.dropFirst()
    }
    guard !text.isEmpty, text.count <= 4000, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Value.integer(sign + text)?.pythonLiteral
  }

  /// An object whose keys all read as ints (APPS turns such keys, which
  /// JSON could only write as strings, back into ints).
  static func hasIntegerKeys(_ json: JSON) -> Bool {
    guard case .object(let members) = json, !members.isEmpty else { return false }
    return members.allSatisfy { integerKey($0.key) != nil }
  }

  /// The test side's helper for function tasks imported from APPS and
  /// LiveCodeBench: their expected values come from JSON, which has no
  /// tuples, and both evaluators compare a returned tuple as a list. Its
  /// builtins are bound when it is defined, so an entry point named `list`
  /// or `isinstance` cannot change it.
  static func listsHelper(named name: String) -> String {
    """
    def \(name)(value, _list=list, _tuple=tuple, _isinstance=isinstance):
        \"\"\"The value with every tuple in it (and in its lists) made a list.\"\"\"
        if _isinstance(value, (_list, _tuple)):
            return [\(name)(item) for item in value]
        return value

    """
  }

  /// The helper's name: one that is not the entry point's.
  static func helperName(avoiding entry: String) -> String {
    entry == "as_lists" ? "as_plain_lists" : "as_lists"
  }

  /// Whether `code` defines `class Solution` at the top level (LeetCode's form).
  static func definesSolutionClass(_ code: String) -> Bool {
    code.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
      guard line.hasPrefix("class Solution") else { return false }
      let next = line.dropFirst("class Solution".count).first
      return next == nil || next == ":" || next == "(" || next == " "
    }
  }

  /// Whether `code` defines the function `name` at the top level.
  static func definesFunction(_ name: String, in code: String) -> Bool {
    code.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
      var rest = line
      if rest.hasPrefix("async ") { rest = rest.dropFirst(6).drop { $0 == " " } }
      guard rest.hasPrefix("def ") else { return false }
      rest = rest.dropFirst(4).drop { $0 == " " }
      return rest.hasPrefix(name) && rest.dropFirst(name.count).drop { $0 == " " }.first == "("
    }
  }

  /// A reference program as the tests call it: a LeetCode `class Solution`
  /// without a top-level function of the entry point's name gets one that
  /// calls the method on a fresh `Solution()`, as the evaluators do.
  static func adapted(_ program: String, entry: String) -> String {
    guard definesSolutionClass(program), !definesFunction(entry, in: program) else { return program }
    var code = program
    while code.hasSuffix("\n") || code.hasSuffix(" ") { code.removeLast() }
    return code + "\n\n\ndef \(entry)(*args):\n    return Solution().\(entry)(*args)\n"
  }

  /// The signature of `entry` in the starter code, without LeetCode's `self`.
  static func starterSignature(_ entry: String, in starter: String) -> Signature? {
    guard var signature = Signature.find(entry, in: starter) else { return nil }
    if signature.parameters.first?.name == "self" { signature.parameters.removeFirst() }
    return signature
  }

  /// What the policy reads for a function task: the statement, the starter
  /// code, and, when the starter code is a LeetCode class, how the tests
  /// call it.
  static func functionPrompt(_ statement: String, starter: String, entry: String) -> String {
    var prompt = statement
    let code = starter.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !code.isEmpty else { return prompt }
    prompt += "\n\nStarter code:\n```python\n\(code)\n```"
    if definesSolutionClass(starter) {
      prompt +=
        "\n\nThe tests call `\(entry)(...)` as a function of the module, not as a method: write `\(entry)` "
        + "without `self`, or keep the class and add `def \(entry)(*args): return Solution().\(entry)(*args)`."
    }
    return prompt
  }

  /// A starter code that is not a LeetCode class is shown as it is.
  static func programPrompt(_ statement: String, starter: String) -> String {
    let code = starter.trimmingCharacters(in: .whitespacesAndNewlines)
    return code.isEmpty ? statement : statement + "\n\nStarter code:\n```python\n\(code)\n```"
  }

  /// How many leading tests are public: the dataset's public tests, but
  /// never all of them (something is always hidden, as the default rule
  /// has it).
  static func publicCount(_ count: Int, of total: Int) -> Int {
    min(count, max(0, total - 1))
  }

  /// A call of `entry` as Python: `f(1, [2])`.
  static func call(_ entry: String, _ args: [String]) -> String {
    "\(entry)(\(args.joined(separator: ", ")))"
  }
}
