import Foundation

/// The synthesizer's entry points: enumerate programs for a task under a
/// model, rank what matches, and repair what fails.
public struct Synthesizer: Sendable {
  public let model: SynthesisModel
  /// Bits added per parameter a program ignores: a task's arguments are
  /// there to be used.
  public static let unusedParameterBits = 4.0

  public init(model: SynthesisModel) { self.model = model }

  /// Programs for `task` in increasing cost, within `budget`.
  public func enumerate(_ task: SynthesisTask, budget: EnumerationBudget) -> Enumeration {
    Enumerator(task: task, model: model).run(budget)
  }

  /// What to propose, best first: programs matching every public example
  /// by cost (a program that ignores a parameter later), then, when none
  /// does, the nearest misses.
  public func ranked(_ enumeration: Enumeration, task: SynthesisTask) -> [Found] {
    let matches = enumeration.matches.map { found in
      var adjusted = found
      let used = found.expr.parametersUsed
      let unused = task.parameterTypes.indices.filter { !used.contains($0) }.count
      adjusted.bits += Double(unused) * Self.unusedParameterBits
      return adjusted
    }.sorted { ($0.bits, $0.expr.size) < ($1.bits, $1.expr.size) }
    return matches + enumeration.nearMisses
  }

  /// `ranked`'s programs, those that match every public example reordered
  /// by what they do elsewhere: each is run (by the interpreter) on
  /// `inputs`, programs that give the same outputs form a cluster, and
  /// clusters go by their weight, the model's probability summed over
  /// their programs (AlphaCode's selection, with the model's mass for
  /// counts). The best program of each cluster comes first, clusters in
  /// order, then the rest by cost; the near misses stay last. An input on
  /// which most programs fail is left out: likely outside what the task
  /// allows, it would only split clusters on errors.
  public func clustered(_ ranked: [Found], task: SynthesisTask, inputs: [[DValue]]) -> [Found] {
    let matches = ranked.prefix { $0.passed == task.outputs.count }
    guard matches.count > 1, !inputs.isEmpty else { return ranked }
    let interpreter = Interpreter(constants: task.constants)
    let outputs = matches.map { found in inputs.map { interpreter.evaluate(found.expr, params: $0) } }
    let kept = inputs.indices.filter { i in outputs.filter { $0[i].isFailure }.count * 2 <= matches.count }
    var clusters: [[DValue]: (weight: Double, members: [Int])] = [:]
    let cheapest = matches.map(\.bits).min() ?? 0
    for (m, found) in matches.enumerated() {
      let key = kept.map { outputs[m][$0] }
      clusters[key, default: (0, [])].weight += Foundation.exp2(cheapest - found.bits)
      clusters[key, default: (0, [])].members.append(m)
    }
    let order = clusters.values.sorted {
      ($0.weight, -$0.members[0]) > ($1.weight, -$1.members[0])
    }
    let leaders = order.map { matches[matches.startIndex + $0.members[0]] }
    let rest = order.flatMap { $0.members.dropFirst() }.sorted().map { matches[matches.startIndex + $0] }
    return leaders + rest + ranked.dropFirst(matches.count)
  }

  /// Rewrites of `expr` that get more than `baseline` public examples
  /// right, from a fresh enumeration of `programs` alternatives.
  public func revise(_ expr: Expr, task: SynthesisTask, baseline: Int, count: Int, programs: Int) -> [Found] {
    let pool = Enumerator(task: task, model: model)
    _ = pool.run(EnumerationBudget(programs: programs, matches: Int.max / 2))
    let revision = Revision(task: task, model: model)
    return revision.rewrites(of: expr, baseline: max(baseline, revision.passed(expr)), pool: pool, count: count)
  }
}

extension Expr {
  /// The parameters the expression reads.
  public var parametersUsed: Set<Int> {
    switch self {
    case .param(let i): [i]
    case .bound, .constant: []
    case .call(_, let args): args.reduce(into: Set<Int>()) { $0.formUnion($1.parametersUsed) }
    }
  }
}
