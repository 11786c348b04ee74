import Foundation
import Testing
import Values

@testable import Suites

/// Broken rows of APPS, CodeContests and LiveCodeBench: every mutation in
/// the tables is a problem naming the line and the field; random ones never
/// crash the loader.
@Suite(.timeLimit(.minutes(10))) struct DatasetFuzzTests {
  /// A suite file holding `text` (written where the tests write), loaded.
  static func load(_ text: String) throws -> Suite {
    let root = try Fixtures.directory(["s.jsonl": text + "\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    return try Suite.load("\(root)/s.jsonl")
  }

  /// The rows of a sample file, parsed.
  static func rows(_ name: String) throws -> [JSON] {
    let text = try String(contentsOfFile: "\(DatasetShapeTests.examples)/\(name)", encoding: .utf8)
    return try text.split(separator: "\n").map { try JSON.parse(String($0)) }
  }

  /// A change to one row.
  struct Mutation: CustomTestStringConvertible, Sendable {
    var sample: String
    var row: Int
    var what: String
    var set: [(String, JSON?)]
    /// The field the problem must name.
    var field: String
    var testDescription: String { "\(sample) row \(row + 1): \(what)" }

    func apply(_ json: JSON) -> JSON {
      var members = json.objectMembers
      for (key, value) in set {
        if let index = members.firstIndex(where: { $0.key == key }) {
          if let value { members[index].value = value } else { members.remove(at: index) }
        } else if let value {
          members.append((key, value))
        }
      }
      return .object(members)
    }
  }

  static func int(_ lexeme: String) -> JSON { .number(lexeme, isInteger: true) }
  static func s(_ text: String) -> JSON { .string(text) }
  static let huge = "1000000000000000000000000000000"

  static func apps(_ row: Int, _ what: String, _ set: [(String, JSON?)], _ field: String) -> Mutation {
    Mutation(sample: "apps-shape.jsonl", row: row, what: what, set: set, field: field)
  }
  static func cc(_ what: String, _ set: [(String, JSON?)], _ field: String) -> Mutation {
    Mutation(sample: "codecontests-shape.jsonl", row: 0, what: what, set: set, field: field)
  }
  static func lcb(_ row: Int, _ what: String, _ set: [(String, JSON?)], _ field: String) -> Mutation {
    Mutation(sample: "livecodebench-shape.jsonl", row: row, what: what, set: set, field: field)
  }

  static let mutations: [Mutation] = [
    apps(0, "no question", [("question", nil)], "question"),
    apps(0, "no input_output", [("input_output", nil)], "input_output"),
    apps(0, "problem_id a string", [("problem_id", s("90001"))], "problem_id"),
    apps(0, "problem_id with a control character", [("problem_id", s("9\u{7}1"))], "problem_id"),
    apps(0, "problem_id huge", [("problem_id", int(huge))], "problem_id"),
    apps(0, "problem_id negative", [("problem_id", int("-1"))], "problem_id"),
    apps(0, "input_output an object, not a string", [("input_output", .object([]))], "input_output"),
    apps(0, "bad JSON in input_output", [("input_output", s(#"{"inputs": ["1\n"], "outputs": "#))], "input_output"),
    apps(0, "input_output empty", [("input_output", s(""))], "input_output"),
    apps(0, "input_output a list", [("input_output", s("[1, 2]"))], "input_output"),
    apps(
      0, "inputs not a list", [("input_output", s(#"{"inputs": "1\n", "outputs": ["1\n"]}"#))], "input_output.inputs"),
    apps(0, "no outputs", [("input_output", s(#"{"inputs": ["1\n"]}"#))], "input_output.outputs"),
    apps(
      0, "unequal counts", [("input_output", s(#"{"inputs": ["1\n", "2\n"], "outputs": ["1\n"]}"#))],
      "input_output.outputs"),
    apps(0, "no tests", [("input_output", s(#"{"inputs": [], "outputs": []}"#))], "input_output.inputs"),
    apps(
      0, "an input a number", [("input_output", s(#"{"inputs": [5], "outputs": ["5\n"]}"#))], "input_output.inputs[0]"),
    apps(
      0, "an output line a number", [("input_output", s(#"{"inputs": ["1\n"], "outputs": [["1", 2]]}"#))],
      "input_output.outputs[0][1]"),
    apps(
      0, "an unknown key in input_output",
      [("input_output", s(#"{"inputs": ["1\n"], "outputs": ["1\n"], "checker": "x"}"#))], "input_output.checker"),
    apps(0, "an unknown field", [("tests_hidden", .array([]))], "tests_hidden"),
    apps(0, "bad JSON in solutions", [("solutions", s("[\"print(1)\""))], "solutions"),
    apps(0, "solutions not a list", [("solutions", s("{\"a\": 1}"))], "solutions"),
    apps(0, "a solution not a string", [("solutions", s("[1]"))], "solutions[0]"),
    apps(0, "difficulty a number", [("difficulty", int("3"))], "difficulty"),
    apps(
      1, "a call's input not a list", [("input_output", s(#"{"fn_name": "f", "inputs": [5], "outputs": [5]}"#))],
      "input_output.inputs[0]"),
    apps(
      1, "fn_name not an identifier", [("input_output", s(#"{"fn_name": "2f", "inputs": [[1]], "outputs": [1]}"#))],
      "input_output.fn_name"),
    apps(
      1, "fn_name a number", [("input_output", s(#"{"fn_name": 7, "inputs": [[1]], "outputs": [1]}"#))],
      "input_output.fn_name"),
    apps(
      1, "unequal calls", [("input_output", s(#"{"fn_name": "f", "inputs": [[1], [2]], "outputs": [1]}"#))],
      "input_output.outputs"),

    cc("no name", [("name", nil)], "name"),
    cc("no description", [("description", nil)], "description"),
    cc("name with a control character", [("name", s("4242_A.\u{7} Candle"))], "name"),
    cc("name with a line break", [("name", s("4242_A.\nCandle"))], "name"),
    cc("name a list", [("name", .array([]))], "name"),
    cc("public_tests a string", [("public_tests", s("3\n5 2\n"))], "public_tests"),
    cc(
      "public input not a list", [("public_tests", .object([("input", s("1\n")), ("output", .array([]))]))],
      "public_tests.input"),
    cc(
      "a public input a number",
      [("public_tests", .object([("input", .array([int("1")])), ("output", .array([s("1")]))]))],
      "public_tests.input[0]"),
    cc(
      "unequal private tests", [("private_tests", .object([("input", .array([s("1\n")])), ("output", .array([]))]))],
      "private_tests.output"),
    cc(
      "no output in generated tests", [("generated_tests", .object([("input", .array([]))]))], "generated_tests.output"),
    cc(
      "no tests at all",
      [
        ("public_tests", .object([("input", .array([])), ("output", .array([]))])),
        ("private_tests", .object([("input", .array([])), ("output", .array([]))])),
        ("generated_tests", .object([("input", .array([])), ("output", .array([]))])),
      ], "public_tests"),
    cc("time_limit a string", [("time_limit", s("2 seconds"))], "time_limit"),
    cc("time_limit seconds huge", [("time_limit", .object([("seconds", int(huge))]))], "time_limit.seconds"),
    cc("time_limit nanos negative", [("time_limit", .object([("nanos", int("-5"))]))], "time_limit.nanos"),
    cc("time_limit with an unknown key", [("time_limit", .object([("millis", int("5"))]))], "time_limit.millis"),
    cc("memory_limit_bytes huge", [("memory_limit_bytes", int(huge))], "memory_limit_bytes"),
    cc("memory_limit_bytes a string", [("memory_limit_bytes", s("256MB"))], "memory_limit_bytes"),
    cc(
      "solutions unequal",
      [("solutions", .object([("language", .array([int("3")])), ("solution", .array([]))]))], "solutions.solution"),
    cc(
      "a language a string",
      [("solutions", .object([("language", .array([s("PYTHON3")])), ("solution", .array([s("print(1)")]))]))],
      "solutions.language[0]"),
    cc("solutions a list", [("solutions", .array([]))], "solutions"),
    cc("input_file named", [("input_file", s("input.txt"))], "input_file"),
    cc("cf_tags a string", [("cf_tags", s("math"))], "cf_tags"),
    cc("cf_rating huge", [("cf_rating", .number("1e400", isInteger: false))], "cf_rating"),
    cc("an unknown field", [("hints", s("none"))], "hints"),

    lcb(0, "no question_content", [("question_content", nil)], "question_content"),
    lcb(0, "no private_test_cases", [("private_test_cases", nil)], "private_test_cases"),
    lcb(0, "question_id a huge number", [("question_id", int(huge))], "question_id"),
    lcb(0, "question_id with a control character", [("question_id", s("abc\u{1b}[2J"))], "question_id"),
    lcb(0, "bad JSON in public_test_cases", [("public_test_cases", s(#"[{"input": "1\n""#))], "public_test_cases"),
    lcb(0, "public_test_cases an object", [("public_test_cases", s("{}"))], "public_test_cases"),
    lcb(0, "public_test_cases not a string", [("public_test_cases", .array([]))], "public_test_cases"),
    lcb(
      0, "private_test_cases neither JSON nor base64", [("private_test_cases", s("!!not base64!!"))],
      "private_test_cases"),
    lcb(
      0, "private_test_cases base64 of no zlib", [("private_test_cases", s("aGVsbG8gd29ybGQsIG5vdCB6bGli"))],
      "private_test_cases"),
    // zlib of `cos\nsystem\n(S'echo hi'\ntR.`: a pickle that would run os.system.
    lcb(
      0, "private_test_cases an unsafe pickle",
      [("private_test_cases", s("eJxLzi/mKq4sLknN5dIIVk9NzshXyMhU5yoJ0gMAeEMIVg=="))], "private_test_cases"),
    // zlib of pickle.dumps({"a": 1}): an object, not a str.
    lcb(
      0, "private_test_cases a pickled dict", [("private_test_cases", s("eJxrYJnKxQABtVN6GBOneDMW6wEALJIEpA=="))],
      "private_test_cases"),
    lcb(
      0, "a test case without output", [("public_test_cases", s(#"[{"input": "1\n", "testtype": "stdin"}]"#))],
      "public_test_cases[0].output"),
    lcb(
      0, "an unknown testtype",
      [("public_test_cases", s(#"[{"input": "1\n", "output": "1\n", "testtype": "stdout"}]"#))],
      "public_test_cases[0].testtype"),
    lcb(
      0, "an input a number", [("public_test_cases", s(#"[{"input": 1, "output": "1\n", "testtype": "stdin"}]"#))],
      "public_test_cases[0].input"),
    lcb(
      0, "a test case with an unknown key",
      [("public_test_cases", s(#"[{"input": "1\n", "output": "1\n", "testtype": "stdin", "weight": 2}]"#))],
      "public_test_cases[0].weight"),
    lcb(
      0, "mixed testtypes",
      [("private_test_cases", s(#"[{"input": "1", "output": "1", "testtype": "functional"}]"#))],
      "private_test_cases[0].testtype"),
    lcb(0, "no tests", [("public_test_cases", s("[]")), ("private_test_cases", s("[]"))], "public_test_cases"),
    lcb(0, "func_name on stdin tests", [("metadata", s(#"{"func_name": "f"}"#))], "metadata"),
    lcb(0, "bad JSON in metadata", [("metadata", s("{func_name: f}"))], "metadata"),
    lcb(0, "metadata a list", [("metadata", s("[]"))], "metadata"),
    lcb(0, "platform unknown", [("platform", s("topcoder"))], "platform"),
    lcb(0, "difficulty a number", [("difficulty", int("2"))], "difficulty"),
    lcb(0, "solution empty", [("solution", s(""))], "solution"),
    lcb(0, "an unknown field", [("canonical", s("x"))], "canonical"),
    lcb(1, "functional without func_name", [("metadata", s("{}"))], "metadata"),
    lcb(1, "func_name not an identifier", [("metadata", s(#"{"func_name": "high peaks"}"#))], "metadata.func_name"),
    lcb(
      1, "a functional input line not JSON",
      [("public_test_cases", s(#"[{"input": "[1, 2\n3", "output": "1", "testtype": "functional"}]"#))],
      "public_test_cases[0].input"),
    lcb(
      1, "a functional output not JSON",
      [("public_test_cases", s(#"[{"input": "[1]\n3", "output": "[1,", "testtype": "functional"}]"#))],
      "public_test_cases[0].output"),
  ]

  @Test("Each mutation is a problem naming file, line and field", arguments: mutations)
  func mutation(_ mutation: Mutation) throws {
    let rows = try Self.rows(mutation.sample)
    // The mutated row is line 2, after a blank line.
    let text = "\n" + mutation.apply(rows[mutation.row]).text
    do {
      let suite = try Self.load(text)
      Issue.record("loaded \(suite.tasks.map(\.id)) from a broken row")
    } catch let error as SuiteError {
      #expect(error.problems.allSatisfy { $0.file.hasSuffix("s.jsonl") && $0.line == 2 }, "\(error)")
      #expect(error.problems.contains { $0.field == mutation.field }, "\(error)")
    }
  }

  @Test("The unmutated rows load, each alone")
  func unmutated() throws {
    for sample in ["apps-shape.jsonl", "codecontests-shape.jsonl", "livecodebench-shape.jsonl"] {
      for row in try Self.rows(sample) {
        #expect(try Self.load(row.text).tasks.count == 1)
      }
    }
  }

  /// Random structural and byte mutations: never a crash; a task or problems.
  @Test(
    "300 random mutations of each sample",
    arguments: ["apps-shape.jsonl", "codecontests-shape.jsonl", "livecodebench-shape.jsonl"])
  func random(_ sample: String) throws {
    let rows = try Self.rows(sample)
    var g = LoaderFuzzTests.Generator(state: UInt64(sample.utf8.count) &* 7919)
    let root = try Fixtures.directory([:])
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    var loaded = 0
    var refused = 0
    for i in 0..<300 {
      let row = rows[Int.random(in: 0..<rows.count, using: &g)]
      let text: String
      if i % 3 == 0 {
        text = LoaderFuzzTests.mutate(row.text, &g)
      } else {
        text = Self.mutate(row, &g).text
      }
      let path = "\(root)/f\(i).jsonl"
      try (text + "\n").write(toFile: path, atomically: false, encoding: .utf8)
      do {
        let suite = try Suite.load(path)
        #expect(suite.tasks.allSatisfy { !$0.id.isEmpty && !$0.tests.isEmpty })
        loaded += 1
      } catch {
        #expect(!error.problems.isEmpty)
        #expect(error.problems.allSatisfy { $0.file == path })
        refused += 1
      }
    }
    #expect(refused > 60 && loaded > 0, "refused \(refused), loaded \(loaded)")
  }

  /// Values a mutation puts in a field.
  static let pool: [JSON] = [
    .null, .bool(true), .number("0", isInteger: true), .number("-1", isInteger: true), .number(huge, isInteger: true),
    .number("1e999", isInteger: false), .string(""), .string("\u{0}\u{7}"), .string("[]"), .string("{}"),
    .string("[{\"input\": 1}]"), .string("eJxrYJnKxQABtVN6GBOneDMW6wEALJIEpA=="), .array([]),
    .array([.string("x")]), .object([]), .object([("input", .array([])), ("output", .array([.string("1")]))]),
  ]

  /// One structural change: a field removed, replaced by a value from the
  /// pool, or (a string holding JSON) its JSON changed inside.
  static func mutate(_ row: JSON, _ g: inout LoaderFuzzTests.Generator) -> JSON {
    var members = row.objectMembers
    guard !members.isEmpty else { return row }
    for _ in 0..<Int.random(in: 1...2, using: &g) {
      let index = Int.random(in: 0..<members.count, using: &g)
      switch Int.random(in: 0..<4, using: &g) {
      case 0: members.remove(at: index)
      case 1: members[index].value = pool.randomElement(using: &g)!
      case 2:
        if case .string(let text) = members[index].value, let inner = try? JSON.parse(text) {
          members[index].value = .string(mutateInside(inner, &g).text)
        } else {
          members[index].value = mutateInside(members[index].value, &g)
        }
      default:
        members.append(("extra\(index)", pool.randomElement(using: &g)!))
      }
      if members.isEmpty { break }
    }
    return .object(members)
  }

  /// Replaces one value somewhere inside `json` by one from the pool.
  static func mutateInside(_ json: JSON, _ g: inout LoaderFuzzTests.Generator) -> JSON {
    switch json {
    case .array(var items) where !items.isEmpty:
      let i = Int.random(in: 0..<items.count, using: &g)
      items[i] = Bool.random(using: &g) ? mutateInside(items[i], &g) : pool.randomElement(using: &g)!
      return .array(items)
    case .object(var members) where !members.isEmpty:
      let i = Int.random(in: 0..<members.count, using: &g)
      if Int.random(in: 0..<5, using: &g) == 0 {
        members.remove(at: i)
      } else {
        members[i].value =
          Bool.random(using: &g) ? mutateInside(members[i].value, &g) : pool.randomElement(using: &g)!
      }
      return .object(members)
    default:
      return pool.randomElement(using: &g)!
    }
  }
}
