import Foundation
import Policy
import Suites
import Testing

@testable import Synthesis

/// Choosing among programs that pass every public test: generated inputs,
/// and the clusters of behaviour on them.
@Suite(.timeLimit(.minutes(2))) struct SelectionTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static func bundled(_ name: String) throws -> [SynthesisTask] {
    try Suite.load("\(root)/tasks/\(name)").tasks.compactMap { try? SynthesisTask(TaskView($0)) }
  }

  @Test("Generated inputs: deterministic under the seed, of the parameters' types, distinct, never a public input")
  func generatedInputs() throws {
    let tasks = try Self.bundled("eval")
    #expect(tasks.count >= 60)
    for task in tasks {
      let inputs = GeneratedInputs.make(task, count: 32, seed: 7)
      #expect(inputs == GeneratedInputs.make(task, count: 32, seed: 7), "\(task.id)")
      // As many as asked for, unless the types hold fewer values (bools).
      #expect(inputs.count == 32 || task.parameterTypes.allSatisfy { $0 == .bool }, "\(task.id): \(inputs.count)")
      #expect(Set(inputs).count == inputs.count, "\(task.id): repeated inputs")
      #expect(Set(inputs).isDisjoint(with: Set(task.inputs)), "\(task.id): a public input")
      for input in inputs {
        #expect(input.map(\.type) == task.parameterTypes.map { Optional($0) }, "\(task.id): \(input)")
      }
      // Another seed draws other inputs.
      #expect(GeneratedInputs.make(task, count: 32, seed: 8) != inputs, "\(task.id)")
    }
  }

  @Test("Mutations reach the edges: empty, single, reversed, duplicated, negated")
  func mutations() {
    let inputs = Set(GeneratedInputs.make(Fixtures.sumOdds, count: 64, seed: 1).map { $0[0] })
    for edge: DValue in [
      .ints([]), .ints([1]), .ints([4, 3, 2, 1]), .ints([1, 2, 3, 4, 1]), .ints([-1, -2, -3, -4]),
    ] {
      #expect(inputs.contains(edge) || Fixtures.sumOdds.inputs.contains([edge]), "\(edge)")
    }
  }

  /// Every public example of "sum of the odd numbers" holds odd numbers
  /// only, so `sum(xs)` passes them all and is the cheapest; three other
  /// programs that do sum the odd ones, each dearer, outweigh it together.
  static let fewTests = Fixtures.task(
    "sum-odds", prompt: "Return the sum of the odd numbers in the list `xs`.", names: ["xs"], types: [.ints],
    returns: .int, examples: [([.ints([1, 3])], .int(4)), ([.ints([])], .int(0)), ([.ints([5])], .int(5))])

  static func found(_ text: String, bits: Double) -> Found {
    Found(expr: Fixtures.parse(text), bits: bits, passed: 3, programs: 1)
  }

  @Test("Clustering picks the majority behaviour where the cheapest program that passes the public tests is wrong")
  func majority() {
    let task = Self.fewTests
    let wrong = Self.found("(sum @0)", bits: 10)
    let right = [
      Self.found("(sum (filter_ints (odd $0) @0))", bits: 10.5),
      Self.found("(sub (sum @0) (sum (filter_ints (even $0) @0)))", bits: 11),
      Self.found("(sum (filter_ints (not (even $0)) @0))", bits: 11.5),
    ]
    let interpreter = Interpreter(constants: task.constants)
    for found in [wrong] + right {
      #expect(zip(task.inputs, task.outputs).allSatisfy { interpreter.evaluate(found.expr, params: $0) == $1 })
    }
    let nearMiss = Found(expr: Fixtures.parse("(len_ints @0)"), bits: 5, passed: 1, programs: 1)
    let synthesizer = Synthesizer(model: Prior.model)
    let inputs = GeneratedInputs.make(task, count: 32, seed: 3)
    let ordered = synthesizer.clustered([wrong] + right + [nearMiss], task: task, inputs: inputs)
    // The largest cluster's cheapest first, then the other cluster's, then
    // the rest of the first cluster, then the near miss.
    #expect(ordered.map(\.expr) == [right[0], wrong, right[1], right[2], nearMiss].map(\.expr))
    // First: the cheapest, the wrong one.
    #expect(synthesizer.clustered([wrong] + right, task: task, inputs: []).first?.expr == wrong.expr)
    // One behaviour alone: the order by cost stays.
    #expect(synthesizer.clustered(right, task: task, inputs: inputs).map(\.expr) == right.map(\.expr))
  }

  @Test("The policy proposes the cluster's choice first with --select cluster, the cheapest with first")
  func policy() async throws {
    let suite = try Suite.load("\(Self.root)/tasks/eval")
    let task = try #require(suite.tasks.first { $0.id == "sum-odds" })
    let view = TaskView(task)
    for selection in Selection.allCases {
      let policy = SynthesisPolicy(
        model: Prior.model, budget: EnumerationBudget(programs: 200_000), selection: selection)
      let request = ProposeRequest(task: view, count: 4, history: [], seed: 0)
      let first = try await policy.propose(request)
      #expect(try await policy.propose(request) == first, "\(selection): not deterministic")
      #expect(!first.isEmpty)
      #expect(policy.parameters.contains("select=cluster") == (selection == .cluster))
    }
  }
}
