import Foundation
import Journal
import Judge
import Policy
import Search
import TestSupport
import Testing
import Verdicts

@testable import Store

@Suite(.timeLimit(.minutes(10))) struct StoreTests {
  let identity = RunIdentity(
    kind: .solve,
    fields: [
      "suite": "/suites/demo", "suite_digest": "0123456789abcdef", "policy": "builtin",
      "parameters": "prior@00000000", "strategy": "revise", "budget": SearchBudget().description, "seed": "7",
    ])

  static let candidate = Candidate(
    program: "def f(x):\n    return x + 1\n", score: -12.5,
    provenance: Provenance(policy: "builtin", parameters: "prior@00000000", sampleIndex: 1, parent: "00ff00ff00ff00ff"),
    payload: "(add @0 #1)")

  static let verdicts: [TestVerdict] = [
    .passed, .wrongAnswer(expected: "3", actual: "4"),
    .runtimeError(type: "ValueError", message: "bad 'value'", line: 2),
    .syntaxError(message: "invalid syntax", line: 1),
    .timeout, .memoryLimit, .outputLimit, .violation("socket"), .tamper("result channel"),
  ]

  @Test("Proposals, attempts with every verdict, and outcomes read back as written")
  func roundTrip() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let journal = try await store.open(identity, taskCount: 2)
    #expect(!journal.isResumed)
    let proposal = ProposalRecord(
      taskID: "t1", step: 0, kind: .revise, parent: "abc", candidates: [Self.candidate, Self.candidate],
      milliseconds: 3.5)
    try await journal.record(proposal)
    #expect(try await journal.proposal(task: "t1", step: 0) == proposal)
    #expect(try await journal.proposal(task: "t1", step: 1) == nil)

    let results = Self.verdicts.enumerated().map {
      TestResult(index: $0, isPublic: $0 < 3, verdict: $1, milliseconds: $0 == 0 ? nil : Double($0) * 1.5)
    }
    let attempt = AttemptRecord(
      taskID: "t1", step: 0, index: 1, candidate: Self.candidate, selection: .publicOnly, results: results,
      milliseconds: 41)
    try await journal.record(attempt)
    #expect(try await journal.attempt(task: "t1", step: 0, index: 1, selection: .publicOnly) == attempt)
    #expect(try await journal.attempt(task: "t1", step: 0, index: 1, selection: .hiddenOnly) == nil)
    // The same attempt twice is refused: every attempt is in the store exactly once.
    await #expect(throws: StoreError.self) { try await journal.record(attempt) }

    let outcome = TaskOutcome(
      taskID: "t1", solved: true, chosen: Self.candidate, hiddenPassed: 5, hiddenTotal: 5, attempts: 2,
      sandboxRuns: 3, proposals: 4, wallMilliseconds: 123.25, stop: "passed-public")
    try await journal.record(outcome)
    #expect(try await journal.outcome(task: "t1") == outcome)
    #expect(try await store.verdictCount(run: journal.runID) == Self.verdicts.count)

    // Opened again (a second process, the same command): the run resumes.
    let again = try await RunStore(path: "\(dir)/store.sqlite").open(identity, taskCount: 2)
    #expect(again.runID == journal.runID && again.resumedOutcomes == 1)
    #expect(try await again.outcome(task: "t1") == outcome)
    // Another strategy is another run.
    var other = identity
    other.fields["strategy"] = "tree"
    let otherJournal = try await store.open(other, taskCount: 2)
    #expect(otherJournal.runID != journal.runID && !otherJournal.isResumed)
    #expect(try await otherJournal.outcome(task: "t1") == nil)
    #expect(try await store.runs().count == 2)
  }

  @Test("A name the store holds that its vocabulary lacks is an error naming it, never a default")
  func unknownNames() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let journal = try await store.open(identity, taskCount: 2)
    let attempt = AttemptRecord(
      taskID: "t1", step: 0, index: 0, candidate: Self.candidate, selection: .publicOnly,
      results: [TestResult(index: 0, isPublic: true, verdict: .timeout)], milliseconds: 1)
    try await journal.record(attempt)
    try await journal.record(ProposalRecord(taskID: "t1", step: 0, kind: .propose, parent: nil, candidates: []))
    let grade = try await store.read { try String.fetchOne($0, sql: "SELECT grade FROM attempts") }
    #expect(grade == "runtime_error")
    for (sql, name) in [
      ("UPDATE verdicts SET kind = 'hung'", "verdict kind \"hung\""),
      ("UPDATE verdicts SET kind = 'timeout'; UPDATE attempts SET selection = 'secret'", "test selection \"secret\""),
    ] {
      try await store.write { try $0.execute(sql: sql) }
      // Every attempt of the run, whatever its selection says.
      let error = await #expect(throws: StoreError.self) { try await journal.attempts() }
      #expect(error?.description.contains(name) == true, "\(String(describing: error))")
    }
    try await store.write { try $0.execute(sql: "UPDATE proposals SET kind = 'guess'") }
    let error = await #expect(throws: StoreError.self) { try await journal.proposal(task: "t1", step: 0) }
    #expect(error?.description.contains("proposal kind \"guess\"") == true, "\(String(describing: error))")
  }

  /// Edits by hand that SQLite accepts (a column's affinity does not
  /// refuse text) but no record can hold: each read must fail with an
  /// error naming the store and the column, never trap in the decoder.
  static let handEdits: [(sql: String, column: String)] = [
    ("UPDATE task_outcomes SET solved = 'yes'", "solved"),
    ("UPDATE task_outcomes SET attempts = 'many'", "attempts"),
    ("UPDATE attempts SET step = 'first'", "step"),
    ("UPDATE verdicts SET test_index = 'a'", "test_index"),
    ("UPDATE attempts SET prompt_tokens = 'x'", "prompt_tokens"),
    ("UPDATE samples SET sample = 'one'", "sample"),
    ("UPDATE sample_runs SET passed = 'maybe'", "passed"),
    ("UPDATE rounds SET round = 'zero'", "round"),
    ("UPDATE runs SET task_count = 'n'", "task_count"),
  ]

  @Test("A store edited by hand into values of another type is an error naming the column, not a crash")
  func handEditedValues() async throws {
    for edit in Self.handEdits {
      let dir = try scratch("crucible-store")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let path = "\(dir)/store.sqlite"
      let store = try RunStore(path: path)
      let journal = try await store.open(identity, taskCount: 1)
      try await journal.record(
        AttemptRecord(
          taskID: "t1", step: 0, index: 0,
          candidate: Candidate(
            program: Self.candidate.program, score: 0, provenance: Self.candidate.provenance,
            usage: Usage(promptTokens: 3, completionTokens: 4, milliseconds: 5)),
          selection: .publicOnly, results: [TestResult(index: 0, isPublic: true, verdict: .passed)], milliseconds: 1))
      try await journal.record(
        TaskOutcome(
          taskID: "t1", solved: true, chosen: Self.candidate, hiddenPassed: 1, hiddenTotal: 1, attempts: 1,
          sandboxRuns: 2, proposals: 1, wallMilliseconds: 1, stop: "passed-public"))
      let eval = try await store.openEval(RunIdentity(kind: .eval, fields: ["suite": "/e"]), taskCount: 1)
      try await eval.record([SampleProgram(taskID: "t1", sample: 0, program: "x = 1")])
      try await eval.record(
        SampleRun(
          taskID: "t1", sample: 0, run: 0, passed: true, infrastructureError: false,
          verdicts: [SampleRun.Verdict(test: 0, kind: .passed, detail: "passed", ms: 1)], ms: 1))
      let training = try await store.openTraining(RunIdentity(kind: .train, fields: ["train": "/t", "eval": "/e"]))
      try await training.record(
        CurvePoint(
          round: 0, checkpoint: nil, parameters: "p", trainSolved: 0, trainTasks: 1, evalSolved: 0, evalTasks: 1,
          evalMedianPrograms: nil, trainMedianPrograms: nil, evalSolvedTasks: [], newlySolved: [], lost: [],
          trainSandboxRuns: 0, evalSandboxRuns: 0, update: "", seconds: 0))
      try await store.write { try $0.execute(sql: edit.sql) }

      // Every reader, one of which meets the edited column.
      var failures: [String] = []
      func reading(_ body: () async throws -> Void) async {
        do { try await body() } catch { failures.append("\(error)") }
      }
      await reading { _ = try await journal.outcome(task: "t1") }
      await reading { _ = try await journal.attempts() }
      await reading { _ = try await store.attempts(run: journal.runID) }
      await reading { _ = try await store.runs() }
      await reading { _ = try await store.evalRecords(run: eval.runID) }
      await reading { _ = try await training.rounds() }
      #expect(
        failures.contains { $0.contains(path) && $0.contains("\"\(edit.column)\"") },
        "\(edit.sql): \(failures)")
    }
  }

  @Test("A path that cannot be a store is refused, naming it")
  func badStores() throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A directory.
    var error = #expect(throws: StoreError.self) { try RunStore(path: dir) }
    #expect(error?.description.contains(dir) == true)
    // A file that is not SQLite.
    let text = "\(dir)/notes.txt"
    try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
    error = #expect(throws: StoreError.self) { try RunStore(path: text) }
    #expect(error?.description.contains(text) == true)
    // Under a file, where no directory can be made.
    error = #expect(throws: StoreError.self) { try RunStore(path: "\(text)/store.sqlite") }
    #expect(error?.description.contains("\(text)/store.sqlite") == true)
  }

  @Test("Processes opening a new store at once all get the full schema (the kill test's poller raced the CLI)")
  func concurrentOpens() async throws {
    for round in 0..<20 {
      let dir = try scratch("crucible-store")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let path = "\(dir)/store-\(round).sqlite"
      let opened = await withTaskGroup(of: String?.self) { group in
        for _ in 0..<6 {
          group.addTask {
            do {
              _ = try await RunStore(path: path).runs()
              return nil
            } catch {
              return "\(error)"
            }
          }
        }
        return await group.reduce(into: [String]()) { if let failure = $1 { $0.append(failure) } }
      }
      #expect(opened.isEmpty, "round \(round): \(opened)")
    }
  }
}

