/// The numbering the model uses: every symbol a slot may hold and every
/// context a slot may sit in, with the stable names checkpoints use.
///
/// Symbols: the grammar's productions, then parameters `param0`...,
/// bound variables `var0`..., then constants `const:<name>`. Contexts:
/// `root`, then `<production>.<argument>` for every argument of every
/// production.
public enum Symbols {
  public static let maxParameters = 6
  public static let maxBound = 2
  /// Constant names: the grammar's, then the ones a prompt may add.
  public static let constantNames = Grammar.constants.map(\.name) + ["prompt_int", "prompt_str"]

  public static let parameterBase = Grammar.productions.count
  public static let boundBase = parameterBase + maxParameters
  public static let constantBase = boundBase + maxBound
  public static let count = constantBase + constantNames.count

  /// Stable names, by symbol index.
  public static let names: [String] =
    Grammar.productions.map(\.name) + (0..<maxParameters).map { "param\($0)" } + (0..<maxBound).map { "var\($0)" }
    + constantNames.map { "const:\($0)" }

  public static let index: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

  static let constantIndex: [String: Int] = Dictionary(
    uniqueKeysWithValues: constantNames.enumerated().map { ($1, $0) })

  /// The index of a symbol; nil for a parameter or bound variable past the
  /// model's limits.
  public static func index(of symbol: Symbol) -> Int? {
    switch symbol {
    case .production(let p): p
    case .param(let i): i < maxParameters ? parameterBase + i : nil
    case .bound(let i): i < maxBound ? boundBase + i : nil
    case .constant(let name): constantIndex[name].map { constantBase + $0 }
    }
  }

  // MARK: contexts

  /// The context of a program's root.
  public static let root = 0
  static let argumentBase: [Int] = {
    var base: [Int] = []
    var next = 1
    for production in Grammar.productions {
      base.append(next)
      next += production.arguments.count
    }
    return base
  }()
  public static let contextCount = 1 + Grammar.productions.reduce(0) { $0 + $1.arguments.count }

  /// The context of argument `argument` of production `production`.
  public static func context(_ production: Int, _ argument: Int) -> Int { argumentBase[production] + argument }

  public static let contextNames: [String] =
    ["root"]
    + Grammar.productions.flatMap { production in production.arguments.indices.map { "\(production.name).\($0)" } }

  public static let contextIndex: [String: Int] = Dictionary(
    uniqueKeysWithValues: contextNames.enumerated().map { ($1, $0) })

  /// The symbols a slot of `type` may hold in a task, inside lambdas that
  /// bind `scope`.
  public static func allowed(_ type: DType, scope: [DType], task: SynthesisTask) -> [Int] {
    var symbols = Grammar.byResult[Int(type.rawValue)]
    for (i, t) in task.parameterTypes.enumerated() where t == type && i < maxParameters {
      symbols.append(parameterBase + i)
    }
    for (i, t) in scope.enumerated() where t == type && i < maxBound { symbols.append(boundBase + i) }
    for (c, value) in task.constants.values.enumerated() where value.type == type {
      if let index = constantIndex[task.constants.names[c]] { symbols.append(constantBase + index) }
    }
    return symbols
  }
}

extension Grammar {
  /// Production indices by result type.
  static let byResult: [[Int]] = DType.allCases.map { type in
    productions.indices.filter { productions[$0].result == type }
  }
}
