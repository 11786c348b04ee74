/// A plain Python value, with its exact type: what a data test passes to a
/// candidate and expects back, and what the harness reports it returned.
///
/// Integers of any size: `int` when they fit 64 bits, else `bigInt` with the
/// decimal digits (one canonical spelling, so equality is structural).
///
/// A str that is valid Unicode is always `str`. A Python str may also hold
/// lone surrogates (U+D800...U+DFFF), which no Swift `String` can: such a
/// str is `strCodePoints`, its code points, at least one of them a
/// surrogate. `string(codePoints:)` builds either in that canonical form.
///
/// The synthesized `==` is Swift's structural equality (strings by canonical
/// equivalence, floats by IEEE `==`). Whether a returned value is the one a
/// test expects is `accepts(_:)`, not `==`.
public indirect enum Value: Sendable, Hashable {
  case none
  case bool(Bool)
  case int(Int)
  case bigInt(String)
  case float(Double)
  case str(String)
  /// A str that is not valid Unicode: its code points (each at most
  /// 0x10FFFF), at least one of them a lone surrogate.
  case strCodePoints([UInt32])
  case bytes([UInt8])
  case list([Value])
  case tuple([Value])
  case set([Value])
  case frozenset([Value])
  case dict([DictEntry])

  /// One key/value pair of a dict, in insertion order.
  public struct DictEntry: Sendable, Hashable {
    public var key: Value
    public var value: Value
    public init(_ key: Value, _ value: Value) {
      self.key = key
      self.value = value
    }
  }

  /// The Python type name.
  public var typeName: String {
    switch self {
    case .none: "NoneType"
    case .bool: "bool"
    case .int, .bigInt: "int"
    case .float: "float"
    case .str, .strCodePoints: "str"
    case .bytes: "bytes"
    case .list: "list"
    case .tuple: "tuple"
    case .set: "set"
    case .frozenset: "frozenset"
    case .dict: "dict"
    }
  }

  /// An integer from its decimal spelling, in canonical form; nil if not one.
  public static func integer(_ digits: some StringProtocol) -> Value? {
    if let small = Int(digits) { return .int(small) }
    var text = String(digits)
    let negative = text.hasPrefix("-")
    if negative { text.removeFirst() }
    guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    let trimmed = String(text.drop { $0 == "0" })
    if trimmed.isEmpty { return .int(0) }
    return .bigInt((negative ? "-" : "") + trimmed)
  }

  /// The str of these code points in canonical form: `str` when they are
  /// all Unicode scalars, else `strCodePoints`; nil if one is beyond 0x10FFFF.
  public static func string(codePoints: [UInt32]) -> Value? {
    var scalars = String.UnicodeScalarView()
    for code in codePoints {
      guard let scalar = Unicode.Scalar(code) else {
        return codePoints.allSatisfy { $0 <= 0x10FFFF } ? .strCodePoints(codePoints) : nil
      }
      scalars.append(scalar)
    }
    return .str(String(scalars))
  }

  /// The code points of a str, of either form; nil for any other type.
  public var codePoints: [UInt32]? {
    switch self {
    case .str(let s): s.unicodeScalars.map(\.value)
    case .strCodePoints(let codes): codes
    default: nil
    }
  }
}
