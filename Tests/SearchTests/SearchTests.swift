import Journal
import Judge
import Policy
import Suites
import TestSupport
import Testing
import Verdicts

@testable import Search

@Suite(.timeLimit(.minutes(10))) struct RewardTests {
  static func results(_ verdicts: [TestVerdict]) -> [TestResult] {
    verdicts.enumerated().map { TestResult(index: $0, isPublic: true, verdict: $1) }
  }

  @Test("Rewards: outcome, per-test fraction, and the grade of the worst failure")
  func rewards() {
    let wrong = TestVerdict.wrongAnswer(expected: "4", actual: "5")
    let raised = TestVerdict.runtimeError(type: "ZeroDivisionError", message: "division by zero", line: 2)
    let table: [([TestVerdict], Bool, Double, Reward.Grade)] = [
      ([.passed, .passed], true, 1, .passed),
      ([.passed, wrong], false, 0.5, .wrongAnswer),
      ([raised, wrong], false, 0, .runtimeError),
      ([.timeout, .passed, .passed], false, 2.0 / 3, .runtimeError),
      ([.syntaxError(message: "invalid syntax", line: 1)], false, 0, .syntaxError),
      ([.violation("socket")], false, 0, .syntaxError),
      ([], true, 1, .passed),
    ]
    for (verdicts, outcome, perTest, grade) in table {
      let reward = Reward(Self.results(verdicts))
      #expect(reward.outcome == outcome && abs(reward.perTest - perTest) < 1e-9 && reward.grade == grade)
    }
    // syntax error < runtime error < wrong answer < passed, at equal fractions.
    let order = [
      Reward(Self.results([.syntaxError(message: "", line: nil)])), Reward(Self.results([raised])),
      Reward(Self.results([wrong])), Reward(Self.results([.passed])),
    ]
    #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
    // More tests passed beats a better failure.
    #expect(Reward(Self.results([raised, .passed])) > Reward(Self.results([wrong, wrong])))
  }

  @Test(
    "Budgets parse from key=value pairs, and bad ones are refused with the value",
    arguments: [
      ("runs=4", SearchBudget(proposals: 32, runs: 4, seconds: 120)),
      ("proposals=10,runs=3,seconds=2.5", SearchBudget(proposals: 10, runs: 3, seconds: 2.5)),
      (" seconds = 60 ", SearchBudget(proposals: 32, runs: 8, seconds: 60)),
    ])
  func budgets(text: String, expected: SearchBudget) throws {
    #expect(try SearchBudget.parse(text) == expected)
    #expect(try SearchBudget.parse(expected.description) == expected)
  }

  @Test(
    "Invalid budgets", arguments: ["runs=0", "runs=-1", "runs=many", "speed=3", "runs", "seconds=0", "runs=4,,"])
  func invalidBudgets(text: String) {
    let error = #expect(throws: BudgetError.self) { try SearchBudget.parse(text) }
    #expect(error?.description.contains(text) == true)
  }
}

