import CJailWire
import Foundation

/// A frame of the jail protocol (`sandbox/wire/include/jail_wire.h`): records
/// of a 16-bit tag and a byte string, sent behind a 32-bit length.
struct WireFrame: Sendable {
  private(set) var bytes: [UInt8] = []

  init() {}

  init(payload: [UInt8]) { bytes = payload }

  mutating func append(_ tag: UInt32, _ value: some Collection<UInt8>) {
    let tag16 = UInt16(tag)
    bytes.append(UInt8(tag16 & 0xff))
    bytes.append(UInt8(tag16 >> 8))
    let length = UInt32(value.count)
    withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: value)
  }

  mutating func append(_ tag: UInt32, _ value: UInt64) {
    withUnsafeBytes(of: value.littleEndian) { append(tag, Array($0)) }
  }

  mutating func append(_ tag: UInt32, _ value: String) {
    append(tag, Array(value.utf8))
  }

  mutating func append(_ tag: UInt32, _ first: String, _ second: String) {
    append(tag, Array(first.utf8) + [0] + Array(second.utf8))
  }

  /// A file record: a u32 mode, the path, a NUL, the contents.
  mutating func appendFile(_ tag: UInt32, mode: UInt32, path: String, contents: [UInt8]) {
    var record: [UInt8] = []
    record.reserveCapacity(5 + path.utf8.count + contents.count)
    withUnsafeBytes(of: mode.littleEndian) { record.append(contentsOf: $0) }
    record.append(contentsOf: Array(path.utf8))
    record.append(0)
    record.append(contentsOf: contents)
    append(tag, record)
  }

  /// The frame as written to a descriptor: length, then records.
  var encoded: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 4)
    withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: bytes)
    return out
  }

  /// The records in order; nil when the payload is malformed.
  func records() -> [(tag: UInt32, value: ArraySlice<UInt8>)]? {
    var out: [(tag: UInt32, value: ArraySlice<UInt8>)] = []
    var index = bytes.startIndex
    while index < bytes.endIndex {
      guard bytes.endIndex - index >= 6 else { return nil }
      let tag = UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
      var length = 0
      for shift in 0..<4 { length |= Int(bytes[index + 2 + shift]) << (8 * shift) }
      let start = index + 6
      guard bytes.endIndex - start >= length else { return nil }
      out.append((tag, bytes[start..<start + length]))
      index = start + length
    }
    return out
  }
}

extension ArraySlice<UInt8> {
  /// A little-endian integer record.
  var wireUInt64: UInt64 {
    var value: UInt64 = 0
    for (shift, byte) in prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
    return value
  }
}
