/// A DSL program: a tree of productions over the task's parameters, the
/// variables a lambda binds, and constants.
public indirect enum Expr: Hashable, Sendable {
  /// The task function's parameter at this position.
  case param(Int)
  /// A variable bound by the enclosing lambda (0: the first).
  case bound(Int)
  /// A constant of the task's constant table (``Constants``).
  case constant(Int)
  /// A production of ``Grammar/productions`` applied to arguments; a
  /// lambda argument is its body.
  case call(Int, [Expr])

  /// Nodes in the tree.
  public var size: Int {
    if case .call(_, let args) = self { return 1 + args.reduce(0) { $0 + $1.size } }
    return 1
  }
}

/// A task's constants: the grammar's, then numbers and quoted strings its
/// prompt mentions.
public struct Constants: Sendable {
  public var names: [String]
  public var values: [DValue]

  public init(prompt: String) {
    names = Grammar.constants.map(\.name)
    values = Grammar.constants.map(\.value)
    let tokens = prompt.split { !($0.isNumber || $0.isLetter || $0 == "-" || $0 == "_") }
    for token in tokens {
      if let n = Int(token), !values.contains(.int(n)), abs(n) < 1000 {
        names.append("prompt_int")
        values.append(.int(n))
        break
      }
    }
    for quoted in prompt.matches(of: /'([^'\n]{1,12})'/) {
      let value = DValue.str(PyStr(String(quoted.1)))
      if !values.contains(value) {
        names.append("prompt_str")
        values.append(value)
        break
      }
    }
  }

  /// The constants of a type, with their table indices.
  public func indices(of type: DType) -> [Int] { values.indices.filter { values[$0].type == type } }
}

/// What a slot of a program may hold, for the model: a production, a
/// parameter, a bound variable or a constant, named stably.
public enum Symbol: Hashable, Sendable {
  case production(Int)
  case param(Int)
  case bound(Int)
  case constant(String)

  /// The name checkpoints use.
  public var key: String {
    switch self {
    case .production(let p): Grammar.productions[p].name
    case .param(let i): "param\(i)"
    case .bound(let i): "var\(i)"
    case .constant(let name): "const:\(name)"
    }
  }
}

extension Expr {
  /// The symbol at this node's root.
  public func symbol(_ constants: Constants) -> Symbol {
    switch self {
    case .param(let i): .param(i)
    case .bound(let i): .bound(i)
    case .constant(let c): .constant(constants.names[c])
    case .call(let p, _): .production(p)
    }
  }

  /// A compact text form, parsed back by ``Expr/parse(_:)``: `(sum (map_ints (mul $0 $0) @0))`;
  /// `@i` a parameter, `$i` a bound variable, `#i` a constant.
  public var text: String {
    switch self {
    case .param(let i): "@\(i)"
    case .bound(let i): "$\(i)"
    case .constant(let c): "#\(c)"
    case .call(let p, let args): "(" + ([Grammar.productions[p].name] + args.map(\.text)).joined(separator: " ") + ")"
    }
  }

  /// Parses ``text``; nil when malformed or naming an unknown production.
  public static func parse(_ text: String) -> Expr? {
    var tokens: [Substring] = []
    var current = ""
    for c in text {
      if c == "(" || c == ")" || c == " " {
        if !current.isEmpty { tokens.append(Substring(current)) }
        current = ""
        if c != " " { tokens.append(Substring(String(c))) }
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { tokens.append(Substring(current)) }
    var index = 0
    func node() -> Expr? {
      guard index < tokens.count else { return nil }
      let token = tokens[index]
      index += 1
      if token == "(" {
        guard index < tokens.count, let p = Grammar.index[String(tokens[index])] else { return nil }
        index += 1
        var args: [Expr] = []
        while index < tokens.count, tokens[index] != ")" {
          guard let arg = node() else { return nil }
          args.append(arg)
        }
        guard index < tokens.count, args.count == Grammar.productions[p].arguments.count else { return nil }
        index += 1
        return .call(p, args)
      }
      guard let n = Int(token.dropFirst()), n >= 0 else { return nil }
      switch token.first {
      case "@": return .param(n)
      case "$": return .bound(n)
      case "#": return .constant(n)
      default: return nil
      }
    }
    let expr = node()
    return index == tokens.count ? expr : nil
  }
}

extension Grammar {
  /// Production index by name.
  public static let index: [String: Int] = Dictionary(
    uniqueKeysWithValues: productions.enumerated().map { ($1.name, $0) })
}
