import Foundation

/// JSON Lines files: one JSON object per line, keys sorted, slashes left
/// alone, so the files diff and grep well; hidden characters in strings
/// (C1 controls, bidirectional controls, U+2028) written as JSON escapes,
/// so that `cat` and `grep` show them (`SafeText.json`).
public enum JSONLines {
  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// One value as a line, newline included.
  public static func line<T: Encodable>(_ value: T) throws -> Data {
    try SafeText.json(encoder.encode(value)) + Data("\n".utf8)
  }

  /// Writes `values` to `path` atomically: the old file or the new one.
  public static func write<T: Encodable>(_ values: [T], to path: String) throws {
    let encoder = encoder
    var data = Data()
    for value in values { data += try SafeText.json(encoder.encode(value)) + Data("\n".utf8) }
    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// The values of `text`, a line each (blank lines skipped); a line that
  /// is not one names `path`, its number and what it should have been.
  public static func decode<T: Decodable>(_ text: String, path: String, as what: String) throws(Failure) -> [T] {
    try numbered(text, path: path, as: what).map(\.value)
  }

  /// The same, each value with its line number.
  public static func numbered<T: Decodable>(_ text: String, path: String, as what: String) throws(Failure)
    -> [(line: Int, value: T)]
  {
    var out: [(line: Int, value: T)] = []
    let decoder = JSONDecoder()
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where !line.isEmpty {
      do {
        out.append((number + 1, try decoder.decode(T.self, from: Data(line.utf8))))
      } catch {
        throw Failure(path: path, line: number + 1, message: "not \(what) (\(error.localizedDescription))")
      }
    }
    return out
  }

  /// A line that is not what it should be.
  public struct Failure: Error, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line): \(message)" }
  }
}
