import Foundation
import TestSupport
import Testing
import Values

/// `Value.accepts` against a reference written in Python from the documented
/// rule (`equality_reference.py`, next to this file), on random pairs of
/// nested Python values encoded by the harness's own `plainvalues.py`; and
/// the transport both ways: what Swift re-encodes, Python's `decode` gives
/// back exactly, and `pythonLiteral` is Python's `repr`.
///
/// The seed is random unless `CRUCIBLE_EQUALITY_SEED` is set; failures name
/// it, so a failing run can be repeated.
@Suite(.timeLimit(.minutes(5))) struct EqualityPropertyTests {
  static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let script = here.appendingPathComponent("equality_reference.py").path
  static let harness = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("harness")
    .path
  static let pairCount = 4000

  struct Side {
    var value: Value
    var repr: String
    var form: String
    /// No set inside: its repr does not depend on hashing.
    var literal: Bool
    /// A set or dict with two NaNs, which Python's decode cannot give back.
    var nanTwins: Bool
  }

  struct Pair {
    var expected: Side
    var actual: Side
    var verdict: Bool
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static var seed: UInt64 {
    ProcessInfo.processInfo.environment["CRUCIBLE_EQUALITY_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 0..<1 << 32)
  }

  @Test("accepts agrees with the Python reference on random pairs")
  func agreesWithReference() async throws {
    let seed = Self.seed
    let pairs = try await Self.generate(seed: seed)
    #expect(pairs.count >= 3000)
    var disagreements: [String] = []
    for pair in pairs where pair.expected.value.accepts(pair.actual.value) != pair.verdict {
      disagreements.append(
        "expected \(pair.expected.repr), actual \(pair.actual.repr): Python says \(pair.verdict)")
    }
    let equal = pairs.filter(\.verdict).count
    let unequal = pairs.count - equal
    print("EqualityPropertyTests: seed \(seed), \(pairs.count) pairs, \(equal) equal, \(unequal) unequal")
    #expect(equal * 4 >= pairs.count, "seed \(seed): only \(equal) of \(pairs.count) pairs equal")
    #expect(unequal * 4 >= pairs.count, "seed \(seed): only \(unequal) of \(pairs.count) pairs unequal")
    #expect(
      disagreements.isEmpty,
      "seed \(seed): \(disagreements.count) disagreements; the first:\n\(disagreements.prefix(5).joined(separator: "\n"))"
    )
  }

  @Test("Python's repr reads back as the same value (what a model's tests are read with)")
  func readsRepr() async throws {
    let seed = Self.seed
    let sides = try await Self.generate(seed: seed).flatMap { [$0.expected, $0.actual] }
    var read = 0
    var wrong: [String] = []
    for side in sides where side.literal {
      let back = PythonLiteralReader.value(side.repr)
      // nan and inf have no literal (only float('nan')), a lone surrogate
      // no Swift string: those are refused or read right, never misread.
      if side.repr.contains("nan") || side.repr.contains("inf") || side.repr.contains(#"\ud"#) {
        if let back, back.pythonLiteral != side.repr { wrong.append("\(side.repr) read as \(back.pythonLiteral)") }
        continue
      }
      read += 1
      if back?.pythonLiteral != side.repr { wrong.append("\(side.repr) read as \(back?.pythonLiteral ?? "nothing")") }
    }
    print("EqualityPropertyTests: seed \(seed), \(read) reprs read back")
    #expect(read * 4 >= sides.count)
    #expect(
      wrong.isEmpty, "seed \(seed): \(wrong.count) misread; the first:\n\(wrong.prefix(5).joined(separator: "\n"))")
  }

  @Test("The transport is lossless both ways, and pythonLiteral is Python's repr")
  func transport() async throws {
    let seed = Self.seed
    let sides = try await Self.generate(seed: seed).flatMap { [$0.expected, $0.actual] }
    // Thousands of values encoded and read back: off the pool (see offThePool).
    let (literalMismatches, lines, unstable, skipped) = try await offThePool {
      var literalMismatches: [String] = []
      var lines: [String] = []
      var unstable: [String] = []
      var skipped = 0
      for side in sides {
        if side.literal && side.value.pythonLiteral != side.repr {
          literalMismatches.append("Python \(side.repr), Swift \(side.value.pythonLiteral)")
        }
        // Swift reads back its own encoding (compared as text: NaN is not == NaN).
        let text = side.value.json.text
        if try Value(json: JSON.parse(text)).json.text != text { unstable.append(text) }
        if side.nanTwins {
          skipped += 1
          continue
        }
        let record = JSON.object([
          ("value", side.value.json), ("form", .string(side.form)), ("repr", .string(side.repr)),
          ("literal", .bool(side.literal)),
        ])
        lines.append(record.text)
      }
      return (literalMismatches, lines, unstable, skipped)
    }
    #expect(unstable.isEmpty, "seed \(seed): Swift reads its own encoding differently: \(unstable.prefix(5))")
    let literals = sides.filter(\.literal).count
    #expect(literals * 3 >= sides.count, "seed \(seed): only \(literals) values without sets")
    #expect(
      literalMismatches.isEmpty,
      "seed \(seed): \(literalMismatches.count) literals differ; the first:\n\(literalMismatches.prefix(5).joined(separator: "\n"))"
    )

    let file = NSTemporaryDirectory() + "crucible-equality-\(UUID().uuidString.prefix(8)).jsonl"
    defer { try? FileManager.default.removeItem(atPath: file) }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
    let output = try await offThePool { try Self.runScript(["check", Self.harness, file]) }
    let reports = try output.split(separator: "\n").map { try JSON.parse(String($0)) }
    guard case .number(let checked, _)? = reports.last?["checked"],
      case .number(let mismatches, _)? = reports.last?["mismatches"]
    else { throw Failure(description: "no summary from the check: \(output)") }
    print("EqualityPropertyTests: seed \(seed), \(checked) values back through plainvalues.decode, \(skipped) skipped")
    #expect(Int(checked) == lines.count)
    #expect(
      mismatches == "0", "seed \(seed): decoded differently:\n\(reports.dropLast().map(\.text).joined(separator: "\n"))"
    )
  }

  /// The pairs the script draws from `seed`.
  /// Running the script and reading its thousands of lines both happen
  /// off the test process's few pool threads (see offThePool).
  static func generate(seed: UInt64) async throws -> [Pair] {
    try await offThePool { try read(runScript(["generate", String(seed), String(pairCount), harness])) }
  }

  static func read(_ output: String) throws -> [Pair] {
    var pairs: [Pair] = []
    for (i, line) in output.split(separator: "\n").enumerated() {
      let json = try JSON.parse(String(line))
      func side(_ name: String) throws -> Side {
        guard let encoded = json[name], let info = json[name + "_info"], case .string(let repr)? = info["repr"],
          case .string(let form)? = info["form"], case .bool(let literal)? = info["literal"],
          case .bool(let nanTwins)? = info["nan_twins"]
        else { throw Failure(description: "line \(i + 1): no \(name)") }
        let value = try Value(json: encoded, path: "line \(i + 1).\(name)")
        return Side(value: value, repr: repr, form: form, literal: literal, nanTwins: nanTwins)
      }
      guard case .bool(let verdict)? = json["verdict"] else { throw Failure(description: "line \(i + 1): no verdict") }
      pairs.append(Pair(expected: try side("expected"), actual: try side("actual"), verdict: verdict))
    }
    return pairs
  }

  /// Runs the reference script with the real interpreter; its stdout.
  static func runScript(_ arguments: [String]) throws -> String {
    let (status, output, errors) = try run(python(), ["-I", "-S", script] + arguments)
    guard status == 0 else { throw Failure(description: "\(script) \(arguments.first ?? "") failed: \(errors)") }
    return output
  }

  /// The interpreter behind `python3` (or `$CRUCIBLE_PYTHON`), not a pyenv shim.
  static func python() throws -> String {
    let name = ProcessInfo.processInfo.environment["CRUCIBLE_PYTHON"] ?? "python3"
    let code = "import os, sys; print(os.path.realpath(sys.executable))"
    let (status, output, errors) = try run("/usr/bin/env", [name, "-I", "-S", "-c", code])
    let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
    guard status == 0, !path.isEmpty else { throw Failure(description: "no Python interpreter: \(errors)") }
    return path
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdout = Pipe()
    let errorFile = NSTemporaryDirectory() + "crucible-equality-\(UUID().uuidString.prefix(8)).err"
    guard FileManager.default.createFile(atPath: errorFile, contents: nil) else {
      throw Failure(description: "cannot create \(errorFile)")
    }
    defer { try? FileManager.default.removeItem(atPath: errorFile) }
    let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
    defer { try? stderr.close() }
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errors = (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? ""
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), errors)
  }
}
