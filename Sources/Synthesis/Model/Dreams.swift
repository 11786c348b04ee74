import Foundation
import Support

/// Dreamed training tasks, as DreamCoder's dreams: programs sampled from the
/// model over a real training task's signature, run by the interpreter on
/// that task's public inputs and on generated ones, and kept when they do
/// something (no error on the examples, not one output for every input, not
/// an argument handed back) that no other dream of the same signature does.
/// Each becomes a task whose prompt is words of the productions it uses and
/// whose examples are its own outputs: the model learns which words go with
/// which productions from more programs than the training suite holds.
/// Deterministic under the seed.
public struct Dreamer: Sendable {
  /// Dreams kept at most.
  public var count: Int
  public var seed: UInt64
  /// Samples drawn per real task and dream kept, at most: a program the
  /// model likes may be dreamt many times.
  public var triesPerDream = 40
  /// The sampled trees' depth, at most.
  public var depth = 4
  /// Generated inputs beside the public ones, to tell behaviours apart.
  public var probes = 8

  public init(count: Int, seed: UInt64) {
    self.count = count
    self.seed = seed
  }

  /// A dreamed task and the program that is its answer.
  public struct Dream: Sendable {
    public var task: SynthesisTask
    public var program: Expr
    /// The generated inputs it was told apart on, beside the task's own,
    /// and its outputs on all of them (the task's first).
    public var probes: [[DValue]]
    public var behaviour: [DValue]
  }

  /// Up to `count` dreams, spread over the signatures of `tasks` in turn.
  public func dreams(model: SynthesisModel, from tasks: [SynthesisTask]) -> [Dream] {
    let sources = tasks.filter { $0.stdin == nil && !$0.parameterTypes.isEmpty }
    guard count > 0, !sources.isEmpty else { return [] }
    var generator = SeededGenerator(seed: seed ^ 0xD2EA_3D2E_A3D0_0001)
    // What each source's dreams already do on its inputs, and the programs
    // of each signature, so that every dream is new.
    var seen: [String: Set<[DValue]>] = [:]
    var programs: [[DType]: Set<Expr>] = [:]
    // Per source, once: the task without its words (what the model makes
    // of the signature and the examples' shape alone), the model applied
    // to it, and its generated inputs, the same for all its dreams so that
    // their behaviours compare.
    let prepared = sources.enumerated().map { index, source in
      let blank = SynthesisTask(
        id: source.id, entryPoint: source.entryPoint, parameterNames: source.parameterNames,
        parameterTypes: source.parameterTypes, returnType: source.returnType, inputs: source.inputs,
        outputs: source.outputs, prompt: "")
      return (
        blank: blank, scorer: model.scorer(blank.features), interpreter: Interpreter(constants: blank.constants),
        probes: GeneratedInputs.make(source, count: probes, seed: seed ^ UInt64(index))
      )
    }
    var out: [Dream] = []
    var tries = 0
    while out.count < count, tries < count * triesPerDream {
      let source = sources[tries % sources.count]
      let (blank, scorer, interpreter, probes) = prepared[tries % sources.count]
      tries += 1
      guard
        let program = sample(
          source.returnType, scope: [], context: Symbols.root, depth: depth, task: blank, scorer: scorer,
          using: &generator),
        case .call = program
      else { continue }
      let examples = source.inputs.map { interpreter.evaluate(program, params: $0) }
      guard examples.allSatisfy({ $0.type != nil }) else { continue }  // an error, or past the interpreter
      let behaviour = examples + probes.map { interpreter.evaluate(program, params: $0) }
      let inputs = source.inputs + probes
      guard Set(behaviour).count > 1 else { continue }  // one output for every input
      let handsBack = source.parameterTypes.indices.contains { i in
        zip(inputs, behaviour).allSatisfy { $0.0[i] == $0.1 }
      }
      let signature = source.parameterTypes + [source.returnType]
      guard !handsBack, !programs[signature, default: []].contains(program),
        seen[source.id, default: []].insert(behaviour).inserted
      else { continue }
      programs[signature, default: []].insert(program)
      let task = SynthesisTask(
        id: "dream-\(out.count)", entryPoint: source.entryPoint, parameterNames: source.parameterNames,
        parameterTypes: source.parameterTypes, returnType: source.returnType, inputs: source.inputs,
        outputs: examples, prompt: Self.prompt(of: program))
      // The words may add no constant the program would then not fit.
      guard model.slots(of: program, in: task) != nil else { continue }
      out.append(Dream(task: task, program: program, probes: probes, behaviour: behaviour))
    }
    return out
  }