@Suite(.timeLimit(.minutes(10))) struct StrategyTests {
  func solver(
    _ policy: ScriptedPolicy, _ strategy: Strategy, runs: Int = 6, proposals: Int = 20,
    journal: MemoryJournal = MemoryJournal()
  ) async throws -> (Solver, CountingJudge) {
    let judge = CountingJudge(Judge(pool: try await Pools.shared.pool(.warm)))
    let solver = Solver(
      policy: policy, judge: judge, journal: journal, strategy: strategy,
      budget: SearchBudget(proposals: proposals, runs: runs, seconds: 300))
    return (solver, judge)
  }

  @Test("sample: best-of-N runs candidates best first and stops at the first that passes the public tests")
  func sample() async throws {
    let policy = ScriptedPolicy(proposals: [Programs.broken, Programs.wrong, Programs.right, Programs.closer])
    let (solver, judge) = try await solver(policy, .sample)
    let (outcome, replayed) = try await solver.solve(squareTask)
    #expect(!replayed)
    #expect(outcome.solved && outcome.stop == "passed-public")
    #expect(outcome.chosen?.program == Programs.right)
    #expect(outcome.attempts == 3)  // broken, wrong, right; never `closer`
    #expect(outcome.sandboxRuns == 4 && judge.count == 4)  // three public runs, one hidden
    #expect(policy.calls.withLock { $0 } == ["propose 6"])
  }

  @Test("sample: proposals all spent in one call still all run (a language model proposes exactly N)")
  func sampleSpendsEveryProposal() async throws {
    let policy = ScriptedPolicy(proposals: [Programs.broken, Programs.wrong, Programs.right])
    let (solver, judge) = try await solver(policy, .sample, runs: 3, proposals: 3)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(outcome.solved && outcome.stop == "passed-public")
    #expect(outcome.attempts == 3 && judge.count == 4)
    #expect(policy.calls.withLock { $0 } == ["propose 3"])
  }

  @Test("sample: when nothing passes, the best by reward is chosen and never reaches the hidden tests")
  func sampleUnsolved() async throws {
    let policy = ScriptedPolicy(proposals: [Programs.broken, Programs.closer, Programs.raising, Programs.wrong])
    let (solver, judge) = try await solver(policy, .sample)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(!outcome.solved && outcome.stop == "exhausted")
    #expect(outcome.chosen?.program == Programs.closer)  // 2 of 3 public tests
    #expect(outcome.hiddenPassed == 0 && judge.count == 4)
  }

  @Test("revise: the best failing candidate is repaired from its feedback, repair after repair")
  func revise() async throws {
    let policy = ScriptedPolicy(
      proposals: [Programs.wrong],
      repairs: [Programs.wrong: [Programs.closer], Programs.closer: [Programs.right]])
    let (solver, judge) = try await solver(policy, .revise)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(outcome.solved)
    #expect(outcome.chosen?.program == Programs.right)
    #expect(outcome.chosen?.provenance.parent == Candidate.id(of: Programs.closer))
    #expect(policy.calls.withLock { $0 } == ["propose 1", "revise", "revise"])
    #expect(judge.count == 4)
  }

  @Test("tree: expands revisions and fresh proposals until one passes, within the run budget")
  func tree() async throws {
    let policy = ScriptedPolicy(
      proposals: [Programs.broken, Programs.wrong, Programs.raising],
      repairs: [Programs.wrong: [Programs.closer, Programs.raising], Programs.closer: [Programs.right]])
    let (solver, judge) = try await solver(policy, .tree, runs: 6)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(outcome.solved)
    #expect(outcome.attempts <= 6 && judge.count == outcome.attempts + 1)
  }

  @Test("Every strategy stops at the sandbox budget", arguments: Strategy.allCases)
  func budget(strategy: Strategy) async throws {
    let wrongs = (1...12).map { Programs.square("x * x + \($0)") }
    let policy = ScriptedPolicy(
      proposals: wrongs, repairs: Dictionary(uniqueKeysWithValues: wrongs.map { ($0, [$0 + "\n# again\n"]) }))
    let (solver, judge) = try await solver(policy, strategy, runs: 3)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(!outcome.solved && outcome.stop == "budget")
    #expect(outcome.attempts == 3 && judge.count == 3)
  }

  @Test("A journal that holds a task's steps replays them: no policy call, no sandbox run is redone")
  func replay() async throws {
    let journal = MemoryJournal()
    let scripted = {
      ScriptedPolicy(
        proposals: [Programs.wrong],
        repairs: [Programs.wrong: [Programs.closer], Programs.closer: [Programs.right]])
    }
    let first = scripted()
    let (solver, judge) = try await solver(first, .revise, journal: journal)
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(judge.count == 4)
    // The same run again: the outcome comes from the journal.
    let (again, replayed) = try await solver.solve(squareTask)
    #expect(replayed && again == outcome && judge.count == 4)

    // A run killed after its first attempt: only the rest is done.
    let partial = MemoryJournal()
    await partial.record(try #require(await journal.proposal(task: "square", step: 0)))
    await partial.record(try #require(await journal.attempt(task: "square", step: 0, index: 0, selection: .publicOnly)))
    let second = scripted()
    let (resumed, resumedJudge) = try await self.solver(second, .revise, journal: partial)
    let (finished, _) = try await resumed.solve(squareTask)
    #expect(finished.solved && finished.chosen == outcome.chosen)
    #expect(resumedJudge.count == 3)  // two revisions and the hidden check; the first run was replayed
    #expect(second.calls.withLock { $0 } == ["revise", "revise"])  // the proposal was replayed
  }
}

/// Every task a search does not solve says why, in a line a user can act on.
@Suite(.timeLimit(.minutes(5))) struct MissReasonTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var proposals: [String]
    var decline: String?
    var runs: Int
    var stop: String
    var reason: String
    var testDescription: String { name }
  }

  static let cases = [
    Case(
      name: "declined", proposals: [Programs.right], decline: "no typed signature", runs: 6, stop: "declined",
      reason: "no typed signature"),
    Case(
      name: "public pass, hidden failure", proposals: [Programs.notTen], runs: 6, stop: "passed-public",
      reason: "passed every public test, failed hidden test 4: expected 100, got 0"),
    Case(
      name: "budget", proposals: [Programs.wrong, Programs.closer, Programs.raising], runs: 2, stop: "budget",
      reason: "budget spent (2 sandbox runs, 2 proposals); the best candidate passed 2/3 public tests "
        + "(public test 2: expected 1, got -1)"),
    Case(
      name: "exhausted", proposals: [Programs.wrong], runs: 6, stop: "exhausted",
      reason: "the policy had nothing more to propose after 1 candidate; the best candidate passed 1/3 public "
        + "tests (public test 1: expected 9, got 6)"),
    Case(
      name: "nothing proposed", proposals: [], runs: 6, stop: "no-candidates", reason: "the policy proposed no program"),
  ]

  @Test("The stop and the reason of an unsolved task", arguments: cases)
  func reasons(_ c: Case) async throws {
    let policy = ScriptedPolicy(proposals: c.proposals, declineReason: c.decline)
    let judge = CountingJudge(Judge(pool: try await Pools.shared.pool(.warm)))
    let journal = MemoryJournal()
    let solver = Solver(
      policy: policy, judge: judge, journal: journal, strategy: .sample,
      budget: SearchBudget(proposals: 20, runs: c.runs, seconds: 300))
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(!outcome.solved && outcome.stop == c.stop)
    #expect(outcome.reason == c.reason, "\(outcome.reason ?? "nil")")
    // The journal keeps it; a declined task costs no policy call and no run.
    #expect(await journal.outcome(task: squareTask.id)?.reason == c.reason)
    if c.decline != nil { #expect(judge.count == 0 && policy.calls.withLock { $0 }.isEmpty) }
  }
}

/// The `seconds` budget is a limit: a search past it is stopped within a
/// second, a policy call or a sandbox run in flight included.
///
/// The wall-time bounds are loose on purpose: in a busy test process the
/// deadline's own timer can fire late; what must hold is that the search is
/// cut, not left to the hour-long call.
@Suite(.timeLimit(.minutes(10))) struct DeadlineTests {
  /// A policy that takes an hour to answer (cancellation ends it early).
  struct SlowPolicy: Policy {
    var name: String { "slow" }
    var parameters: String { "" }
    func propose(_ request: ProposeRequest) async throws -> [Candidate] {
      try await Task.sleep(for: .seconds(3600))
      return []
    }
    func revise(_ request: ReviseRequest) async throws -> [Candidate] { [] }
  }

  @Test("A policy call past the budget's seconds is cut there: stop `time`, nothing recorded for it")
  func slowPolicy() async throws {
    let journal = MemoryJournal()
    let solver = Solver(
      policy: SlowPolicy(), judge: Judge(pool: try await Pools.shared.pool(.warm)), journal: journal, strategy: .sample,
      budget: SearchBudget(proposals: 4, runs: 4, seconds: 1))
    let started = ContinuousClock.now
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(ContinuousClock.now - started < .seconds(300))
    #expect(outcome.stop == "time" && !outcome.solved, "\(outcome)")
    #expect(outcome.reason?.hasPrefix("out of time (1.0 s)") == true, "\(outcome.reason ?? "")")
    #expect(await journal.proposal(task: squareTask.id, step: 0) == nil)
  }

  @Test("A sandbox run past the budget's seconds is cancelled: stop `time`, the next task runs")
  func slowRun() async throws {
    let sleeper = Programs.square("x * x") + "import time\ntime.sleep(3600)\n"
    let policy = ScriptedPolicy(proposals: [sleeper])
    let judge = Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 3600)
    let solver = Solver(
      policy: policy, judge: judge, journal: MemoryJournal(), strategy: .sample,
      budget: SearchBudget(proposals: 4, runs: 4, seconds: 2))
    let started = ContinuousClock.now
    let (outcome, _) = try await solver.solve(squareTask)
    #expect(ContinuousClock.now - started < .seconds(300))
    #expect(outcome.stop == "time", "\(outcome)")
    // The pool is whole: the next task's run is judged.
    let next = try await judge.judge(Programs.right, for: squareTask, tests: .all)
    #expect(next.allPassed)
  }
}
