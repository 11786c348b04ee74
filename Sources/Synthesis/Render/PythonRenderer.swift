import Values

/// Renders DSL expressions as the Python a person would write: built-ins,
/// comprehensions, generator expressions inside `sum`, `max`, `min`, `any`,
/// `all` and `join`, and a filter fused into the comprehension that maps
/// over it.
public struct PythonRenderer: Sendable {
  public let constants: Constants

  public init(constants: Constants) { self.constants = constants }

  /// A complete program: imports, then `def entry(params): return expr`.
  public func program(_ expr: Expr, entryPoint: String, parameters: [String]) -> String {
    var scope = Scope(taken: Set(parameters), params: parameters)
    let body = render(expr, &scope).text
    var lines: [String] = scope.imports.sorted().map { "import \($0)" }
    if !lines.isEmpty { lines += ["", ""] }
    lines.append("def \(entryPoint)(\(parameters.joined(separator: ", "))):")
    lines.append("    return \(body)")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Names in use while rendering, the bound variables of the enclosing
  /// lambdas, and the modules the program needs.
  struct Scope {
    var taken: Set<String>
    var params: [String]
    var bound: [String] = []
    var imports: Set<String> = []
  }

  struct Rendered {
    var text: String
    var precedence: Int
  }

  func render(_ expr: Expr, _ scope: inout Scope) -> Rendered {
    switch expr {
    case .param(let i): return Rendered(text: i < scope.params.count ? scope.params[i] : "p\(i)", precedence: 90)
    case .bound(let i): return Rendered(text: i < scope.bound.count ? scope.bound[i] : "v\(i)", precedence: 90)
    case .constant(let c): return literal(constants.values[c])
    case .call(let p, let args):
      if case .constant = args.first, args.count == 2, let mirrored = Self.mirrored[p] {
        if case .constant = args[1] {} else { return render(.call(mirrored, [args[1], args[0]]), &scope) }
      }
      if let fused = fuse(p, args, &scope) { return fused }
      return apply(Grammar.productions[p], args, &scope)
    }
  }

  func literal(_ value: DValue) -> Rendered {
    switch value {
    case .int(let i): return Rendered(text: String(i), precedence: i < 0 ? 80 : 90)
    case .bool(let b): return Rendered(text: b ? "True" : "False", precedence: 90)
    case .str(let s): return Rendered(text: Value.pythonString(s.string), precedence: 90)
    default: return Rendered(text: value.value?.pythonLiteral ?? "None", precedence: 90)
    }
  }

  /// Comparisons read with the constant on the right (`x > 0`, not
  /// `0 < x`): each comparison and its mirror image.
  static let mirrored: [Int: Int] = {
    let pairs = [
      ("eq", "eq"), ("ne", "ne"), ("lt", "gt"), ("gt", "lt"), ("le", "ge"), ("ge", "le"), ("eq_str", "eq_str"),
    ]
    var out: [Int: Int] = [:]
    for (a, b) in pairs { out[Grammar.index[a]!] = Grammar.index[b]! }
    return out
  }()

  /// Fills a production's template.
  func apply(_ production: Production, _ args: [Expr], _ scope: inout Scope) -> Rendered {
    switch production.op {
    case .product: scope.imports.insert("math")
    case .runningSum: scope.imports.insert("itertools")
    default: break
    }
    // Names first, so the body and the template agree on them.
    var lambdaCount = 0
    var names: [String] = []
    for argument in production.arguments {
      if case .lambda(let types, _) = argument {
        lambdaCount = types.count
        names = types.enumerated().map { fresh(hint(production, types.count, $0.offset, $0.element), &scope) }
      }
    }
    names += extraNames(production.op).map { fresh($0, &scope) }
    var renderedArgs: [Rendered] = []
    let iterables = Self.iterableArguments[production.op] ?? []
    for (i, arg) in args.enumerated() {
      if case .lambda = production.arguments[i] {
        let outer = scope.bound
        scope.bound = Array(names.prefix(lambdaCount))
        renderedArgs.append(render(arg, &scope))
        scope.bound = outer
      } else {
        renderedArgs.append(iterables.contains(i) ? renderIterable(arg, &scope) : render(arg, &scope))
      }
    }
    for name in names { scope.taken.remove(name) }
    return Rendered(text: fill(production.python, renderedArgs, names), precedence: production.precedence)
  }

  /// Arguments a production only iterates over: a range there needs no
  /// `list(...)` around it.
  static let iterableArguments: [Op: [Int]] = [
    .sum: [0], .product: [0], .maximum: [0], .minimum: [0], .length: [0], .sorted: [0], .sortedDescending: [0],
    .runningSum: [0], .distinctSorted: [0], .flatten: [0], .countWhere: [1], .all: [1], .any: [1], .map: [1],
    .filter: [1], .indicesWhere: [1], .zipWith: [1, 2],
  ]

  /// An expression where any iterable will do: `range(n)` for a range.
  func renderIterable(_ expr: Expr, _ scope: inout Scope) -> Rendered {
    if case .call(let p, let args) = expr {
      switch Grammar.productions[p].op {
      case .range: return Rendered(text: "range(\(render(args[0], &scope).text))", precedence: 90)
      case .range2:
        let (lo, hi) = (render(args[0], &scope).text, render(args[1], &scope).text)
        return Rendered(text: "range(\(lo), \(hi))", precedence: 90)
      default: break
      }
    }
    return render(expr, &scope)
  }

  /// Idioms across two productions: `sum(f for x in xs)` rather than
  /// `sum([f for x in xs])`, and `[f for x in xs if p]` rather than a map
  /// over a filtered list.
  func fuse(_ p: Int, _ args: [Expr], _ scope: inout Scope) -> Rendered? {
    let production = Grammar.productions[p]
    let reducers: [Op: String] = [.sum: "sum", .maximum: "max", .minimum: "min"]
    if let reducer = reducers[production.op], case .call(let inner, let innerArgs) = args[0] {
      let innerOp = Grammar.productions[inner].op
      if innerOp == .map || innerOp == .filter, let comprehension = comprehension(inner, innerArgs, &scope) {
        return Rendered(text: "\(reducer)(\(comprehension))", precedence: 90)
      }
      if innerOp == .flatten {
        // min(x for row in m for x in row)
        let grid = wrap(render(innerArgs[0], &scope), 21)
        let row = fresh("row", &scope)
        let x = fresh("x", &scope)
        defer {
          scope.taken.remove(row)
          scope.taken.remove(x)
        }
        return Rendered(text: "\(reducer)(\(x) for \(row) in \(grid) for \(x) in \(row))", precedence: 90)
      }
    }
    if production.op == .length, case .call(let inner, let innerArgs) = args[0],
      Grammar.productions[inner].op == .flatten
    {
      // sum(len(row) for row in m)
      let grid = wrap(render(innerArgs[0], &scope), 21)
      let row = fresh("row", &scope)
      defer { scope.taken.remove(row) }
      return Rendered(text: "sum(len(\(row)) for \(row) in \(grid))", precedence: 90)
    }
    if production.op == .join, case .call(let inner, let innerArgs) = args[1],
      Grammar.productions[inner].op == .map || Grammar.productions[inner].op == .filter,
      let comprehension = comprehension(inner, innerArgs, &scope)
    {
      let separator = render(args[0], &scope)
      return Rendered(text: "\(wrap(separator, 90)).join(\(comprehension))", precedence: 90)
    }
    if production.op == .map, let comprehension = comprehension(p, args, &scope), comprehension.contains(" if ") {
      return Rendered(text: "[\(comprehension)]", precedence: 90)
    }
    return nil
  }

  /// `f for x in xs if p` for a map (over a filter of the same elements) or
  /// a filter; nil when they do not fuse.
  func comprehension(_ p: Int, _ args: [Expr], _ scope: inout Scope) -> String? {
    let production = Grammar.productions[p]
    guard case .lambda(let types, _) = production.arguments[0], types.count == 1 else { return nil }
    var source = args[1]
    var condition: Expr?
    if production.op == .map, case .call(let inner, let innerArgs) = args[1],
      Grammar.productions[inner].op == .filter,
      case .lambda(let innerTypes, _) = Grammar.productions[inner].arguments[0],
      innerTypes == types
    {
      condition = innerArgs[0]
      source = innerArgs[1]
    } else if production.op == .filter {
      condition = args[0]
    } else if production.op != .map {
      return nil
    }
    let name = fresh(hint(production, 1, 0, types[0]), &scope)
    defer { scope.taken.remove(name) }
    let outer = scope.bound
    scope.bound = [name]
    let value = production.op == .map ? render(args[0], &scope).text : name
    let test = condition.map { wrap(render($0, &scope), 21) }
    scope.bound = outer
    let iterable = wrap(renderIterable(source, &scope), 21)
    return "\(value) for \(name) in \(iterable)" + (test.map { " if \($0)" } ?? "")
  }

  func fill(_ template: String, _ args: [Rendered], _ names: [String]) -> String {
    var out = ""
    var chars = template[...]
    while let c = chars.first {
      chars.removeFirst()
      guard c == "{", let close = chars.firstIndex(of: "}") else {
        out.append(c)
        continue
      }
      let field = chars[..<close]
      chars = chars[chars.index(after: close)...]
      if field.hasPrefix("v"), let i = Int(field.dropFirst()) {
        out += i < names.count ? names[i] : "v\(i)"
        continue
      }
      let parts = field.split(separator: ":")
      guard let i = Int(parts[0]), i < args.count else { continue }
      out += wrap(args[i], parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
    }
    return out
  }

  func wrap(_ rendered: Rendered, _ minimum: Int) -> String {
    rendered.precedence >= minimum ? rendered.text : "(\(rendered.text))"
  }

  /// Variables a template introduces besides a lambda's.
  func extraNames(_ op: Op) -> [String] {
    switch op {
    case .indicesWhere: ["i"]
    case .flatten: ["row", "x"]
    case .transpose: ["col"]
    default: []
    }
  }

  /// The conventional name for a bound variable.
  func hint(_ production: Production, _ count: Int, _ index: Int, _ type: DType) -> String {
    if count == 2 { return index == 0 ? "x" : "y" }
    switch type {
    case .int: return "x"
    case .ints: return "row"
    case .str: return production.op == .mapChars || production.op == .filterChars ? "c" : "w"
    default: return "v"
    }
  }

  func fresh(_ hint: String, _ scope: inout Scope) -> String {
    var name = hint
    var n = 2
    while scope.taken.contains(name) {
      name = "\(hint)\(n)"
      n += 1
    }
    scope.taken.insert(name)
    return name
  }
}
