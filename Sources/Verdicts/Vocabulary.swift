/// A closed set of names that crosses a boundary (a file, the store, the
/// harness): each case is written as its snake_case raw value, and a name
/// read back that is not one of them is an error naming it, never a default.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable where RawValue == String {
  /// What the names are, for errors: "verdict kind", "grade", ...
  static var vocabulary: String { get }
}

extension Vocabulary {
  /// The case named `name`, or an error naming the name and the ones known.
  public init(named name: String) throws(UnknownName) {
    guard let value = Self(rawValue: name) else {
      throw UnknownName(vocabulary: Self.vocabulary, name: name, known: Self.allCases.map(\.rawValue))
    }
    self = value
  }
}

/// A name read back that its vocabulary does not have: a file or store
/// written by another version, or damaged.
public struct UnknownName: Error, Equatable, CustomStringConvertible {
  public var vocabulary: String
  public var name: String
  public var known: [String]

  public var description: String {
    "unknown \(vocabulary) \"\(name)\" (known: \(known.joined(separator: ", ")))"
  }
}
