import Foundation

/// The synthesizer's learned guidance: a log-linear model of which symbol
/// fills a slot of a program, given the slot's context (parent production
/// and argument position, which fix the expected type), the variables in
/// scope, and the task's features.
///
///     logit(s) = bias[s] + context[c][s] + Σ_{f ∈ task features} feature[f][s]
///                + Σ_{w ∈ prompt words} feature[w@c][s]
///     p(s | slot) = softmax over the symbols the slot's type allows
///
/// A program's probability is the product over its nodes. Training is
/// plain stochastic gradient ascent on log p(program | task), in the order
/// given: deterministic.
public struct SynthesisModel: Sendable, Equatable {
  /// A short name (`prior`, `round-3`).
  public var name: String
  /// How these weights came to be, oldest first.
  public var lineage: [String]
  public var bias: [Double]
  /// Indexed by context, then symbol.
  public var context: [[Double]]
  /// Indexed by feature name (`word:odd`, or `word:odd@filter_ints.0` for
  /// a word within one context), then symbol; absent rows are zero.
  public var features: [String: [Double]]

  public init(name: String, lineage: [String] = []) {
    self.name = name
    self.lineage = lineage
    bias = Array(repeating: 0, count: Symbols.count)
    context = Array(repeating: Array(repeating: 0, count: Symbols.count), count: Symbols.contextCount)
    features = [:]
  }

  /// The model applied to one task's features.
  func scorer(_ taskFeatures: [String]) -> TaskScorer { TaskScorer(model: self, features: taskFeatures) }

  /// The name of a word feature's row within one context.
  static func conjoined(_ feature: String, _ context: Int) -> String { "\(feature)@\(Symbols.contextNames[context])" }

  /// Features that also get a row per context: the prompt's words (what
  /// "odd" means depends on where the slot is).
  static func isConjoined(_ feature: String) -> Bool { feature.hasPrefix("word:") }

  // MARK: programs

  /// One slot of a program: its context, what it allowed, what it holds.
  struct Slot {
    var context: Int
    var allowed: [Int]
    var chosen: Int
  }

  /// The slots of a well-typed program, root first; nil when the program
  /// does not type-check against the task or uses a symbol past the
  /// model's limits.
  func slots(of program: Expr, in task: SynthesisTask) -> [Slot]? {
    var slots: [Slot] = []
    func walk(_ expr: Expr, type: DType, scope: [DType], context: Int) -> Bool {
      let allowed = Symbols.allowed(type, scope: scope, task: task)
      guard let chosen = Symbols.index(of: expr.symbol(task.constants)), allowed.contains(chosen) else { return false }
      slots.append(Slot(context: context, allowed: allowed, chosen: chosen))
      guard case .call(let p, let args) = expr else { return true }
      for (i, argument) in Grammar.productions[p].arguments.enumerated() {
        let ok: Bool
        switch argument {
        case .value(let t): ok = walk(args[i], type: t, scope: scope, context: Symbols.context(p, i))
        case .lambda(let binds, let body): ok = walk(args[i], type: body, scope: binds, context: Symbols.context(p, i))
        }
        if !ok { return false }
      }
      return true
    }
    return walk(program, type: task.returnType, scope: [], context: Symbols.root) ? slots : nil
  }

  /// log2 p(program | task); nil when the program does not fit the task.
  public func logProbability(of program: Expr, in task: SynthesisTask) -> Double? {
    guard let slots = slots(of: program, in: task) else { return nil }
    let scorer = scorer(task.features)
    var total = 0.0
    for slot in slots {
      let logs = scorer.logProbabilities(context: slot.context, allowed: slot.allowed)
      total += logs[slot.allowed.firstIndex(of: slot.chosen)!]
    }
    return total / log(2)
  }

  /// One gradient-ascent step on log p(program | task). Returns false (and
  /// changes nothing) when the program does not fit the task.
  @discardableResult
  public mutating func step(program: Expr, task: SynthesisTask, learningRate: Double) -> Bool {
    guard let slots = slots(of: program, in: task) else { return false }
    let scorer = scorer(task.features)
    // The gradient at the weights before the step, for every slot.
    var gradient: [(context: Int, symbol: Int, value: Double)] = []
    for slot in slots {
      let logs = scorer.logProbabilities(context: slot.context, allowed: slot.allowed)
      for (k, s) in slot.allowed.enumerated() {
        gradient.append((slot.context, s, (s == slot.chosen ? 1 : 0) - exp(logs[k])))
      }
    }
    for feature in task.features where features[feature] == nil {
      features[feature] = Array(repeating: 0, count: Symbols.count)
    }
    let words = task.features.filter(Self.isConjoined)
    for g in gradient {
      let delta = learningRate * g.value
      bias[g.symbol] += delta
      context[g.context][g.symbol] += delta
      for feature in task.features { features[feature]![g.symbol] += delta }
      for word in words {
        features[Self.conjoined(word, g.context), default: Array(repeating: 0, count: Symbols.count)][g.symbol] += delta
      }
    }
    return true
  }

  /// Rounds every weight to 1/1000 and drops those below 0.005: a
  /// checkpoint stays small, and the model in memory is exactly the one
  /// saved.
  public mutating func quantize() {
    func q(_ w: Double) -> Double { abs(w) < 0.005 ? 0 : (w * 1000).rounded() / 1000 }
    bias = bias.map(q)
    context = context.map { $0.map(q) }
    features = features.mapValues { $0.map(q) }.filter { $0.value.contains { $0 != 0 } }
  }

  /// Gradient steps over (task, program) pairs, `epochs` times in order.
  /// Returns how many pairs fit their task.
  @discardableResult
  public mutating func train(
    on pairs: [(task: SynthesisTask, program: Expr)], epochs: Int = 1, learningRate: Double = 0.1
  ) -> Int {
    var fitted = 0
    for epoch in 0..<epochs {
      for pair in pairs where step(program: pair.program, task: pair.task, learningRate: learningRate) {
        if epoch == 0 { fitted += 1 }
      }
    }
    return fitted
  }
}

/// The model applied to one task: the sum of its feature rows, computed
/// once, and its words, looked up per context.
struct TaskScorer {
  let model: SynthesisModel
  let global: [Double]
  let words: [String]

  init(model: SynthesisModel, features: [String]) {
    self.model = model
    var sum = Array(repeating: 0.0, count: Symbols.count)
    for feature in features {
      guard let row = model.features[feature] else { continue }
      for s in 0..<Symbols.count { sum[s] += row[s] }
    }
    global = sum
    words = features.filter(SynthesisModel.isConjoined)
  }

  /// log p(symbol) for each allowed symbol of a slot, in natural log.
  func logProbabilities(context c: Int, allowed: [Int]) -> [Double] {
    var logits = allowed.map { model.bias[$0] + model.context[c][$0] + global[$0] }
    for word in words {
      guard let row = model.features[SynthesisModel.conjoined(word, c)] else { continue }
      for (k, s) in allowed.enumerated() { logits[k] += row[s] }
    }
    let top = logits.max() ?? 0
    let normalizer = top + log(logits.reduce(0) { $0 + exp($1 - top) })
    return logits.map { $0 - normalizer }
  }
}
