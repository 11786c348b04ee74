import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(10))) struct HumanEvalTests {
  @Test("HumanEval: all 164 canonical solutions pass; bodies of `return None` pass none")
  func canonical() async throws {
    let suite = try Suite.load(try HumanEvalData.path())
    #expect(suite.tasks.count == 164)
    let judge = Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 10)
    let outcomes = try await ReferenceCheck.run(suite.tasks, judge: judge, workers: 2)
    let failed = outcomes.filter { !$0.passed }.map { "\($0.task.id): \($0.problem ?? "")" }
    #expect(failed.isEmpty, "\(failed)")

    let broken = suite.tasks.map { task -> CodingTask in
      var copy = task
      copy.solution = (task.promptCode ?? "") + "    return None\n"
      return copy
    }
    let none = try await ReferenceCheck.run(broken, judge: judge, workers: 2)
    #expect(none.filter(\.passed).isEmpty, "\(none.filter(\.passed).map(\.task.id))")
    #expect(!none.contains { $0.judgement?.hasInfrastructureError == true })
  }
}
