import Policy
import Suites
import Testing
import Values

@testable import Synthesis

@Suite(.timeLimit(.minutes(10))) struct RevisionTests {
  @Test("A wrong subtree is replaced by a model-ranked alternative that passes more examples")
  func repairsSubtree() throws {
    let task = Fixtures.sumOdds
    let wrong = Fixtures.parse("(sum (filter_ints (even $0) @0))")
    let synthesizer = Synthesizer(model: Prior.model)
    let revision = Revision(task: task, model: Prior.model)
    let before = revision.passed(wrong)
    #expect(before < task.outputs.count)
    let rewrites = synthesizer.revise(wrong, task: task, baseline: before, count: 5, programs: 50_000)
    #expect(!rewrites.isEmpty)
    for rewrite in rewrites {
      #expect(rewrite.passed > before)
      #expect(revision.passed(rewrite.expr) == rewrite.passed)
    }
    #expect(rewrites.first?.passed == task.outputs.count)
    #expect(rewrites.contains { $0.expr == Fixtures.parse("(sum (filter_ints (odd $0) @0))") })
  }

  @Test("Positions cover every node, with the slot each sits in")
  func positions() throws {
    let expr = Fixtures.parse("(sum (filter_ints (odd $0) @0))")
    let positions = Revision.positions(expr, type: .int)
    #expect(positions.map(\.path) == [[], [0], [0, 0], [0, 0, 0], [0, 1]])
    #expect(positions.map(\.type) == [.int, .ints, .bool, .int, .ints])
    #expect(positions[2].scope == [.int] && positions[4].scope == [])
    let replaced = Revision.replacing(expr, at: [0, 0], with: Fixtures.parse("(even $0)"))
    #expect(replaced == Fixtures.parse("(sum (filter_ints (even $0) @0))"))
  }

  static func view() throws -> TaskView {
    let tests: [TestCase] = [
      TestCase(.data(args: [.list([.int(1), .int(2), .int(3), .int(4)])], expected: .int(4))),
      TestCase(.data(args: [.list([])], expected: .int(0))),
      TestCase(.data(args: [.list([.int(5), .int(-3), .int(8)])], expected: .int(2))),
      TestCase(.data(args: [.list([.int(7)])], expected: .int(7))),
    ]
    let task = CodingTask(
      id: "sum-odds", prompt: "Return the sum of the odd numbers in the list `xs`.", entryPoint: "sum_odds",
      signature: Signature.parse("def sum_odds(xs: list[int]) -> int"), tests: tests, publicCount: 3,
      origin: Origin(file: "test", format: .crucible))
    return TaskView(task)
  }

  @Test("The policy proposes rendered programs with provenance, and revises from feedback")
  func policy() async throws {
    let policy = SynthesisPolicy(budget: EnumerationBudget(programs: 200_000, matches: 4))
    let view = try Self.view()
    #expect(view.publicTests.count == 3)
    let candidates = try await policy.propose(ProposeRequest(task: view, count: 3))
    #expect(!candidates.isEmpty && candidates.count <= 3)
    for (i, candidate) in candidates.enumerated() {
      #expect(candidate.program.hasPrefix("def sum_odds(xs):\n    return "))
      #expect(candidate.provenance.policy == "builtin" && candidate.provenance.sampleIndex == i)
      #expect(candidate.provenance.parameters.hasPrefix("prior@"))
      #expect(candidate.payload.flatMap(Expr.parse) != nil)
      #expect(candidate.score < 0)
    }
    #expect(zip(candidates, candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
    // Already-tried candidates are not proposed again.
    let history = candidates.map { Feedback(candidateID: $0.id, outcomes: []) }
    let more = try await policy.propose(ProposeRequest(task: view, count: 3, history: history))
    #expect(Set(more.map(\.id)).isDisjoint(with: candidates.map(\.id)))

    let wrongExpr = Fixtures.parse("(sum (filter_ints (even $0) @0))")
    let wrong = Candidate(
      program: "def sum_odds(xs):\n    return sum(x for x in xs if x % 2 == 0)\n", score: -20,
      provenance: Provenance(policy: "builtin", parameters: policy.parameters, sampleIndex: 0),
      payload: wrongExpr.text)
    let feedback = Feedback(
      candidateID: wrong.id,
      outcomes: [
        .init(index: 0, passed: false, kind: .wrongAnswer, detail: "expected 4, got 6"),
        .init(index: 1, passed: true, kind: .passed, detail: ""),
        .init(index: 2, passed: false, kind: .wrongAnswer, detail: "expected 2, got 8"),
      ])
    let repairs = try await policy.revise(ReviseRequest(task: view, candidate: wrong, feedback: feedback, count: 2))
    #expect(!repairs.isEmpty)
    #expect(repairs.allSatisfy { $0.provenance.parent == wrong.id })
    #expect(repairs.first?.program.contains("x % 2 == 1") == true)
    // A candidate the synthesizer did not write (no payload) gets no repairs.
    var foreign = wrong
    foreign.payload = nil
    #expect(
      try await policy.revise(ReviseRequest(task: view, candidate: foreign, feedback: feedback, count: 2)).isEmpty)
  }
}
