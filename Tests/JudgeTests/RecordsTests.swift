import Testing

@testable import Judge

/// The result channel's parser: only the trusted side's vocabulary, with a
/// finite time it measured, makes a test record; anything else taints the
/// channel. (A time taken from a candidate once made the eval journal fail
/// on NaN.)
@Suite(.timeLimit(.minutes(1))) struct RecordsTests {
  static func frame(_ json: String) -> [UInt8] {
    let body = Array(json.utf8)
    let n = UInt32(body.count)
    return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + body
  }

  static let good = #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4, "ms": 1.5}"#

  @Test(
    "Malformed or foreign records taint the channel",
    arguments: [
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4, "ms": NaN}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4, "ms": Infinity}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4, "ms": -1}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4, "ms": 1e400}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "returned", "value": 4}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "status": "passed", "ms": 1}"#,
      #"{"nonce": "n", "event": "test", "test": 0, "outcome": "harness_killed", "ms": 1}"#,
      #"{"nonce": "n", "event": "test", "test": "0", "outcome": "passed", "ms": 1}"#,
      #"{"nonce": "other", "event": "test", "test": 0, "outcome": "passed", "ms": 1}"#,
      #"{"event": "test", "test": 0, "outcome": "passed", "ms": 1}"#,
      #"{"nonce": "n", "event": "verdict"}"#,
      #"[1, 2]"#,
      #"{"nonce": "n", "#,
    ])
  func tainted(_ json: String) {
    let records = Records.parse(Self.frame(json), nonce: "n", complete: true)
    #expect(records.tamper != nil)
    #expect(records.tests.values.allSatisfy { $0.milliseconds.isFinite && $0.milliseconds >= 0 })
  }

  @Test("A second record for a test is tamper, unless it is the trusted side's own finding of tamper")
  func amendments() {
    let twice = Records.parse(Self.frame(Self.good) + Self.frame(Self.good), nonce: "n", complete: true)
    #expect(twice.tamper == "two records for test 0")
    let amended = #"{"nonce": "n", "event": "test", "test": 0, "outcome": "tamper", "reason": "r", "ms": 0}"#
    let records = Records.parse(Self.frame(Self.good) + Self.frame(amended), nonce: "n", complete: true)
    #expect(records.tamper == nil)
    #expect(records.tests[0]?.outcome == .tamper)
    #expect(records.tests[0]?.milliseconds == 1.5)
  }

  @Test("A frame cut short is tamper when the channel was complete, and not when the cap cut it")
  func partial() {
    let cut = Array(Self.frame(Self.good).dropLast(3))
    #expect(Records.parse(cut, nonce: "n", complete: true).tamper != nil)
    let capped = Records.parse(cut, nonce: "n", complete: false)
    #expect(capped.tamper == nil && capped.truncated)
  }
}
