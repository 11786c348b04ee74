import Foundation
import Testing

@testable import Synthesis

/// Dreamed training tasks: programs sampled from the model, run by the
/// interpreter, named by their productions.
@Suite(.timeLimit(.minutes(2))) struct DreamTests {
  static let sources = [Fixtures.sumOdds, Fixtures.doubleEach, Fixtures.shout, Fixtures.countBelow]

  @Test("Dreams: deterministic under the seed; each one's examples are its program's outputs; no two alike")
  func dreams() throws {
    let dreamer = Dreamer(count: 40, seed: 3)
    let dreams = dreamer.dreams(model: Prior.model, from: Self.sources)
    #expect(dreams.count >= 20 && dreams.count <= 40, "\(dreams.count) dreams")
    let again = dreamer.dreams(model: Prior.model, from: Self.sources)
    #expect(dreams.map(\.program) == again.map(\.program))
    #expect(
      dreams.map { TaskFeatures.words($0.task.features.joined(separator: " ")) }
        == again.map { TaskFeatures.words($0.task.features.joined(separator: " ")) })
    #expect(
      dreams.map(\.program) != Dreamer(count: 40, seed: 4).dreams(model: Prior.model, from: Self.sources).map(\.program)
    )
    var behaviours: [String: Set<[DValue]>] = [:]
    for dream in dreams {
      let task = dream.task
      let interpreter = Interpreter(constants: task.constants)
      let outputs = task.inputs.map { interpreter.evaluate(dream.program, params: $0) }
      #expect(outputs == task.outputs, "\(dream.program)")
      #expect(outputs.allSatisfy { $0.type == task.returnType }, "\(dream.program): \(outputs)")
      // Not a leaf: a parameter or a constant is no task.
      guard case .call = dream.program else {
        Issue.record("a leaf dreamt: \(dream.program)")
        continue
      }
      // Of the signature of one of the sources, and fit for the model.
      #expect(Self.sources.contains { $0.parameterTypes == task.parameterTypes && $0.returnType == task.returnType })
      #expect(Prior.model.logProbability(of: dream.program, in: task) != nil)
      // The prompt names the productions the program uses.
      #expect(task.features.contains { $0.hasPrefix("word:") }, "\(dream.program): \(task.features)")
      // What it was kept for: on the task's inputs and the generated ones,
      // more than one output, no argument handed back, and a behaviour no
      // other dream over the same inputs has.
      let inputs = task.inputs + dream.probes
      #expect(inputs.map { interpreter.evaluate(dream.program, params: $0) } == dream.behaviour)
      #expect(Set(dream.behaviour).count > 1, "\(dream.program): one output for every input")
      #expect(
        !task.parameterTypes.indices.contains { i in zip(inputs, dream.behaviour).allSatisfy { $0.0[i] == $0.1 } },
        "\(dream.program) hands an argument back")
      #expect(
        behaviours["\(task.inputs)", default: []].insert(dream.behaviour).inserted,
        "\(dream.program): a behaviour dreamt twice")
    }
    // (One program may be dreamt for two signatures: over more parameters
    // it is another task.)
    #expect(
      Set(dreams.map { "\($0.task.parameterTypes) \($0.program)" }).count == dreams.count,
      "a program dreamt twice for one signature")
  }

  @Test("A dream's prompt: the words of its productions, without type suffixes, abbreviations spelled out")
  func prompt() throws {
    let program = try #require(Expr.parse("(sum (filter_ints (even $0) @0))"))
    #expect(Dreamer.prompt(of: program) == "sum filter even")
    let length = try #require(Expr.parse("(len_ints (reverse_ints @0))"))
    #expect(Dreamer.prompt(of: length) == "length reverse")
  }

  @Test("No dreams when none are asked for, or no source has a signature to dream over")
  func none() {
    #expect(Dreamer(count: 0, seed: 1).dreams(model: Prior.model, from: Self.sources).isEmpty)
    #expect(Dreamer(count: 10, seed: 1).dreams(model: Prior.model, from: []).isEmpty)
  }

  @Test("Learning from dreams raises the probability of the dreamt programs for their words")
  func learning() {
    let dreams = Dreamer(count: 30, seed: 5).dreams(model: Prior.model, from: Self.sources)
    var model = Prior.model
    model.train(on: dreams.map { ($0.task, $0.program) }, epochs: 4, learningRate: 0.05)
    let raised = dreams.filter { dream in
      model.logProbability(of: dream.program, in: dream.task)! > Prior.model.logProbability(
        of: dream.program, in: dream.task)!
    }
    #expect(raised.count == dreams.count)
  }
}
