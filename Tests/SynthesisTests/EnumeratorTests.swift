import Testing

@testable import Synthesis

@Suite(.timeLimit(.minutes(10))) struct EnumeratorTests {
  let synthesizer = Synthesizer(model: Prior.model)

  @Test(
    "The enumerator finds the intended program for small tasks",
    arguments: [
      (Fixtures.sumOdds, "(sum (filter_ints (odd $0) @0))"),
      (Fixtures.doubleEach, "(map_ints (mul $0 #2) @0)"),
      (Fixtures.countBelow, "(count_ints (lt $0 @1) @0)"),
    ])
  func findsPrograms(task: SynthesisTask, intended: String) throws {
    let result = synthesizer.enumerate(task, budget: EnumerationBudget(programs: 300_000, matches: 8))
    let ranked = synthesizer.ranked(result, task: task).filter { $0.passed == task.outputs.count }
    #expect(!ranked.isEmpty)
    // Every match really matches, by the interpreter.
    let interpreter = Interpreter(constants: task.constants)
    for found in ranked {
      for (input, output) in zip(task.inputs, task.outputs) {
        #expect(interpreter.evaluate(found.expr, params: input) == output, "\(found.expr.text)")
      }
    }
    // The intended program (or an equivalent rendering of it) is among them,
    // and reported costs are the model's.
    let intendedExpr = Fixtures.parse(intended)
    let bits = try #require(Prior.model.logProbability(of: intendedExpr, in: task))
    #expect(ranked.contains { $0.expr == intendedExpr } || ranked.first!.bits <= -bits + 1)
    for found in result.matches {
      let exact = try #require(Prior.model.logProbability(of: found.expr, in: task))
      // Quantized to half-bits, at least one unit per node.
      #expect(abs(found.bits + exact) <= Double(found.expr.size) * 0.5 + 1e-9, "\(found.expr.text)")
    }
  }

  @Test("Equivalence pruning keeps one program per distinct behaviour, and enumeration is deterministic")
  func pruningAndDeterminism() throws {
    let first = Enumerator(task: Fixtures.sumOdds, model: Prior.model)
    let a = first.run(EnumerationBudget(programs: 50_000, matches: 1000))
    // Top level: no two kept programs of one type have the same values on
    // the examples, and none fails on an example.
    let task = Fixtures.sumOdds
    let top = first.banks[0]
    var seen: Set<[Cell]> = []
    for id in 0..<top.count {
      let row = (0..<top.width).map { top.cell(Int32(id), $0) }
      let expr = first.expr(Int32(id), in: top)
      let type: DType
      switch expr {
      case .call(let p, _): type = Grammar.productions[p].result
      case .param(let i): type = task.parameterTypes[i]
      case .constant(let c): type = try #require(task.constants.values[c].type)
      case .bound:
        Issue.record("a bound variable at the top level: \(expr.text)")
        continue
      }
      #expect(seen.insert([Cell(kind: .int, bits: Int(type.rawValue))] + row).inserted)
      #expect(row.allSatisfy { !$0.isFailure })
    }
    #expect(a.kept < a.evaluated, "pruning dropped nothing")
    let b = Enumerator(task: Fixtures.sumOdds, model: Prior.model).run(
      EnumerationBudget(programs: 50_000, matches: 1000))
    #expect(a.matches == b.matches)
    #expect(a.evaluated == b.evaluated && a.kept == b.kept)
  }

  @Test("The budget stops the enumeration")
  func budgetStops() {
    let impossible = Fixtures.task(
      "impossible", prompt: "Return a number.", names: ["xs"], types: [.ints], returns: .int,
      examples: [([.ints([1])], .int(982_451_653)), ([.ints([2])], .int(-77_777_777))])
    let result = synthesizer.enumerate(impossible, budget: EnumerationBudget(programs: 20_000))
    #expect(result.matches.isEmpty)
    #expect(result.stop == "programs")
    #expect(result.evaluated == 20_000)
  }
}