@Suite(.timeLimit(.minutes(5))) struct OneStoreTests {
  static let evalIdentity = RunIdentity(
    kind: .eval, fields: ["suite": "/suites/demo", "suite_digest": "aa", "samples": "2", "ks": "1", "seed": "0"])

  static let samples = [
    SampleProgram(taskID: "t1", sample: 0, program: "def f():\n    return 1\n"),
    SampleProgram(
      taskID: "t1", sample: 1, program: "def f():\n    return 2\n",
      usage: Usage(promptTokens: 10, completionTokens: 4, milliseconds: 12.5)),
  ]

  static let runs = [
    SampleRun(
      taskID: "t1", sample: 0, run: 0, passed: true, infrastructureError: false,
      verdicts: [.init(test: 0, kind: .passed, detail: "passed", ms: 1.5)], ms: 20),
    SampleRun(
      taskID: "t1", sample: 1, run: 0, passed: false, infrastructureError: false,
      verdicts: [
        .init(test: 0, kind: .passed, detail: "passed", ms: nil),
        .init(test: 1, kind: .wrongAnswer, detail: "expected 1, got 2", ms: 2),
      ], ms: 21),
    SampleRun(taskID: "t1", sample: 1, run: 1, passed: false, infrastructureError: true, verdicts: [], ms: 3),
  ]

  @Test("An eval's samples and runs read back, in order, from a second opening; the exports are its records")
  func evalRoundTrip() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let journal = try await RunStore(path: "\(dir)/store.sqlite").openEval(Self.evalIdentity, taskCount: 1)
    #expect(!journal.isResumed)
    try await journal.record(Self.samples)
    for run in Self.runs { try await journal.record(run) }
    // The same run twice is refused: each is in the store once.
    await #expect(throws: StoreError.self) { try await journal.record(Self.runs[0]) }

    let again = try await RunStore(path: "\(dir)/store.sqlite").openEval(Self.evalIdentity, taskCount: 1)
    #expect(again.isResumed && again.runID == journal.runID)
    #expect(try await again.samples() == Self.samples)
    #expect(try await again.runs() == Self.runs)
    #expect(await again.programs(for: "t1") == Self.samples)
    #expect(await again.run(task: "t1", sample: 1, run: 1) == Self.runs[2])
    #expect(await again.run(task: "t1", sample: 2, run: 0) == nil)
  }

  @Test(
    "Another run of the same kind is refused, naming each field that differs; a salted one starts beside",
    arguments: [RunKind.eval, .train])
  func refusals(kind: RunKind) async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let first = RunIdentity(kind: kind, fields: ["suite": "/a", "train": "/a", "seed": "0", "timeout_s": "5.0"])
    _ = try await open(first, in: store)
    var second = first
    second.fields["seed"] = "1"
    second.fields["timeout_s"] = nil
    let error = await #expect(throws: StoreError.self) { try await open(second, in: store) }
    #expect(error?.mismatch?.differences == ["seed (was 0, now 1)", "timeout_s (was 5.0, now unset)"])
    #expect(error?.description.contains(first.id) == true, "\(String(describing: error))")
    second.salt = "fresh"
    let beside = try await open(second, in: store)
    #expect(beside == second.id && beside != first.id)
    // The same command without --fresh now resumes the fresh run, not the first.
    second.salt = ""
    #expect(try await open(second, in: store) == beside)
    let error2 = await #expect(throws: StoreError.self) { try await open(first, in: store) }
    #expect(error2?.mismatch?.runID == beside)
    // A run of another kind with these fields is not in the way.
    _ = try await store.open(RunIdentity(kind: .solve, fields: second.fields), taskCount: 0, refusingOthers: true)
  }

  func open(_ identity: RunIdentity, in store: RunStore) async throws(StoreError) -> String {
    switch identity.kind {
    case .eval: try await store.openEval(identity, taskCount: 1).runID
    default: try await store.openTraining(identity).runID
    }
  }

  @Test("A training run's rounds read back in order; a round recorded again replaces it")
  func trainingRounds() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let training = try await store.openTraining(RunIdentity(kind: .train, fields: ["train": "/t", "eval": "/e"]))
    #expect(!training.isResumed)
    func point(_ round: Int, update: String) -> CurvePoint {
      CurvePoint(
        round: round, checkpoint: "round-\(round)/checkpoint.json", parameters: "p\(round)", trainSolved: round,
        trainTasks: 5, evalSolved: 1, evalTasks: 4, evalMedianPrograms: 12.5, trainMedianPrograms: nil,
        evalSolvedTasks: ["e1"], newlySolved: [], lost: [], trainSandboxRuns: 9, evalSandboxRuns: 8, update: update,
        seconds: 1.25)
    }
    try await training.record(point(1, update: ""))
    try await training.record(point(0, update: "learned"))
    try await training.record(point(1, update: "learned again"))
    let again = try await store.openTraining(RunIdentity(kind: .train, fields: ["train": "/t", "eval": "/e"]))
    #expect(again.isResumed)
    #expect(try await again.rounds() == [point(0, update: "learned"), point(1, update: "learned again")])
    // A training run's searches are runs of their own, never refused.
    let search = RunIdentity(kind: .trainSearch, fields: ["suite": "/t"], salt: "\(training.runID) round 0")
    _ = try await training.search(search, taskCount: 5)
    try await training.finish(search)
    #expect(try await store.runs().first { $0.id == search.id }?.status == "completed")
  }

  @Test("A verdict kind the eval tables hold that the vocabulary lacks is an error naming it")
  func unknownEvalKind() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let journal = try await store.openEval(Self.evalIdentity, taskCount: 1)
    try await journal.record(Self.runs[1])
    try await store.write { try $0.execute(sql: "UPDATE sample_verdicts SET kind = 'hung' WHERE test = 1") }
    let error = await #expect(throws: StoreError.self) { try await store.openEval(Self.evalIdentity, taskCount: 1) }
    #expect(error?.description.contains("verdict kind \"hung\"") == true, "\(String(describing: error))")
  }
}
