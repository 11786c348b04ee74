import Values

/// CodeContests (deepmind/code_contests): `name`, `description`, tests in
/// `public_tests`, `private_tests` and `generated_tests` (each
/// `{"input": [...], "output": [...]}`), `solutions` by language, and the
/// judge's `time_limit` and `memory_limit_bytes`. Every problem reads
/// standard input.
extension TaskShapes {
  static let codeContestsFields = [
    "name", "description", "public_tests", "private_tests", "generated_tests", "source", "difficulty", "solutions",
    "incorrect_solutions", "cf_contest_id", "cf_index", "cf_points", "cf_rating", "cf_tags",
    "is_description_translated", "untranslated_description", "time_limit", "memory_limit_bytes", "input_file",
    "output_file",
  ]

  /// CodeContests' language numbers: 1 is Python 2, 3 Python 3.
  static let codeContestsPython3 = 3

  /// Time limits are clamped into this range (seconds), memory limits into
  /// the next (MiB): the dataset's are a C++ judge's, and a Python
  /// interpreter needs some of both before it reads its input.
  static let codeContestsTimeRange = 1.0...30.0
  static let codeContestsMemoryRange = 64...4096

  static func codeContests(_ fields: inout Fields) -> CodingTask? {
    fields.rejectUnknown(allowed: Set(codeContestsFields), shape: "CodeContests")
    let id = fields.identifier("name")
    fields.taskID = id
    let description = fields.string("description")
    var tests: [TestCase] = []
    var publicTests = 0
    for key in ["public_tests", "private_tests", "generated_tests"] {
      guard let value = fields.raw(key), value != .null else { continue }
      let part = codeContestsTests(&fields, value, key)
      if key == "public_tests" { publicTests = part.count }
      tests += part
    }
    let reference = codeContestsReference(&fields, "solutions")
    if let value = fields.raw("incorrect_solutions"), value != .null {
      _ = codeContestsReference(&fields, "incorrect_solutions")
    }
    let io = codeContestsLimits(&fields)
    for key in ["input_file", "output_file"] {
      guard let value = fields.raw(key), value != .null else { continue }
      guard let name = fields.text(value, key) else { continue }
      if !name.isEmpty {
        fields.problem(
          key, value,
          "names a file the program must use; Crucible judges standard input and output only, so it cannot judge "
            + "this problem")
      }
    }
    for (key, kind) in [
      ("source", DatasetShapes.Kind.integer), ("difficulty", .integer), ("cf_contest_id", .integer),
      ("cf_index", .string), ("cf_points", .number), ("cf_rating", .integer), ("cf_tags", .strings),
      ("is_description_translated", .boolean), ("untranslated_description", .string),
    ] {
      fields.expectKind(key, kind)
    }
    var tags: [String] = []
    if case .array(let items)? = fields.raw("cf_tags") {
      for case .string(let tag) in items where !tag.isEmpty { tags.append(tag) }
    }
    if tests.isEmpty && fields.problems.isEmpty {
      fields.problem("public_tests", nil, "the problem has no tests (public, private or generated): a task needs one")
    }
    guard let id, let description, fields.problems.isEmpty else { return nil }
    return CodingTask(
      id: id, prompt: description, entryPoint: "", solution: reference, tests: tests,
      publicCount: DatasetShapes.publicCount(publicTests, of: tests.count), tags: tags,
      origin: Origin(file: fields.file, line: fields.line, format: .codeContests), io: io)
  }

  /// `{"input": [...], "output": [...]}`: as many outputs as inputs.
  static func codeContestsTests(_ fields: inout Fields, _ value: JSON, _ key: String) -> [TestCase] {
    guard let members = fields.object(value, key, allowed: ["input", "output"]) else { return [] }
    let inputs = fields.member(members, "input", key).flatMap { fields.texts($0, "\(key).input") }
    let outputs = fields.member(members, "output", key).flatMap { fields.texts($0, "\(key).output") }
    guard let inputs, let outputs else { return [] }
    guard inputs.count == outputs.count else {
      fields.problem(
        "\(key).output", nil, "holds \(outputs.count) outputs for \(inputs.count) inputs: they must pair up")
      return []
    }
    return zip(inputs, outputs).map { .io($0, $1) }
  }

  /// `{"language": [ints], "solution": [programs]}`: the first Python 3
  /// program (nil when there is none).
  static func codeContestsReference(_ fields: inout Fields, _ key: String) -> String? {
    guard let value = fields.raw(key), value != .null else { return nil }
    guard let members = fields.object(value, key, allowed: ["language", "solution"]) else { return nil }
    var languages: [Int] = []
    if let list = fields.member(members, "language", key).flatMap({ fields.array($0, "\(key).language", of: "ints") }) {
      for (i, item) in list.enumerated() {
        if let n = fields.integer(item, "\(key).language[\(i)]", in: 0...1000) { languages.append(n) }
      }
      if languages.count != list.count { return nil }
    }
    let programs = fields.member(members, "solution", key).flatMap { fields.texts($0, "\(key).solution") }
    guard let programs else { return nil }
    guard languages.count == programs.count else {
      fields.problem(
        "\(key).solution", nil, "holds \(programs.count) programs for \(languages.count) languages: they must pair up")
      return nil
    }
    return zip(languages, programs).first { $0.0 == codeContestsPython3 }?.1
  }

  /// `time_limit` (`{"seconds": s, "nanos": n}` or null) and
  /// `memory_limit_bytes`, clamped; 2 s and 256 MiB when absent or zero.
  static func codeContestsLimits(_ fields: inout Fields) -> ProgramIO {
    var io = ProgramIO()
    if let value = fields.raw("time_limit"), value != .null,
      let members = fields.object(value, "time_limit", allowed: ["seconds", "nanos"])
    {
      var seconds = 0.0
      if let s = members.first(where: { $0.key == "seconds" })?.value {
        seconds += Double(fields.integer(s, "time_limit.seconds", in: 0...86_400) ?? 0)
      }
      if let n = members.first(where: { $0.key == "nanos" })?.value {
        seconds += Double(fields.integer(n, "time_limit.nanos", in: 0...999_999_999) ?? 0) / 1e9
      }
      if seconds > 0 {
        io.timeLimitSeconds = min(max(seconds, codeContestsTimeRange.lowerBound), codeContestsTimeRange.upperBound)
      }
    }
    if let value = fields.raw("memory_limit_bytes"), value != .null,
      let bytes = fields.integer(value, "memory_limit_bytes", in: 0...(1 << 40)), bytes > 0
    {
      let mebibytes = (bytes + (1 << 20) - 1) >> 20
      io.memoryLimitMiB = min(max(mebibytes, codeContestsMemoryRange.lowerBound), codeContestsMemoryRange.upperBound)
    }
    return io
  }
}
