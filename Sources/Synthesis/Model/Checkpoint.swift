import Foundation
import Support

/// The model on disk: versioned JSON, sparse (zero weights are left out),
/// keyed by stable names so a checkpoint reads as what it says:
///
///     {"format": "crucible-synthesis-checkpoint", "version": 1,
///      "name": "prior", "lineage": ["..."],
///      "bias": {"sum": 0.5}, "context": {"map_ints.0": {"mul": 0.3}},
///      "features": {"word:odd": {"odd": 2.5}}}
public enum Checkpoint {
  public static let format = "crucible-synthesis-checkpoint"
  public static let version = 1

  struct File: Codable {
    var format: String
    var version: Int
    var name: String
    var lineage: [String]
    var bias: [String: Double]
    var context: [String: [String: Double]]
    var features: [String: [String: Double]]
  }

  /// What is wrong with a checkpoint, naming the file, the field and the value.
  public struct LoadError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
  }

  /// The checkpoint's JSON: sorted keys, so equal models write equal bytes.
  public static func encode(_ model: SynthesisModel) -> Data {
    func sparse(_ row: [Double]) -> [String: Double] {
      var out: [String: Double] = [:]
      for (s, w) in row.enumerated() where w != 0 { out[Symbols.names[s]] = w }
      return out
    }
    var context: [String: [String: Double]] = [:]
    for (c, row) in model.context.enumerated() {
      let entries = sparse(row)
      if !entries.isEmpty { context[Symbols.contextNames[c]] = entries }
    }
    var features: [String: [String: Double]] = [:]
    for (name, row) in model.features {
      let entries = sparse(row)
      if !entries.isEmpty { features[name] = entries }
    }
    let file = File(
      format: format, version: version, name: model.name, lineage: model.lineage, bias: sparse(model.bias),
      context: context, features: features)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return (try? encoder.encode(file)) ?? Data()
  }

  public static func decode(_ data: Data, path: String) throws(LoadError) -> SynthesisModel {
    let file: File
    do {
      // The format and version first, so an old or foreign file says so.
      struct Header: Decodable {
        var format: String?
        var version: Int?
      }
      let header = try JSONDecoder().decode(Header.self, from: data)
      guard header.format == format else {
        throw LoadError(
          path: path, message: "field format: \(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(format)\""
        )
      }
      guard header.version == version else {
        throw LoadError(
          path: path,
          message: "field version: \(header.version.map(String.init) ?? "missing"), this build reads version \(version)"
        )
      }
      file = try JSONDecoder().decode(File.self, from: data)
    } catch let error as LoadError {
      throw error
    } catch let DecodingError.keyNotFound(key, _) {
      throw LoadError(path: path, message: "field \(key.stringValue) is missing")
    } catch let DecodingError.typeMismatch(_, context) {
      throw LoadError(path: path, message: "field \(fieldPath(context)): \(context.debugDescription)")
    } catch let DecodingError.valueNotFound(_, context) {
      throw LoadError(path: path, message: "field \(fieldPath(context)): \(context.debugDescription)")
    } catch {
      throw LoadError(path: path, message: "not valid JSON (\(error.localizedDescription))")
    }
    var model = SynthesisModel(name: file.name, lineage: file.lineage)
    func row(_ entries: [String: Double], field: String) throws(LoadError) -> [Double] {
      var row = Array(repeating: 0.0, count: Symbols.count)
      for (name, weight) in entries {
        guard let s = Symbols.index[name] else {
          throw LoadError(
            path: path, message: "field \(field): unknown symbol \"\(name)\" (not in this build's grammar)")
        }
        guard weight.isFinite else {
          throw LoadError(path: path, message: "field \(field).\(name): weight \(weight) is not finite")
        }
        row[s] = weight
      }
      return row
    }
    model.bias = try row(file.bias, field: "bias")
    for (name, entries) in file.context {
      guard let c = Symbols.contextIndex[name] else {
        throw LoadError(path: path, message: "field context: unknown context \"\(name)\"")
      }
      model.context[c] = try row(entries, field: "context.\(name)")
    }
    for (name, entries) in file.features { model.features[name] = try row(entries, field: "features.\(name)") }
    return model
  }

  static func fieldPath(_ context: DecodingError.Context) -> String {
    context.codingPath.map(\.stringValue).joined(separator: ".")
  }

  public static func load(_ path: String) throws(LoadError) -> SynthesisModel {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(path: path, message: "cannot read the checkpoint (missing or unreadable)")
    }
    return try decode(data, path: path)
  }

  /// Writes atomically: a crash leaves the old checkpoint or the new one.
  public static func save(_ model: SynthesisModel, to path: String) throws {
    try encode(model).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// A short fingerprint of the weights (FNV-1a of the encoding), for provenance.
  public static func fingerprint(_ model: SynthesisModel) -> String {
    String(String(FNV1a.hash(encode(model)), radix: 16).suffix(8))
  }
}
