import Foundation
import Journal
import Judge
import Policy
import Suites
import Support

/// A fault that stops the run (not a failed candidate): the sandbox broke
/// twice on one candidate, or the policy could not answer.
public struct SearchFault: Error, CustomStringConvertible {
  public var taskID: String
  public var message: String
  public var description: String { "\(taskID): \(message)" }
}

/// One task's search in progress: the policy and the sandbox, reached
/// through the journal, and the budget they spend. A strategy drives it.
///
/// Every policy call is a numbered step; its candidates are written to the
/// journal before any runs, and each run is written as it ends. On resume
/// the same strategy asks the same questions in the same order and gets the
/// journal's answers, so nothing recorded is redone.
///
/// One task at a time uses it (the strategy's); the solver's deadline
/// only cancels that task, hence `@unchecked Sendable`.
final class TaskSearch: @unchecked Sendable {
  /// A candidate that has been run on the public tests.
  struct Node {
    var candidate: Candidate
    var step: Int
    var index: Int
    var results: [TestResult]
    var reward: Reward
    /// Times a strategy has expanded (revised) it.
    var expansions = 0
  }

  let task: CodingTask
  let view: TaskView
  let policy: any Policy
  let judge: any CandidateJudge
  let journal: any SearchJournal
  let budget: SearchBudget
  let seed: UInt64
  let started = ContinuousClock.now

  var step = 0
  var proposals = 0
  var runs = 0
  var nodes: [Node] = []
  var evaluatedIDs: Set<String> = []
  /// The policy returned nothing new when asked for fresh candidates.
  var exhausted = false

  init(
    task: CodingTask, policy: any Policy, judge: any CandidateJudge, journal: any SearchJournal,
    budget: SearchBudget, seed: UInt64
  ) {
    self.task = task
    view = TaskView(task)
    self.policy = policy
    self.judge = judge
    self.journal = journal
    self.budget = budget
    self.seed = seed
  }

  var remainingProposals: Int { max(0, budget.proposals - proposals) }
  var remainingRuns: Int { max(0, budget.runs - runs) }
  var outOfTime: Bool { ContinuousClock.now - started > .seconds(budget.seconds) }
  var solvedNode: Node? { best.flatMap { $0.reward.outcome ? $0 : nil } }
  /// The candidates that passed every public test, the policy's best first
  /// (by its score, then in the order they ran).
  var consistentNodes: [Node] {
    nodes.enumerated().filter { $0.element.reward.outcome }
      .sorted { ($0.element.candidate.score, -$0.offset) > ($1.element.candidate.score, -$1.offset) }.map(\.element)
  }
  /// Candidates passing every public test that search collects before it
  /// stops (1 unless a choice among them is made).
  var wanted = 1
  /// Nothing more can run: enough candidates passed every public test, or
  /// out of runs or time. Spent proposals only stop new ones: what was
  /// proposed still runs. When a choice is to be made, the runs it needs
  /// (one per candidate that passed) are kept back from search.
  var finished: Bool {
    if wanted <= 1 { return solvedNode != nil || remainingRuns == 0 || outOfTime }
    let consistent = nodes.count { $0.reward.outcome }
    return consistent >= wanted || (consistent > 0 && remainingRuns <= consistent) || remainingRuns == 0 || outOfTime
  }

  /// The best candidate so far: by reward, then by the policy's own score.
  var best: Node? {
    nodes.max { ($0.reward, $0.candidate.score) < ($1.reward, $1.candidate.score) }
  }

  /// What every candidate run so far told the policy.
  var history: [Feedback] { nodes.map { feedback($0) } }

  func feedback(_ node: Node) -> Feedback {
    Feedback(
      candidateID: node.candidate.id,
      outcomes: node.results.map {
        Feedback.TestOutcome(
          index: $0.index, passed: $0.verdict == .passed, kind: $0.verdict.kind, detail: $0.verdict.detail)
      })
  }

  // MARK: the policy, through the journal

