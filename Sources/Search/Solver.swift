import Foundation
import Journal
import Judge
import Policy
import Suites
import Support
import Synchronization

/// Solves tasks: a strategy's search on the public tests, then the chosen
/// candidate on the hidden tests, everything through the journal.
public struct Solver: Sendable {
  public var policy: any Policy
  public var judge: any CandidateJudge
  public var journal: any SearchJournal
  public var strategy: Strategy
  public var budget: SearchBudget
  public var seed: UInt64
  /// How to choose among candidates that pass every public test; nil: the
  /// first (the policy's best), and search stops there.
  public var choice: (any ConsistentChoice)?

  public init(
    policy: any Policy, judge: any CandidateJudge, journal: any SearchJournal, strategy: Strategy,
    budget: SearchBudget, seed: UInt64 = 0, choice: (any ConsistentChoice)? = nil
  ) {
    self.policy = policy
    self.judge = judge
    self.journal = journal
    self.strategy = strategy
    self.budget = budget
    self.seed = seed
    self.choice = choice
  }

  /// One task's outcome, and whether the journal already had it.
  public func solve(_ task: CodingTask) async throws -> (outcome: TaskOutcome, replayed: Bool) {
    if let done = try await journal.outcome(task: task.id) { return (done, true) }
    if let declined = policy.declines(TaskView(task)) {
      let outcome = TaskOutcome(
        taskID: task.id, solved: false, chosen: nil, hiddenPassed: 0, hiddenTotal: task.hiddenTests.count,
        attempts: 0, sandboxRuns: 0, proposals: 0, wallMilliseconds: 0, stop: "declined", reason: declined)
      try await journal.record(outcome)
      return (outcome, false)
    }
    let search = TaskSearch(
      task: task, policy: policy, judge: judge, journal: journal, budget: budget, seed: seed)
    search.wanted = choice?.consistent ?? 1
    let cut = try await Self.drive(strategy, search, seconds: budget.seconds)
    var sandboxRuns = search.runs
    var hiddenPassed = 0
    var solved = false
    var hiddenFailure: TestResult?
    var slowest = search.best?.results.compactMap(\.milliseconds).max()
    var chosen = search.solvedNode
    let consistent = search.consistentNodes
    if let choice, consistent.count > 1, !cut {
      // Only the order comes from the choice; the hidden tests decide. It
      // has what is left of the task's seconds; cut short, the policy's
      // first stands.
      let left = budget.seconds - (ContinuousClock.now - search.started).seconds
      let ran = Mutex(0)
      let order = try await Self.within(seconds: left) {
        try await choice.order(consistent.map(\.candidate.program), for: task) { ran.withLock { $0 += 1 } }
      }
      sandboxRuns += ran.withLock { $0 }
      if let first = order?.first, consistent.indices.contains(first) { chosen = consistent[first] }
    }
    if let node = chosen {
      let hidden = try await search.run(node.candidate, step: node.step, index: node.index, selection: .hiddenOnly)
      slowest = (node.results + hidden.results).compactMap(\.milliseconds).max()
      if !task.hiddenTests.isEmpty { sandboxRuns += 1 }
      hiddenPassed = hidden.results.filter { $0.verdict == .passed }.count
      solved = hiddenPassed == task.hiddenTests.count
      hiddenFailure = hidden.results.first { $0.verdict != .passed }
    }
    let stop: String =
      if search.solvedNode != nil {
        "passed-public"
      } else if cut {
        "time"
      } else if search.nodes.isEmpty && search.exhausted {
        "no-candidates"
      } else if search.exhausted {
        "exhausted"
      } else if search.outOfTime {
        "time"
      } else {
        "budget"
      }
    let outcome = TaskOutcome(
      taskID: task.id, solved: solved, chosen: (chosen ?? search.best)?.candidate, hiddenPassed: hiddenPassed,
      hiddenTotal: task.hiddenTests.count, attempts: search.nodes.count, sandboxRuns: sandboxRuns,
      proposals: search.proposals,
      wallMilliseconds: (ContinuousClock.now - search.started).milliseconds,
      stop: stop, reason: solved ? nil : Self.reason(stop: stop, search: search, hiddenFailure: hiddenFailure),
      slowestTestMilliseconds: slowest)
    try await journal.record(outcome)
    return (outcome, false)
  }

  /// Runs the strategy, and stops it within a second of the task's time
  /// budget, a policy call or a sandbox run in flight included (what was
  /// in flight is not recorded, and a resumed run asks it again). The
  /// seconds are a limit, not a check between steps: one slow sandbox
  /// run no longer takes a task minutes past its budget.
  /// True when the budget's seconds cut it short.
  static func drive(_ strategy: Strategy, _ search: TaskSearch, seconds: Double) async throws -> Bool {
    // The strategy, cancelled, ends with whatever the cancellation made of
    // the call in flight (a cancelled run, a fault): the task is out of
    // time, which is what its outcome says.
    try await within(seconds: seconds + 0.5) { try await strategy.drive(search) } == nil
  }

  /// `body`'s result, or nil when it took more than `seconds` (it is then
  /// cancelled, and what it had in flight is not recorded).
  static func within<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T?
  {
    guard seconds > 0 else { return nil }
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: .seconds(seconds))
        return nil
      }
      // The first to end wins; the other is cancelled (and what a
      // cancelled body throws as it ends is not awaited).
      defer { group.cancelAll() }
      return try await group.next() ?? nil
    }
  }

  /// Why a search that did not solve its task missed it, in a line.
  static func reason(stop: String, search: TaskSearch, hiddenFailure: TestResult?) -> String {
    /// How close the best candidate came on the public tests.
    var closest: String {
      guard let best = search.best else { return "" }
      let passed = best.results.filter { $0.verdict == .passed }.count
      let first = best.results.first { $0.verdict != .passed }
      return "; the best candidate passed \(passed)/\(best.results.count) public tests"
        + (first.map { " (public test \($0.index): \(short($0.verdict.detail)))" } ?? "")
    }
    switch stop {
    case "passed-public":
      guard let failure = hiddenFailure else { return "passed every public test, and failed a hidden one" }
      return "passed every public test, failed hidden test \(failure.index): \(short(failure.verdict.detail))"
    case "no-candidates": return "the policy proposed no program"
    case "exhausted":
      return "the policy had nothing more to propose after \(counted(search.nodes.count, "candidate"))" + closest
    case "time": return "out of time (\(search.budget.seconds) s)" + closest
    default:
      return "budget spent (\(counted(search.runs, "sandbox run")), \(counted(search.proposals, "proposal")))" + closest
    }
  }

  /// A verdict's detail (already made safe to show) cut to a line's worth.
  static func short(_ detail: String) -> String {
    detail.count <= 300 ? detail : String(detail.prefix(297)) + "..."
  }

  /// Every task's outcome, in the tasks' order, `workers` tasks at a time.
  /// `report` sees each outcome as it arrives (and whether it was replayed).
  /// `starting` hears each task's id as its search begins.
  public func solve(
    _ tasks: [CodingTask], workers: Int, starting: @escaping @Sendable (String) -> Void = { _ in },
    report: @escaping @Sendable (TaskOutcome, Bool) -> Void
  ) async throws -> [TaskOutcome] {
    try await boundedMap(tasks, workers: workers) { task in
      starting(task.id)
      let (outcome, replayed) = try await solve(task)
      report(outcome, replayed)
      return outcome
    }
  }
}
