import Foundation
import Testing

@testable import Suites

/// Random mutations of valid suites thrown at the loader: it must never
/// crash, and when it refuses, every problem names the file.
@Suite(.timeLimit(.minutes(10))) struct LoaderFuzzTests {
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let tokens: [String] = [
    "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e999", "0.5", "\"x\"", "{\"tuple\": 1}",
    "{\"dict\": [[1]]}", "\"args\"", "\"expected\"", "\"tests\"", "\"public\"", "\\u0000", "\n", "\u{FFFF}",
    "99999999999999999999999",
  ]

  static func mutate(_ text: String, _ g: inout Generator) -> String {
    var bytes = Array(text.utf8)
    for _ in 0..<Int.random(in: 1...4, using: &g) where !bytes.isEmpty {
      let at = Int.random(in: 0..<bytes.count, using: &g)
      switch Int.random(in: 0..<6, using: &g) {
      case 0: bytes[at] = UInt8.random(in: 0...255, using: &g)
      case 1: bytes.remove(at: at)
      case 2: bytes.insert(contentsOf: Array(tokens.randomElement(using: &g)!.utf8), at: at)
      case 3: bytes = Array(bytes.prefix(at))
      case 4:
        let end = min(bytes.count, at + Int.random(in: 1...20, using: &g))
        bytes.removeSubrange(at..<end)
      default:
        let other = Int.random(in: 0..<bytes.count, using: &g)
        bytes.swapAt(at, other)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test("3,000 mutated JSONL suites", arguments: [Fixtures.humanEval, Fixtures.mbpp, Fixtures.crucible])
  func jsonl(_ original: String) throws {
    var g = Generator(state: UInt64(original.count))
    let root = try Fixtures.directory([:])
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    var loaded = 0
    var refused = 0
    for i in 0..<1000 {
      let path = "\(root)/f\(i).jsonl"
      try Self.mutate(original, &g).write(toFile: path, atomically: false, encoding: .utf8)
      do {
        let suite = try Suite.load(path)
        #expect(!suite.tasks.isEmpty)
        loaded += 1
      } catch {
        #expect(!error.problems.isEmpty)
        #expect(error.problems.allSatisfy { $0.file == path })
        refused += 1
      }
    }
    #expect(refused > 500, "the mutations should break most files (loaded \(loaded))")
  }

  @Test("500 mutated task directories")
  func directories() throws {
    var g = Generator(state: 42)
    for i in 0..<500 {
      var files = Fixtures.taskDirectory
      let key = files.keys.sorted()[i % files.count]
      files[key] = Self.mutate(files[key]!, &g)
      let root = try Fixtures.directory(files)
      defer { try? FileManager.default.removeItem(atPath: root) }
      do {
        _ = try Suite.load(root)
      } catch {
        #expect(!error.problems.isEmpty)
        #expect(error.problems.allSatisfy { $0.file.hasPrefix(root) })
      }
    }
  }
}
