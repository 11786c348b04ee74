import Foundation

/// LiveCodeBench's compressed test cases: base64 of zlib of a pickled str
/// (the JSON text of the tests). Decoded without unpickling: the pickle is
/// read by a reader that knows only the opcodes of one str (protocols 2 to
/// 5: PROTO, FRAME, the three BINUNICODE forms, the memo opcodes, STOP) and
/// refuses anything else, so no object is ever built and no code named by a
/// pickle is ever run.
enum PickledText {
  struct Failure: Error {
    var message: String
  }

  /// The str of `base64(zlib(pickle(str)))`.
  static func decode(_ text: String, limit: Int = 1 << 30) throws(Failure) -> String {
    let compact = text.filter { !$0.isWhitespace }
    guard let data = Data(base64Encoded: compact) else {
      throw Failure(message: "is neither JSON nor base64 text")
    }
    let inflated: Data
    do {
      inflated = try Gzip.decompress(data, limit: limit)
    } catch {
      throw Failure(message: "is base64, but not of zlib data (\(error.message))")
    }
    return try string(fromPickle: [UInt8](inflated))
  }

  /// The one str a pickle holds.
  static func string(fromPickle bytes: [UInt8]) throws(Failure) -> String {
    var index = 0
    var value: String?
    func take(_ count: Int) throws(Failure) -> ArraySlice<UInt8> {
      guard count >= 0, count <= bytes.count - index else {
        throw Failure(message: "holds a truncated pickle (at byte \(index))")
      }
      defer { index += count }
      return bytes[index..<index + count]
    }
    func little(_ count: Int) throws(Failure) -> Int {
      let slice = try take(count)
      var n: UInt64 = 0
      for (shift, byte) in slice.enumerated() { n |= UInt64(byte) << (8 * UInt64(shift)) }
      guard n <= UInt64(Int.max) else { throw Failure(message: "holds a pickle with an impossible length") }
      return Int(n)
    }
    func push(_ length: Int) throws(Failure) {
      guard value == nil else {
        throw Failure(message: "holds a pickle of more than one str; only a pickled str is read")
      }
      guard let text = String(validating: try take(length), as: UTF8.self) else {
        throw Failure(message: "holds a pickled str that is not valid UTF-8")
      }
      value = text
    }
    while index < bytes.count {
      let at = index
      let opcode = bytes[index]
      index += 1
      switch opcode {
      case 0x80:  // PROTO
        let version = try take(1).first!
        guard (2...5).contains(version) else {
          throw Failure(message: "holds a pickle of protocol \(version); only protocols 2 to 5 are read")
        }
      case 0x95: _ = try little(8)  // FRAME: a length hint for what follows
      case 0x8C: try push(try little(1))  // SHORT_BINUNICODE
      case 0x58: try push(try little(4))  // BINUNICODE
      case 0x8D: try push(try little(8))  // BINUNICODE8
      case 0x94: break  // MEMOIZE
      case 0x71: _ = try take(1)  // BINPUT
      case 0x72: _ = try take(4)  // LONG_BINPUT
      case 0x2E:  // STOP
        guard let value else { throw Failure(message: "holds a pickle of no str") }
        guard index == bytes.count else { throw Failure(message: "holds bytes after the pickle's end") }
        return value
      default:
        throw Failure(
          message: "holds a pickle with opcode 0x\(String(opcode, radix: 16)) at byte \(at): only a pickled str is "
            + "read, without unpickling (which could build any object and run code), so this field cannot be read")
      }
    }
    throw Failure(message: "holds a pickle without its end (STOP)")
  }
}
