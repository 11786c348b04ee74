import Foundation
import Support
import Values

/// A request the service refuses, with the HTTP status and a sentence that
/// names the field and the value.
public struct RequestError: Error, Sendable, Equatable {
  public var status: Int
  public var message: String
  /// Seconds to wait before retrying (a 429's Retry-After).
  public var retryAfter: Int?

  public init(_ status: Int, _ message: String) {
    self.status = status
    self.message = message
  }

  static func badRequest(_ message: String) -> RequestError { RequestError(400, message) }
}

/// The fields of a JSON request body, read with errors that name the field
/// and show (escaped and shortened) the value that was wrong.
struct RequestFields {
  let members: [(key: String, value: JSON)]

  init(body: [UInt8]) throws(RequestError) {
    let text = String(decoding: body, as: UTF8.self)
    guard text.utf8.elementsEqual(body) else { throw .badRequest("the body is not UTF-8 text") }
    let json: JSON
    do {
      json = try JSON.parse(text)
    } catch {
      throw .badRequest("the body is not JSON (\(error.description))")
    }
    guard case .object(let members) = json else {
      throw .badRequest("the body must be a JSON object, not \(json.kind)")
    }
    if let duplicate = Self.duplicateKey(json, at: "") { throw .badRequest("the key \(duplicate) appears twice") }
    self.members = members
  }

  /// The first key that an object of `json` holds twice, with where it is.
  static func duplicateKey(_ json: JSON, at path: String) -> String? {
    switch json {
    case .object(let members):
      var seen = Set<String>()
      for (key, value) in members {
        let here = path.isEmpty ? key : "\(path).\(key)"
        if !seen.insert(key).inserted { return SafeText.visible(here, limit: 120) }
        if let inner = duplicateKey(value, at: here) { return inner }
      }
      return nil
    case .array(let items):
      for (index, item) in items.enumerated() {
        if let inner = duplicateKey(item, at: "\(path)[\(index)]") { return inner }
      }
      return nil
    default:
      return nil
    }
  }

  init(_ members: [(key: String, value: JSON)]) { self.members = members }

  subscript(key: String) -> JSON? {
    members.last { $0.key == key }?.value
  }

  /// A value as an error shows it: its kind, and its text shortened.
  static func shown(_ json: JSON) -> String {
    json == .null ? "null" : "\(json.kind) \(SafeText.visible(json.text, limit: 80))"
  }

  func string(_ key: String) throws(RequestError) -> String {
    guard let value = self[key] else { throw .badRequest("the field \(key) is required") }
    guard case .string(let s) = value else {
      throw .badRequest("the field \(key) must be a string, not \(Self.shown(value))")
    }
    return s
  }

  func optionalString(_ key: String) throws(RequestError) -> String? {
    guard let value = self[key], value != .null else { return nil }
    return try string(key)
  }

  /// A number in `range`; `fallback` when absent or null.
  func number(_ key: String, in range: ClosedRange<Double>, fallback: Double) throws(RequestError) -> Double {
    guard let value = self[key], value != .null else { return fallback }
    guard case .number(let lexeme, _) = value, let number = Double(lexeme), number.isFinite else {
      throw .badRequest("the field \(key) must be a finite number, not \(Self.shown(value))")
    }
    guard range.contains(number) else {
      throw .badRequest(
        "the field \(key) must be in \(range.lowerBound)...\(range.upperBound), not \(SafeText.visible(lexeme, limit: 40))"
      )
    }
    return number
  }

  func strings(_ key: String) throws(RequestError) -> [String] {
    guard let value = self[key], value != .null else { return [] }
    guard case .array(let items) = value else {
      throw .badRequest("the field \(key) must be a list of strings, not \(Self.shown(value))")
    }
    return try items.enumerated().map { (index, item) throws(RequestError) in
      guard case .string(let s) = item else {
        throw .badRequest("\(key)[\(index)] must be a string, not \(Self.shown(item))")
      }
      return s
    }
  }

  /// A relative path under the working directory: `/work/` before it is
  /// taken away; no `.`, `..` or empty parts.
  static func workPath(_ path: String, field: String) throws(RequestError) -> String {
    let relative = path.hasPrefix("/work/") ? String(path.dropFirst("/work/".count)) : path
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
    guard !relative.isEmpty, !relative.hasPrefix("/"), !parts.contains(where: { ["", ".", ".."].contains($0) }),
      !relative.utf8.contains(0), relative.utf8.count <= 1024, parts.allSatisfy({ $0.utf8.count <= 255 })
    else {
      throw .badRequest(
        "\(field) \(SafeText.visible(path, limit: 80)) must be a path relative to the working directory "
          + "(or under /work/), without '.', '..' or empty parts, at most 1024 bytes and 255 a part")
    }
    return relative
  }
}
