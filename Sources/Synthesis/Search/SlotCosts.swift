import Foundation

/// The model's costs for one task, in the integer units the enumerator
/// counts: half-bits, `round(2 · −log2 p)`, at least 1 so that every node
/// costs something and enumeration by cost terminates.
struct SlotCosts {
  struct Option {
    var symbol: Int
    var units: Int
  }

  let task: SynthesisTask
  let scorer: TaskScorer

  init(model: SynthesisModel, task: SynthesisTask) {
    self.task = task
    scorer = model.scorer(task.features)
  }

  /// Units per half-bit.
  static let unitsPerBit = 2.0

  /// The options of a slot with their costs, cheapest first.
  func options(context: Int, type: DType, scope: [DType]) -> [Option] {
    let allowed = Symbols.allowed(type, scope: scope, task: task)
    let logs = scorer.logProbabilities(context: context, allowed: allowed)
    return zip(allowed, logs).map { symbol, logP in
      Option(symbol: symbol, units: max(1, Int((-logP / log(2) * Self.unitsPerBit).rounded())))
    }.sorted { ($0.units, $0.symbol) < ($1.units, $1.symbol) }
  }
}
