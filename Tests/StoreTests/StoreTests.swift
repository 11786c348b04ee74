import Foundation
import Judge
import Policy
import Search
import TestSupport
import Testing
import Verdicts

@testable import Store

@Suite(.timeLimit(.minutes(10))) struct StoreTests {
  let descriptor = RunDescriptor(
    suite: "/suites/demo", policy: "builtin", parameters: "prior@00000000", strategy: .revise,
    budget: SearchBudget(), seed: 7, taskCount: 2)

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
    let journal = try await store.open(descriptor)
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
    let again = try await RunStore(path: "\(dir)/store.sqlite").open(descriptor)
    #expect(again.runID == journal.runID && again.resumedOutcomes == 1)
    #expect(try await again.outcome(task: "t1") == outcome)
    // Another strategy is another run.
    var other = descriptor
    other.strategy = .tree
    let otherJournal = try await store.open(other)
    #expect(otherJournal.runID != journal.runID && !otherJournal.isResumed)
    #expect(try await otherJournal.outcome(task: "t1") == nil)
    #expect(try await store.runs().count == 2)
  }

  @Test("A name the store holds that its vocabulary lacks is an error naming it, never a default")
  func unknownNames() async throws {
    let dir = try scratch("crucible-store")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = try RunStore(path: "\(dir)/store.sqlite")
    let journal = try await store.open(descriptor)
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
