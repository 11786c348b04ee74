import Foundation

/// A Python function signature with type annotations:
/// `def add(a: int, b: int) -> int`.
public struct Signature: Sendable, Equatable, CustomStringConvertible {
  public struct Parameter: Sendable, Equatable {
    public var name: String
    public var type: TypeExpr?
  }
  public var name: String
  public var parameters: [Parameter]
  public var returns: TypeExpr?

  public init(name: String, parameters: [Parameter], returns: TypeExpr?) {
    self.name = name
    self.parameters = parameters
    self.returns = returns
  }

  /// The `def` line, without the colon.
  public var description: String {
    let params = parameters.map { p in p.type.map { "\(p.name): \($0)" } ?? p.name }
    return "def \(name)(\(params.joined(separator: ", ")))" + (returns.map { " -> \($0)" } ?? "")
  }

  /// Parses `def name(params) -> type` (a trailing colon is allowed);
  /// nil when it is not one.
  public static func parse(_ text: String) -> Signature? {
    var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
    if rest.hasSuffix(":") { rest = rest.dropLast() }
    guard rest.hasPrefix("def ") else { return nil }
    rest = rest.dropFirst(4).drop { $0 == " " }
    guard let open = rest.firstIndex(of: "("), let close = matchingParen(rest, open) else { return nil }
    let name = rest[..<open].trimmingCharacters(in: .whitespaces)
    guard isIdentifier(name) else { return nil }
    var parameters: [Parameter] = []
    let inside = rest[rest.index(after: open)..<close]
    for part in splitTopLevel(inside, ",") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
      let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      var paramName = pieces[0]
      if let eq = paramName.firstIndex(of: "=") {
        paramName = String(paramName[..<eq]).trimmingCharacters(in: .whitespaces)
      }
      var typeText = pieces.count > 1 ? pieces[1] : nil
      if let t = typeText, let eq = t.firstIndex(of: "=") {
        typeText = String(t[..<eq]).trimmingCharacters(in: .whitespaces)
      }
      guard isIdentifier(paramName) || paramName.hasPrefix("*") else { return nil }
      parameters.append(Parameter(name: paramName, type: typeText.map { TypeExpr.parse($0) }))
    }
    let after = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces)
    var returns: TypeExpr?
    if after.hasPrefix("->") {
      returns = TypeExpr.parse(String(after.dropFirst(2)))
    } else if !after.isEmpty {
      return nil
    }
    return Signature(name: name, parameters: parameters, returns: returns)
  }

  /// The signature of `name` in Python code (a HumanEval prompt), if found.
  public static func find(_ name: String, in code: String) -> Signature? {
    let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces).hasPrefix("def \(name)(") {
      var text = String(line)
      var j = i
      while !text.contains(")") || !text.trimmingCharacters(in: .whitespaces).hasSuffix(":"), j + 1 < lines.count,
        j - i < 10
      {
        j += 1
        text += " " + lines[j].trimmingCharacters(in: .whitespaces)
      }
      return parse(text)
    }
    return nil
  }

  static func matchingParen(_ s: Substring, _ open: Substring.Index) -> Substring.Index? {
    var depth = 0
    var i = open
    while i < s.endIndex {
      switch s[i] {
      case "(", "[", "{": depth += 1
      case ")", "]", "}":
        depth -= 1
        if depth == 0 { return i }
      default: break
      }
      i = s.index(after: i)
    }
    return nil
  }

  static func splitTopLevel(_ s: Substring, _ separator: Character) -> [String] {
    var parts: [String] = []
    var depth = 0
    var current = ""
    for c in s {
      if "([{".contains(c) { depth += 1 }
      if ")]}".contains(c) { depth -= 1 }
      if c == separator && depth == 0 {
        parts.append(current)
        current = ""
      } else {
        current.append(c)
      }
    }
    parts.append(current)
    return parts
  }
}

/// A type annotation: `int`, `list[int]`, `dict[str, list[int]]`,
/// `Optional[int]`, or anything else kept as written.
public indirect enum TypeExpr: Sendable, Equatable, CustomStringConvertible {
  case named(String)
  case generic(String, [TypeExpr])

  public static func parse(_ text: String) -> TypeExpr {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard let open = t.firstIndex(of: "["), t.hasSuffix("]") else { return .named(normalize(t)) }
    let head = String(t[..<open]).trimmingCharacters(in: .whitespaces)
    let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
    return .generic(normalize(head), Signature.splitTopLevel(inner, ",").map { parse($0) })
  }

  /// `List` → `list` (typing's aliases), for comparison.
  private static func normalize(_ name: String) -> String {
    switch name {
    case "List": "list"
    case "Dict": "dict"
    case "Tuple": "tuple"
    case "Set": "set"
    case "FrozenSet": "frozenset"
    default: name
    }
  }

  public var description: String {
    switch self {
    case .named(let n): n
    case .generic(let n, let args): "\(n)[\(args.map(\.description).joined(separator: ", "))]"
    }
  }
}

/// Whether s is a Python identifier (ASCII subset) and not a keyword.
public func isIdentifier(_ s: String) -> Bool {
  guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
  let keywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
  ]
  return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    && !keywords.contains(s)
}
