/// Evaluates expressions: a tree walk over ``Semantics``.
public struct Interpreter: Sendable {
  public let constants: Constants

  public init(constants: Constants) { self.constants = constants }

  /// The value of `expr` with these parameters (and bound variables).
  public func evaluate(_ expr: Expr, params: [DValue], bound: [DValue] = []) -> DValue {
    switch expr {
    case .param(let i): return i < params.count ? params[i] : .error
    case .bound(let i): return i < bound.count ? bound[i] : .error
    case .constant(let c): return c < constants.values.count ? constants.values[c] : .error
    case .call(let p, let args):
      let production = Grammar.productions[p]
      var values: [DValue] = []
      values.reserveCapacity(args.count)
      for (i, arg) in args.enumerated() {
        if case .lambda = production.arguments[i] {
          values.append(.error)  // evaluated per element through `body`
        } else if production.op == .and || production.op == .or, i == 1 {
          // Python short-circuits: the right side only when it decides.
          let left = values[0]
          values.append(
            left == .bool(production.op == .and) ? evaluate(arg, params: params, bound: bound) : .bool(false))
        } else {
          values.append(evaluate(arg, params: params, bound: bound))
        }
      }
      return Semantics.apply(production.op, values, result: production.result) { index, boundValues in
        evaluate(args[index], params: params, bound: boundValues)
      }
    }
  }
}
