import Foundation
import Support

/// A solved task, kept to show a language model in later prompts.
public struct Exemplar: Sendable, Equatable, Codable {
  public var taskID: String
  public var prompt: String
  public var program: String
  /// The training round that solved it.
  public var round: Int

  public init(taskID: String, prompt: String, program: String, round: Int) {
    self.taskID = taskID
    self.prompt = prompt
    self.program = program
    self.round = round
  }

  enum CodingKeys: String, CodingKey {
    case taskID = "task_id"
    case prompt, program, round
  }
}

/// The exemplar memory: solved tasks and their programs, retrieved by
/// similarity of their prompts (cosine over word counts, rarer words
/// weighing more) into the prompts of later rounds: in-context expert
/// iteration. One JSON object per line on disk.
public struct ExemplarMemory: Sendable {
  public private(set) var exemplars: [Exemplar]

  public init(_ exemplars: [Exemplar] = []) { self.exemplars = exemplars }

  /// Adds or replaces (by task) solved tasks.
  public mutating func add(_ new: [Exemplar]) {
    for exemplar in new {
      if let i = exemplars.firstIndex(where: { $0.taskID == exemplar.taskID }) {
        exemplars[i] = exemplar
      } else {
        exemplars.append(exemplar)
      }
    }
  }

  /// The `count` exemplars most like `prompt`, most alike first; never the
  /// task itself.
  public func nearest(to prompt: String, excluding taskID: String, count: Int) -> [Exemplar] {
    guard count > 0, !exemplars.isEmpty else { return [] }
    var documentFrequency: [String: Int] = [:]
    let bags = exemplars.map { Self.bag($0.prompt) }
    for bag in bags { for word in bag.keys { documentFrequency[word, default: 0] += 1 } }
    let n = Double(exemplars.count)
    func weights(_ bag: [String: Int]) -> [String: Double] {
      bag.mapValues(Double.init).reduce(into: [:]) { out, entry in
        out[entry.key] = entry.value * log(1 + n / Double(documentFrequency[entry.key] ?? 1))
      }
    }
    let query = weights(Self.bag(prompt))
    let queryNorm = query.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let scored = zip(exemplars, bags).filter { $0.0.taskID != taskID }.map { exemplar, bag -> (Exemplar, Double) in
      let w = weights(bag)
      let dot = query.reduce(0) { $0 + $1.value * (w[$1.key] ?? 0) }
      let norm = w.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return (exemplar, queryNorm > 0 && norm > 0 ? dot / (queryNorm * norm) : 0)
    }
    return scored.sorted { ($0.1, $1.0.taskID) > ($1.1, $0.0.taskID) }.prefix(count).map(\.0)
  }

  static func bag(_ text: String) -> [String: Int] {
    text.lowercased().split { !$0.isLetter && !$0.isNumber }.reduce(into: [:]) { $0[String($1), default: 0] += 1 }
  }

  // MARK: on disk

  public static func load(_ path: String) throws -> ExemplarMemory {
    guard FileManager.default.fileExists(atPath: path) else { return ExemplarMemory() }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    do {
      return ExemplarMemory(try JSONLines.decode(text, path: path, as: "an exemplar"))
    } catch {
      throw PromptError(path: "\(error.path):\(error.line)", message: error.message)
    }
  }

  public func save(_ path: String) throws { try JSONLines.write(exemplars, to: path) }
}
