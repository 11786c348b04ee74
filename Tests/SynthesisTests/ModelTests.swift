import Foundation
import Testing

@testable import Synthesis

@Suite(.timeLimit(.minutes(10))) struct ModelTests {
  @Test("A few gradient steps on a (task, program) pair raise that program's probability")
  func trainingRaisesProbability() throws {
    let task = Fixtures.sumOdds
    let program = Fixtures.parse("(sum (filter_ints (odd $0) @0))")
    var model = Prior.model
    let before = try #require(model.logProbability(of: program, in: task))
    for _ in 0..<5 {
      let fitted = model.step(program: program, task: task, learningRate: 0.05)
      #expect(fitted)
    }
    let after = try #require(model.logProbability(of: program, in: task))
    #expect(after > before + 1, "log2 p went from \(before) to \(after)")
    // Probabilities still normalize: the root slot's options sum to one.
    let allowed = Symbols.allowed(task.returnType, scope: [], task: task)
    let logs = model.scorer(task.features).logProbabilities(context: Symbols.root, allowed: allowed)
    #expect(abs(logs.reduce(0) { $0 + exp($1) } - 1) < 1e-9)
  }

  @Test("Training is deterministic: the same pairs in the same order give the same weights")
  func trainingIsDeterministic() {
    let pairs = [
      (task: Fixtures.sumOdds, program: Fixtures.parse("(sum (filter_ints (odd $0) @0))")),
      (task: Fixtures.doubleEach, program: Fixtures.parse("(map_ints (mul $0 #2) @0)")),
    ]
    var a = Prior.model
    var b = Prior.model
    let fitted = a.train(on: pairs, epochs: 3, learningRate: 0.05)
    #expect(fitted == 2)
    b.train(on: pairs, epochs: 3, learningRate: 0.05)
    #expect(a == b)
    #expect(a != Prior.model)
  }

  @Test("A program that does not fit the task changes nothing")
  func illTypedProgramIsRejected() {
    var model = Prior.model
    // `upper` returns a string; the task returns an int.
    let fitted = model.step(program: Fixtures.parse("(upper @0)"), task: Fixtures.sumOdds, learningRate: 0.1)
    #expect(!fitted)
    #expect(model == Prior.model)
    #expect(model.logProbability(of: Fixtures.parse("@1"), in: Fixtures.sumOdds) == nil)
  }

  @Test("The prior reads the prompt: `odd` is likelier under a task that says odd")
  func priorUsesWords() throws {
    let program = Fixtures.parse("(sum (filter_ints (odd $0) @0))")
    let evenTask = Fixtures.task(
      "sum-evens", prompt: "Return the sum of the even numbers in the list `xs`.", names: ["xs"], types: [.ints],
      returns: .int, examples: Fixtures.sumOdds.inputs.map { ($0, .int(0)) })
    let odd = try #require(Prior.model.logProbability(of: program, in: Fixtures.sumOdds))
    let even = try #require(Prior.model.logProbability(of: program, in: evenTask))
    #expect(odd > even + 2)
  }
}

@Suite(.timeLimit(.minutes(10))) struct CheckpointTests {
  func temporary(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("crucible-\(getpid())-\(name)").path
  }

  @Test("A checkpoint round-trips through its JSON, byte for byte")
  func roundTrip() throws {
    var model = Prior.model
    model.train(on: [(Fixtures.sumOdds, Fixtures.parse("(sum (filter_ints (odd $0) @0))"))], learningRate: 0.05)
    model.name = "trained"
    model.lineage.append("one step on sum-odds")
    let path = temporary("roundtrip.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Checkpoint.save(model, to: path)
    let loaded = try Checkpoint.load(path)
    #expect(loaded == model)
    #expect(Checkpoint.encode(loaded) == Checkpoint.encode(model))
    #expect(Checkpoint.fingerprint(loaded) == Checkpoint.fingerprint(model))
    #expect(Checkpoint.fingerprint(model) != Checkpoint.fingerprint(Prior.model))
  }

  struct BadCase: Sendable, CustomStringConvertible {
    var name: String
    var json: String
    var mentions: [String]
    var description: String { name }
  }

  static let badCases: [BadCase] = [
    BadCase(name: "not JSON", json: "{", mentions: ["not valid JSON"]),
    BadCase(
      name: "foreign format", json: #"{"format": "other", "version": 1}"#, mentions: ["field format", "\"other\""]),
    BadCase(
      name: "future version",
      json: #"{"format": "crucible-synthesis-checkpoint", "version": 9}"#, mentions: ["field version", "9"]),
    BadCase(
      name: "missing field",
      json: #"{"format": "crucible-synthesis-checkpoint", "version": 1, "name": "x", "lineage": []}"#,
      mentions: ["bias"]),
    BadCase(
      name: "unknown symbol",
      json: #"""
        {"format": "crucible-synthesis-checkpoint", "version": 1, "name": "x", "lineage": [],
         "bias": {"teleport": 1.0}, "context": {}, "features": {}}
        """#, mentions: ["field bias", "teleport"]),
    BadCase(
      name: "unknown context",
      json: #"""
        {"format": "crucible-synthesis-checkpoint", "version": 1, "name": "x", "lineage": [],
         "bias": {}, "context": {"nowhere.3": {"sum": 1}}, "features": {}}
        """#, mentions: ["field context", "nowhere.3"]),
    BadCase(
      name: "wrong type",
      json: #"""
        {"format": "crucible-synthesis-checkpoint", "version": 1, "name": "x", "lineage": [],
         "bias": {"sum": "high"}, "context": {}, "features": {}}
        """#, mentions: ["bias.sum"]),
  ]

  @Test("A bad checkpoint is refused with the file, the field and the value", arguments: badCases)
  func badCheckpoint(_ bad: BadCase) throws {
    let path = temporary("bad-\(bad.name.replacingOccurrences(of: " ", with: "-")).json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bad.json.utf8).write(to: URL(fileURLWithPath: path))
    let error = try #require(throws: Checkpoint.LoadError.self) { try Checkpoint.load(path) }
    #expect(error.description.hasPrefix(path))
    for word in bad.mentions { #expect(error.description.contains(word), "\(error.description)") }
  }

  @Test("A missing checkpoint says so")
  func missingCheckpoint() {
    #expect(throws: Checkpoint.LoadError.self) { try Checkpoint.load("/nonexistent/model.json") }
  }
}
