import Support

/// Random well-typed programs and inputs, for testing the interpreter
/// against Python and for fuzzing.
public struct ProgramGenerator: Sendable {
  public var generator: SeededGenerator
  public let constants = Constants(prompt: "")
  private var heightCache: [[DType]: [DType: Int]] = [:]

  /// ``heights(params:bound:nesting:)``, remembered per context.
  mutating func cachedHeights(params: [DType], bound: [DType]) -> [DType: Int] {
    let key = params + [.bool] + bound  // .bool separates the two lists in the key
    if let known = heightCache[key] { return known }
    let computed = Self.heights(params: params, bound: bound)
    heightCache[key] = computed
    return computed
  }

  public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

  /// A program of type `result` over parameters of `params` types; nil when
  /// no program of that type can be built from them.
  public mutating func program(_ result: DType, params: [DType], depth: Int = 4) -> Expr? {
    guard cachedHeights(params: params, bound: [])[result] != nil else { return nil }
    return expression(result, params: params, bound: [], depth: depth)
  }

  /// The least height of a tree of each type that these leaves can build,
  /// looking through at most `nesting` levels of lambdas.
  static func heights(params: [DType], bound: [DType], nesting: Int = 2) -> [DType: Int] {
    var height: [DType: Int] = [:]
    for t in params + bound { height[t] = 0 }
    for value in Constants(prompt: "").values { if let t = value.type { height[t] = 0 } }
    var changed = true
    while changed {
      changed = false
      for production in Grammar.productions {
        var argumentHeights: [Int] = []
        for argument in production.arguments {
          switch argument {
          case .value(let t): if let h = height[t] { argumentHeights.append(h) }
          case .lambda(let binds, let body):
            if nesting > 0, let h = heights(params: params, bound: binds, nesting: nesting - 1)[body] {
              argumentHeights.append(h)
            }
          }
        }
        guard argumentHeights.count == production.arguments.count else { continue }
        let h = 1 + (argumentHeights.max() ?? 0)
        if h < height[production.result] ?? .max {
          height[production.result] = h
          changed = true
        }
      }
    }
    return height
  }

  mutating func expression(_ type: DType, params: [DType], bound: [DType], depth: Int) -> Expr {
    var leaves: [Expr] = params.indices.filter { params[$0] == type }.map { .param($0) }
    leaves += bound.indices.filter { bound[$0] == type }.map { .bound($0) }
    leaves += constants.indices(of: type).map { .constant($0) }
    let heights = cachedHeights(params: params, bound: bound)
    var lambdaHeights: [[DType]: [DType: Int]] = [:]
    for production in Grammar.productions {
      for case .lambda(let binds, _) in production.arguments where lambdaHeights[binds] == nil {
        lambdaHeights[binds] = cachedHeights(params: params, bound: binds)
      }
    }
    // Productions whose arguments can all be built within the depth left
    // (or, past it, the ones that finish soonest).
    func height(_ p: Int) -> Int? {
      var most = 0
      for argument in Grammar.productions[p].arguments {
        switch argument {
        case .value(let t):
          guard let h = heights[t] else { return nil }
          most = max(most, h)
        case .lambda(let binds, let body):
          guard let h = lambdaHeights[binds]?[body] else { return nil }
          most = max(most, h)
        }
      }
      return most + 1
    }
    let candidates = Grammar.productions.indices.filter { Grammar.productions[$0].result == type }
      .compactMap { p in height(p).map { (p, $0) } }
    let fitting = candidates.filter { $0.1 <= max(depth, 1) }.map(\.0)
    let useLeaf = depth <= 0 || fitting.isEmpty || (!leaves.isEmpty && Int.random(in: 0..<3, using: &generator) == 0)
    if useLeaf, let leaf = leaves.randomElement(using: &generator) { return leaf }
    let p = fitting.randomElement(using: &generator) ?? candidates.min { $0.1 < $1.1 }!.0
    let args = Grammar.productions[p].arguments.map { argument -> Expr in
      switch argument {
      case .value(let t): return expression(t, params: params, bound: bound, depth: depth - 1)
      case .lambda(let binds, let body): return expression(body, params: params, bound: binds, depth: depth - 1)
      }
    }
    return .call(p, args)
  }

  /// A random value of a type, small, with the edge cases that matter
  /// (negatives, zero, empty strings and lists, repeated spaces).
  public mutating func value(_ type: DType) -> DValue {
    switch type {
    case .int: return .int(Int.random(in: -12...12, using: &generator))
    case .bool: return .bool(Bool.random(using: &generator))
    case .str: return .str(string())
    case .ints:
      return .ints(
        (0..<Int.random(in: 0...6, using: &generator)).map { _ in Int.random(in: -9...9, using: &generator) })
    case .strs: return .strs((0..<Int.random(in: 0...4, using: &generator)).map { _ in string() })
    case .grid:
      let width = Int.random(in: 0...3, using: &generator)
      let ragged = Int.random(in: 0..<4, using: &generator) == 0
      return .grid(
        (0..<Int.random(in: 0...3, using: &generator)).map { _ in
          (0..<(ragged ? Int.random(in: 0...3, using: &generator) : width)).map { _ in
            Int.random(in: -9...9, using: &generator)
          }
        })
    }
  }

  static let alphabet: [Unicode.Scalar] = Array("abcxyzAZ  ,.-_07é9".unicodeScalars)

  mutating func string() -> PyStr {
    PyStr((0..<Int.random(in: 0...7, using: &generator)).map { _ in Self.alphabet.randomElement(using: &generator)! })
  }
}
