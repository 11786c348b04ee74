import Values

/// The records the harness wrote on the result channel, checked: each frame
/// is a JSON object with the job's nonce; one `start`, one record per test,
/// one `done`. Anything else is evidence of tampering.
struct Records {
  struct Test {
    var status: String
    var fields: JSON
    var ms: Double?
  }

  var tests: [Int: Test] = [:]
  var started = false
  var done = false
  /// Why the channel cannot be trusted, if it cannot.
  var tamper: String?
  /// The channel was cut at the cap.
  var truncated = false

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
      guard case .object? = try? JSON.parse(text), let json = try? JSON.parse(text) else {
        records.tamper = "a record that is not a JSON object"
        continue
      }
      guard json["nonce"] == .string(nonce) else {
        records.tamper = "a record without the job's nonce"
        continue
      }
      switch json["event"] {
      case .string("start")?:
        if records.started { records.tamper = "two start records" }
        records.started = true
      case .string("done")?:
        records.done = true
      case .string("test")?:
        guard case .number(let lexeme, isInteger: true)? = json["test"], let id = Int(lexeme),
          case .string(let status)? = json["status"]
        else {
          records.tamper = "a test record without a test id or status"
          continue
        }
        if records.tests[id] != nil { records.tamper = "two records for test \(id)" }
        var ms: Double?
        if case .number(let m, _)? = json["ms"] { ms = Double(m) }
        records.tests[id] = Test(status: status, fields: json, ms: ms)
      default:
        records.tamper = "a record of an unknown kind"
      }
    }
    return records
  }
}