  /// A program drawn from the model, slot by slot, root first; nil when a
  /// slot at the depth limit has no leaf to hold.
  func sample(
    _ type: DType, scope: [DType], context: Int, depth: Int, task: SynthesisTask, scorer: TaskScorer,
    using generator: inout SeededGenerator
  ) -> Expr? {
    var allowed = Symbols.allowed(type, scope: scope, task: task)
    if depth == 0 { allowed = allowed.filter { $0 >= Symbols.parameterBase } }
    guard !allowed.isEmpty else { return nil }
    let logs = scorer.logProbabilities(context: context, allowed: allowed)
    var draw = Double.random(in: 0..<1, using: &generator)
    var pick = allowed.count - 1
    for (k, log) in logs.enumerated() {
      draw -= exp(log)
      if draw < 0 {
        pick = k
        break
      }
    }
    let symbol = allowed[pick]
    switch symbol {
    case ..<Symbols.parameterBase:
      var args: [Expr] = []
      for (i, argument) in Grammar.productions[symbol].arguments.enumerated() {
        let child: Expr?
        switch argument {
        case .value(let t):
          child = sample(
            t, scope: scope, context: Symbols.context(symbol, i), depth: depth - 1, task: task, scorer: scorer,
            using: &generator)
        case .lambda(let binds, let body):
          child = sample(
            body, scope: binds, context: Symbols.context(symbol, i), depth: depth - 1, task: task, scorer: scorer,
            using: &generator)
        }
        guard let child else { return nil }
        args.append(child)
      }
      return .call(symbol, args)
    case ..<Symbols.boundBase: return .param(symbol - Symbols.parameterBase)
    case ..<Symbols.constantBase: return .bound(symbol - Symbols.boundBase)
    default:
      let name = Symbols.constantNames[symbol - Symbols.constantBase]
      return task.constants.names.firstIndex(of: name).map { .constant($0) }
    }
  }

  /// Words for a program's productions, as a prompt would say them: the
  /// parts of their names, without the type suffixes, and the plain word
  /// for an abbreviation.
  static func prompt(of program: Expr) -> String {
    var words: [String] = []
    func walk(_ expr: Expr) {
      guard case .call(let p, let args) = expr else { return }
      for part in Grammar.productions[p].name.split(separator: "_").map(String.init)
      where !typeParts.contains(part) {
        let word = plain[part] ?? part.filter(\.isLetter)
        if !word.isEmpty, !words.contains(word) { words.append(word) }
      }
      args.forEach(walk)
    }
    walk(program)
    return words.joined(separator: " ")
  }

  static let typeParts: Set<String> = ["ints", "int", "str", "strs", "grid", "of", "in", "by", "to", "bool"]
  static let plain: [String: String] = [
    "len": "length", "mul": "multiply", "sub": "subtract", "add": "plus", "floordiv": "divide", "mod": "remainder",
    "neg": "negate", "abs": "absolute", "max2": "larger", "min2": "smaller", "prod": "product", "eq": "equal",
    "lt": "less", "gt": "greater", "le": "most", "ge": "least", "rev": "reverse", "lower": "lowercase",
    "upper": "uppercase", "ne": "different",
  ]
}
