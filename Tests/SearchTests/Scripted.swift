import Judge
import Policy
import Search
import Suites
import Synchronization

/// A policy that says what a test scripts: fresh candidates in order, and
/// for each program, the repairs a revision returns.
final class ScriptedPolicy: Policy {
  let proposals: [String]
  let repairs: [String: [String]]
  let calls = Mutex<[String]>([])
  /// Said of every task, when set: the policy declines them all.
  let declineReason: String?

  init(proposals: [String], repairs: [String: [String]] = [:], declineReason: String? = nil) {
    self.proposals = proposals
    self.repairs = repairs
    self.declineReason = declineReason
  }

  func declines(_ task: TaskView) -> String? { declineReason }

  var name: String { "scripted" }
  var parameters: String { "script" }

  func candidate(_ program: String, index: Int, parent: String?, score: Double) -> Candidate {
    Candidate(
      program: program, score: score,
      provenance: Provenance(policy: name, parameters: parameters, sampleIndex: index, parent: parent))
  }

  func propose(_ request: ProposeRequest) async throws -> [Candidate] {
    calls.withLock { $0.append("propose \(request.count)") }
    let tried = Set(request.history.map(\.candidateID))
    let fresh = proposals.enumerated().map { candidate($1, index: $0, parent: nil, score: -Double($0)) }
      .filter { !tried.contains($0.id) }
    return Array(fresh.prefix(request.count))
  }

  func revise(_ request: ReviseRequest) async throws -> [Candidate] {
    calls.withLock { $0.append("revise") }
    let programs = repairs[request.candidate.program] ?? []
    return programs.prefix(request.count).enumerated().map {
      candidate($1, index: $0, parent: request.candidate.id, score: request.candidate.score - 1)
    }
  }
}

/// Counts the sandbox runs a solver asks for.
final class CountingJudge: CandidateJudge {
  let inner: any CandidateJudge
  let runs = Mutex(0)

  init(_ inner: any CandidateJudge) { self.inner = inner }

  var count: Int { runs.withLock { $0 } }

  func judge(_ program: String, for task: CodingTask, tests: TestSelection) async throws -> Judgement {
    runs.withLock { $0 += 1 }
    return try await inner.judge(program, for: task, tests: tests)
  }
}

enum Programs {
  static func square(_ body: String) -> String { "def square(x):\n    return \(body)\n" }
  static let right = square("x * x")
  static let wrong = square("x + x")  // right on 0 and 2 only
  static let raising = square("x / 0")
  static let broken = "def square(x):\n    return x *\n"
  static let closer = square("x * abs(x)")  // right on non-negatives
  static let notTen = square("0 if x == 10 else x * x")  // every public test, not hidden test 4
}

/// x squared: public tests 2, 3, -1; hidden 0, 10, 12, 7, -9.
let squareTask = CodingTask(
  id: "square", prompt: "Return x squared.", entryPoint: "square",
  signature: Signature.parse("def square(x: int) -> int"), solution: Programs.right,
  tests: [2, 3, -1, 0, 10, 12, 7, -9].map { .data([.int($0)], .int($0 * $0)) }, publicCount: 3,
  origin: Origin(file: "memory", format: .crucible))
