import Foundation
import Values
import Verdicts

/// The records the harness's trusted side wrote on the result channel,
/// checked: each frame is a JSON object with the job's nonce; one `start`,
/// one record per test, one `done`. Only the trusted side holds the channel,
/// so anything else is evidence of tampering.
struct Records {
  /// One test's record: the outcome the trusted side decided, its fields,
  /// and the time it measured.
  struct Test {
    var outcome: HarnessOutcome
    var fields: JSON
    var milliseconds: Double
  }

  var tests: [Int: Test] = [:]
  var started = false
  var done = false
  /// Why the channel cannot be trusted, if it cannot.
  var tamper: String?
  /// The channel was cut at the cap.
  var truncated = false
  /// The files a program run was asked to return, as the trusted side read
  /// them (base64 in the record), and those it could not, with why.
  var fetched: [String: [UInt8]]?
  var unfetched: [String: String] = [:]

  static func parse(_ bytes: [UInt8], nonce: String, complete: Bool) -> Records {
    var records = Records()
    records.truncated = !complete
    var index = 0
    while index < bytes.count {
      guard bytes.count - index >= 4 else {
        if complete { records.tamper = "a partial frame on the result channel" }
        break
      }
      let length =
        Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
      index += 4
      guard bytes.count - index >= length else {
        if complete { records.tamper = "a partial frame on the result channel" }
        break
      }
      let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
      index += length
      guard let json = try? JSON.parse(text), case .object = json else {
        records.tamper = "a record that is not a JSON object"
        continue
      }
      guard json["nonce"] == .string(nonce) else {
        records.tamper = "a record without the job's nonce"
        continue
      }
      records.add(json)
    }
    return records
  }

  private mutating func add(_ json: JSON) {
    switch json["event"] {
    case .string("start")?:
      if started { tamper = "two start records" }
      started = true
    case .string("done")?:
      done = true
    case .string("test")?:
      guard case .number(let lexeme, isInteger: true)? = json["test"], let id = Int(lexeme),
        case .string(let name)? = json["outcome"], let outcome = HarnessOutcome(rawValue: name),
        case .number(let msLexeme, _)? = json["ms"], let ms = Double(msLexeme), ms.isFinite, ms >= 0, ms < 1e9
      else {
        tamper = "a test record without a test id, a known outcome or a time"
        return
      }
      // A second record for a test may only be the trusted side's later
      // finding of tampering (the candidate said more after its answer).
      if tests[id] != nil && outcome != .tamper { tamper = "two records for test \(id)" }
      tests[id] = Test(outcome: outcome, fields: json, milliseconds: tests[id]?.milliseconds ?? ms)
    case .string("files")?:
      guard fetched == nil, case .object(let files)? = json["files"], case .object(let missing)? = json["missing"]
      else {
        tamper = "a files record that is not the only one, or without files and missing"
        return
      }
      var read: [String: [UInt8]] = [:]
      for (path, value) in files {
        guard case .string(let encoded) = value, let data = Data(base64Encoded: encoded) else {
          tamper = "a fetched file that does not decode"
          return
        }
        read[path] = Array(data)
      }
      fetched = read
      for case (let path, .string(let why)) in missing { unfetched[path] = why }
    default:
      tamper = "a record of an unknown kind"
    }
  }
}
