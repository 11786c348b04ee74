/// Local repairs of a program: replace one subtree by alternatives the
/// model ranks highest for that slot, keeping the rewrites that get more
/// public examples right than the original did.
struct Revision {
  let task: SynthesisTask
  let model: SynthesisModel
  /// Alternatives tried per subtree.
  var perPosition = 400

  /// A position in a program: the path of argument indices from the root,
  /// and the slot there.
  struct Position {
    var path: [Int]
    var type: DType
    var scope: [DType]
    var context: Int
  }

  static func positions(_ expr: Expr, type: DType, scope: [DType] = [], context: Int = Symbols.root, path: [Int] = [])
    -> [Position]
  {
    var out = [Position(path: path, type: type, scope: scope, context: context)]
    guard case .call(let p, let args) = expr else { return out }
    for (i, argument) in Grammar.productions[p].arguments.enumerated() {
      switch argument {
      case .value(let t):
        out += positions(args[i], type: t, scope: scope, context: Symbols.context(p, i), path: path + [i])
      case .lambda(let binds, let body):
        out += positions(args[i], type: body, scope: binds, context: Symbols.context(p, i), path: path + [i])
      }
    }
    return out
  }

  static func replacing(_ expr: Expr, at path: ArraySlice<Int>, with replacement: Expr) -> Expr {
    guard let first = path.first, case .call(let p, var args) = expr else { return replacement }
    args[first] = replacing(args[first], at: path.dropFirst(), with: replacement)
    return .call(p, args)
  }

  /// Public examples the program gets right, by the interpreter.
  func passed(_ expr: Expr) -> Int {
    let interpreter = Interpreter(constants: task.constants)
    return zip(task.inputs, task.outputs).reduce(0) { $0 + (interpreter.evaluate(expr, params: $1.0) == $1.1 ? 1 : 0) }
  }

  /// Rewrites of `expr` that pass more than `baseline` public examples,
  /// most passing first, then most probable.
  func rewrites(of expr: Expr, baseline: Int, pool: Enumerator, count: Int) -> [Found] {
    var seen: Set<Expr> = [expr]
    // A rewrite's cost: the pool's programs, and the rewrites tried up to it.
    var programs = pool.evaluated
    var found: [Found] = []
    for position in Self.positions(expr, type: task.returnType) {
      guard let bankIndex = pool.bankOfScope[position.scope] else { continue }
      let bank = pool.banks[bankIndex]
      let options = pool.costs.options(context: position.context, type: position.type, scope: position.scope)
      // Cheapest alternatives for this slot: entries by root symbol, in cost order.
      var alternatives: [(units: Int, id: Int32)] = []
      for option in options {
        for (inner, ids) in bank.buckets[option.symbol].enumerated() {
          for id in ids { alternatives.append((option.units + inner, id)) }
        }
      }
      alternatives.sort { $0.units < $1.units }
      for alternative in alternatives.prefix(perPosition) {
        let candidate = Self.replacing(expr, at: position.path[...], with: pool.expr(alternative.id, in: bank))
        guard seen.insert(candidate).inserted else { continue }
        programs += 1
        let score = passed(candidate)
        guard score > baseline, let logP = model.logProbability(of: candidate, in: task) else { continue }
        found.append(Found(expr: candidate, bits: -logP, passed: score, programs: programs))
      }
    }
    found.sort { ($0.passed, -$0.bits) > ($1.passed, -$1.bits) }
    return Array(found.prefix(count))
  }
}
