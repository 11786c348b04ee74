import Foundation
import TestSupport
import Testing
import Verdicts

@Suite(.timeLimit(.minutes(2))) struct VocabularyTests {
  @Test("Every vocabulary is written in snake_case, each name once")
  func snakeCase() {
    let vocabularies: [(String, [String])] = [
      (TestVerdict.Kind.vocabulary, TestVerdict.Kind.allCases.map(\.rawValue)),
      (Grade.vocabulary, Grade.allCases.map(\.rawValue)),
      (SampleStatus.vocabulary, SampleStatus.allCases.map(\.rawValue)),
      (HarnessOutcome.vocabulary, HarnessOutcome.allCases.map(\.rawValue)),
    ]
    for (name, values) in vocabularies {
      #expect(Set(values).count == values.count, "\(name)")
      for value in values { #expect(value.wholeMatch(of: /[a-z]+(_[a-z]+)*/) != nil, "\(name): \(value)") }
    }
  }

  @Test("Grades: worst first, every verdict kind has one")
  func grades() {
    #expect(Grade.allCases == Grade.allCases.sorted())
    #expect(Grade.allCases.map(\.rank) == [0, 1, 2, 3])
    #expect(Grade(TestVerdict.Kind.passed) == .passed)
    #expect(Grade(TestVerdict.tamper("x")) == .syntaxError)
    #expect(Grade(TestVerdict.infrastructureError("x")) == .runtimeError)
  }

  @Test("A name read back that the vocabulary lacks is an error naming it, never a default")
  func unknownNames() throws {
    #expect(try TestVerdict.Kind(named: "wrong_answer") == .wrongAnswer)
    let error = #expect(throws: UnknownName.self) { try TestVerdict.Kind(named: "wrongAnswer") }
    #expect(error?.description.contains("verdict kind \"wrongAnswer\"") == true, "\(String(describing: error))")
    #expect(error?.description.contains("wrong_answer") == true)
    #expect(throws: UnknownName.self) { try Grade(named: "syntaxError") }
    #expect(throws: UnknownName.self) { try SampleStatus(named: "") }
    // Decoded from JSON: refused, naming the value.
    let decoding = #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([TestVerdict.Kind].self, from: Data(#"["passed", "hung"]"#.utf8))
    }
    #expect("\(String(describing: decoding))".contains("hung"))
  }

  @Test("Statuses by status are a JSON object keyed by raw values, and read back")
  func statusKeys() throws {
    let counts: [SampleStatus: Int] = [.passed: 2, .infrastructureError: 1]
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(counts)
    #expect(String(decoding: data, as: UTF8.self) == #"{"infrastructure_error":1,"passed":2}"#)
    #expect(try JSONDecoder().decode([SampleStatus: Int].self, from: data) == counts)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([SampleStatus: Int].self, from: Data(#"{"infrastructureError": 1}"#.utf8))
    }
  }
}

/// The harness spells its outcomes in Python; the judge reads them as
/// ``HarnessOutcome``. Python's own parser reads the harness's source and
/// lists every outcome it can write; they must be exactly Swift's.
@Suite(.timeLimit(.minutes(2))) struct HarnessVocabularyTests {
  static let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("harness").path

  /// Prints, as JSON: the outcomes runner.py writes or compares (the
  /// first argument of `outcome`, `stop` and `statement_failure`; an
  /// `"outcome"` key's value; what `result["outcome"]` is compared with; the keys of the candidate protocol's field tables),
  /// and the kinds candidate.py sends.
  static let script = #"""
    import ast, json, sys
    root = sys.argv[1]

    def strings(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [s for item in node.elts for s in strings(item)]
        return []

    def outcome_subscript(node):
        return isinstance(node, ast.Subscript) and strings(node.slice) == ["outcome"]

    runner = ast.parse(open(root + "/runner.py").read())
    written, compared = set(), set()
    for node in ast.walk(runner):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("outcome", "stop", "statement_failure"):
                written.update(strings(node.args[0]))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is not None and strings(key) == ["outcome"]:
                    written.update(strings(value))
        elif isinstance(node, ast.Compare):
            if outcome_subscript(node.left):
                for comparator in node.comparators:
                    compared.update(strings(comparator))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            names = [getattr(target, "id", "") for target in node.targets]
            if any(name.endswith("_FIELDS") for name in names):
                written.update(s for key in node.value.keys for s in strings(key))

    candidate = ast.parse(open(root + "/candidate.py").read())
    sent = set()
    for node in ast.walk(candidate):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is not None and strings(key) == ["kind"]:
                    sent.update(strings(value))

    print(json.dumps({"written": sorted(written), "compared": sorted(compared), "sent": sorted(sent)}))
    """#

  struct Found: Decodable {
    var written: [String]
    var compared: [String]
    var sent: [String]
  }

  @Test("harness/runner.py writes exactly the outcomes HarnessOutcome has; candidate.py sends only those")
  func outcomes() async throws {
    let printed = try await output(of: "/usr/bin/env", ["python3", "-c", Self.script, Self.harness]).stdout
    let found = try JSONDecoder().decode(Found.self, from: printed)
    let swift = Set(HarnessOutcome.allCases.map(\.rawValue))
    // `ready` answers the load handshake; it is never a test's record.
    let handshake: Set<String> = ["ready"]
    #expect(Set(found.written).subtracting(handshake) == swift)
    #expect(Set(found.compared).subtracting(handshake).isSubset(of: swift), "\(found.compared)")
    #expect(swift.isDisjoint(with: handshake))
    // `started` is the spare's hello before any job; every other kind the
    // candidate sends becomes an outcome of that name.
    #expect(Set(found.sent).subtracting(handshake.union(["started"])).isSubset(of: swift), "\(found.sent)")
    #expect(found.written.count > 10 && found.sent.count >= 5, "the parse found too little: \(found)")
  }
}