  /// Up to `count` fresh candidates, best first by the policy's score.
  func propose(_ count: Int) async throws -> [(candidate: Candidate, step: Int, index: Int)] {
    let count = min(count, remainingProposals)
    guard count > 0 else { return [] }
    let request = ProposeRequest(task: view, count: count, history: history, seed: seed &+ UInt64(step))
    return try await call(.propose, parent: nil) { try await self.policy.propose(request) }
  }

  /// Up to `count` repairs of `node`, from its feedback.
  func revise(_ node: Node, count: Int) async throws -> [(candidate: Candidate, step: Int, index: Int)] {
    let count = min(count, remainingProposals)
    guard count > 0 else { return [] }
    let request = ReviseRequest(
      task: view, candidate: node.candidate, feedback: feedback(node), count: count, seed: seed &+ UInt64(step))
    return try await call(.revise, parent: node.candidate.id) { try await self.policy.revise(request) }
  }

  private func call(
    _ kind: ProposalRecord.Kind, parent: String?, _ ask: () async throws -> [Candidate]
  ) async throws -> [(candidate: Candidate, step: Int, index: Int)] {
    let current = step
    step += 1
    let candidates: [Candidate]
    if let recorded = try await journal.proposal(task: task.id, step: current) {
      candidates = recorded.candidates
    } else {
      let clock = ContinuousClock.now
      // Highest score first, so the first full pass is the one best-of-N picks.
      let proposed: [Candidate]
      do {
        proposed = try await ask()
      } catch let error as CancellationError {
        throw error
      } catch {
        // A policy's error is a fault of its infrastructure (a model server
        // down past its retries), never a failed attempt.
        throw SearchFault(taskID: task.id, message: "the policy failed: \(error)")
      }
      candidates = proposed.enumerated().sorted {
        ($0.element.score, -$0.offset) > ($1.element.score, -$1.offset)
      }
      .map(\.element)
      try await journal.record(
        ProposalRecord(
          taskID: task.id, step: current, kind: kind, parent: parent, candidates: candidates,
          milliseconds: (ContinuousClock.now - clock).milliseconds))
    }
    proposals += candidates.count
    return candidates.enumerated().map { (candidate: $1, step: current, index: $0) }
  }

  // MARK: the sandbox, through the journal

  /// Runs a candidate on the public tests, once: a program already run is
  /// not run again, and nothing runs past the budget.
  @discardableResult
  func evaluate(_ candidate: Candidate, step: Int, index: Int) async throws -> Node? {
    guard !evaluatedIDs.contains(candidate.id), remainingRuns > 0 else { return nil }
    let results = try await run(candidate, step: step, index: index, selection: .publicOnly).results
    if !task.publicTests.isEmpty { runs += 1 }
    evaluatedIDs.insert(candidate.id)
    let node = Node(candidate: candidate, step: step, index: index, results: results, reward: Reward(results))
    nodes.append(node)
    return node
  }

  /// A sandbox run, replayed from the journal when it is there. A run the
  /// sandbox itself broke is tried once more, then stops the search.
  func run(_ candidate: Candidate, step: Int, index: Int, selection: TestSelection) async throws -> AttemptRecord {
    if let recorded = try await journal.attempt(task: task.id, step: step, index: index, selection: selection) {
      return recorded
    }
    guard !selection.indices(task).isEmpty else {
      return AttemptRecord(
        taskID: task.id, step: step, index: index, candidate: candidate, selection: selection, results: [],
        milliseconds: 0)
    }
    var attempt = 0
    while true {
      let clock = ContinuousClock.now
      let judgement = try await judge.judge(candidate.program, for: task, tests: selection)
      if judgement.hasInfrastructureError {
        attempt += 1
        if attempt < 2 { continue }
        let detail = judgement.results.first { $0.verdict.kind == .infrastructureError }?.verdict.detail ?? ""
        throw SearchFault(taskID: task.id, message: "the sandbox failed twice running a candidate: \(detail)")
      }
      let record = AttemptRecord(
        taskID: task.id, step: step, index: index, candidate: candidate, selection: selection,
        results: judgement.results, milliseconds: (ContinuousClock.now - clock).milliseconds)
      try await journal.record(record)
      return record
    }
  }
}
