import Judge
import Policy
import Search
import Suites
import Values

/// Chooses among a task's candidates that all pass its public tests, by a
/// ``Selection``: `first` keeps the policy's order; `cluster` runs each on
/// generated inputs in the sandbox (one job per candidate) and ranks by
/// behaviour cluster; `codet` runs each on the tests a model wrote (one
/// job per candidate) and ranks by dual agreement. Only the order comes
/// out: whether the chosen candidate solves the task is for the task's own
/// hidden tests to say, and the model's tests are never recorded as the
/// task's.
public struct CandidateSelector: Sendable {
  /// Model-written data tests for a task (CodeT's tests).
  public typealias TestSource = @Sendable (CodingTask) async throws -> [TestCase]

  public var selection: Selection
  /// Candidates passing every public test that search collects first.
  public var consistent: Int
  /// Sandbox runs for a function task's calls, and their verdicts.
  public var judge: any CandidateJudge & BehaviourProbe
  /// Generated inputs per candidate, for `cluster`.
  public var probeInputs: Int
  public var seed: UInt64
  /// For `codet`: the model's tests.
  public var tests: TestSource?

  public static let defaultProbeInputs = 16
  public static let defaultConsistent = 4

  public init(
    selection: Selection, judge: any CandidateJudge & BehaviourProbe, consistent: Int = Self.defaultConsistent,
    probeInputs: Int = Self.defaultProbeInputs, seed: UInt64 = 0, tests: TestSource? = nil
  ) {
    self.selection = selection
    self.consistent = consistent
    self.judge = judge
    self.probeInputs = probeInputs
    self.seed = seed
    self.tests = tests
  }

  /// What a selection found.
  public struct Ranking: Sendable, Equatable {
    /// The candidates' indices, best first.
    public var order: [Int]
    /// Sandbox jobs it ran.
    public var runs: Int
    /// Distinct behaviours (`cluster`) or groups of agreement (`codet`);
    /// nil when the selection had nothing to tell candidates apart by.
    public var groups: Int?
    /// Inputs (`cluster`) or model tests (`codet`) the candidates ran on.
    public var probes: Int
  }

  /// `programs` (in the policy's order) ranked for `task`; `weights`
  /// count a program more than once (how many samples gave it).
  public func rank(
    _ programs: [String], for task: CodingTask, weights: [Double]? = nil, ran: @Sendable () -> Void = {}
  ) async throws -> Ranking {
    let identity = Ranking(order: Array(programs.indices), runs: 0, groups: nil, probes: 0)
    guard programs.count > 1 else { return identity }
    switch selection {
    case .first:
      return identity
    case .cluster:
      let inputs = ProbeInputs.make(task, count: probeInputs, seed: seed)
      guard !inputs.isEmpty else { return identity }
      let bodies = inputs.map { TestCase.Body.data(args: $0, expected: .none) }
      var behaviours: [[Behaviour]] = []
      for program in programs {
        behaviours.append(try await judge.probe(program, for: task, inputs: bodies))
        ran()
      }
      return Ranking(
        order: BehaviourClusters.rank(behaviours, weights: weights), runs: programs.count,
        groups: BehaviourClusters.count(behaviours), probes: inputs.count)
    case .codet:
      guard let tests, !task.isProgram else { return identity }
      // Data tests only: their expected values are compared outside the
      // sandbox, and nothing the model wrote runs as test code.
      let written = try await tests(task).filter {
        if case .data = $0.body { return true }
        return false
      }
      guard !written.isEmpty else { return identity }
      let probed = Self.modelTestTask(task, tests: written)
      var passes: [[Bool]] = []
      for program in programs {
        let judgement = try await judge.judge(program, for: probed, tests: .all)
        ran()
        passes.append(
          written.indices.map { i in judgement.results.contains { $0.index == i && $0.verdict == .passed } })
      }
      return Ranking(
        order: DualAgreement.rank(passes, weights: weights), runs: programs.count, groups: Set(passes).count,
        probes: written.count)
    }
  }

  /// A task whose tests are the model's, and nothing of the task's own
  /// tests: run only to rank, never recorded.
  static func modelTestTask(_ task: CodingTask, tests: [TestCase]) -> CodingTask {
    CodingTask(
      id: task.id, prompt: task.prompt, entryPoint: task.entryPoint, signature: task.signature,
      promptCode: task.promptCode, tests: tests, publicCount: tests.count, origin: task.origin)
  }
}

extension CandidateSelector: ConsistentChoice {
  public func order(_ programs: [String], for task: CodingTask, ran: @escaping @Sendable () -> Void) async throws
    -> [Int]
  {
    try await rank(programs, for: task, ran: ran).order
  }
}
