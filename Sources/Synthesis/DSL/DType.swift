import Suites

/// The types of the DSL: ints, booleans, strings, and lists of ints, of
/// strings and of int lists. Adding a type means a case here, its values in
/// ``DValue`` and productions in the grammar.
public enum DType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  case int, bool, str, ints, strs, grid

  /// The Python annotation.
  public var description: String {
    switch self {
    case .int: "int"
    case .bool: "bool"
    case .str: "str"
    case .ints: "list[int]"
    case .strs: "list[str]"
    case .grid: "list[list[int]]"
    }
  }

  /// The type of a list's elements.
  public var element: DType? {
    switch self {
    case .ints: .int
    case .strs: .str
    case .grid: .ints
    default: nil
    }
  }

  /// The DSL type of a type annotation, where the DSL has one.
  public static func from(_ annotation: TypeExpr) -> DType? {
    switch annotation {
    case .named("int"): .int
    case .named("bool"): .bool
    case .named("str"): .str
    case .generic("list", [.named("int")]): .ints
    case .generic("list", [.named("str")]): .strs
    case .generic("list", [.generic("list", [.named("int")])]): .grid
    default: nil
    }
  }
}
