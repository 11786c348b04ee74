import Values

/// A Python string as the DSL sees it: a sequence of code points (Python's
/// `len`, indexing and comparison work on code points, not on Swift's
/// grapheme clusters).
public struct PyStr: Hashable, Sendable, Comparable {
  public var scalars: [Unicode.Scalar]

  public init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }
  public init(_ string: String) { scalars = Array(string.unicodeScalars) }

  public var string: String {
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars)
    return String(s)
  }

  /// Python's ordering: by code point.
  public static func < (a: PyStr, b: PyStr) -> Bool {
    a.scalars.lexicographicallyPrecedes(b.scalars) { $0.value < $1.value }
  }
}

/// A runtime value of the DSL. Errors are values: a program that divides
/// by zero or takes the maximum of an empty list evaluates to `.error`.
public enum DValue: Hashable, Sendable {
  case int(Int)
  case bool(Bool)
  case str(PyStr)
  case ints([Int])
  case strs([PyStr])
  case grid([[Int]])
  /// Python raises here too (an IndexError, a ZeroDivisionError...).
  case error
  /// A limit of this interpreter, not of Python: an integer past 64 bits or
  /// a value too large to build. Never compared with Python.
  case beyond

  /// The DSL type of a value (nil for errors).
  public var type: DType? {
    switch self {
    case .int: .int
    case .bool: .bool
    case .str: .str
    case .ints: .ints
    case .strs: .strs
    case .grid: .grid
    case .error, .beyond: nil
    }
  }

  public var isFailure: Bool {
    switch self {
    case .error, .beyond: true
    default: false
    }
  }
}

extension DValue {
  /// The DSL value of a task's plain value, if it has one of the DSL's types.
  public init?(_ value: Value, as type: DType) {
    switch (type, value) {
    case (.int, .int(let i)): self = .int(i)
    case (.bool, .bool(let b)): self = .bool(b)
    case (.str, .str(let s)): self = .str(PyStr(s))
    case (.ints, .list(let items)):
      var out: [Int] = []
      for item in items {
        guard case .int(let i) = item else { return nil }
        out.append(i)
      }
      self = .ints(out)
    case (.strs, .list(let items)):
      var out: [PyStr] = []
      for item in items {
        guard case .str(let s) = item else { return nil }
        out.append(PyStr(s))
      }
      self = .strs(out)
    case (.grid, .list(let rows)):
      var out: [[Int]] = []
      for row in rows {
        guard case .ints(let r)? = DValue(row, as: .ints) else { return nil }
        out.append(r)
      }
      self = .grid(out)
    default: return nil
    }
  }

  /// The plain value (nil for errors).
  public var value: Value? {
    switch self {
    case .int(let i): .int(i)
    case .bool(let b): .bool(b)
    case .str(let s): .str(s.string)
    case .ints(let xs): .list(xs.map { .int($0) })
    case .strs(let xs): .list(xs.map { .str($0.string) })
    case .grid(let rows): .list(rows.map { .list($0.map { .int($0) }) })
    case .error, .beyond: nil
    }
  }
}
