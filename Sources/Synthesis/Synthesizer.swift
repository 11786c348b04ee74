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
