import Foundation

/// FNV-1a, 64 bits: stable ids, shard assignment and fingerprints (the
/// same on every machine and run; not for security).
public enum FNV1a {
  public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return hash
  }

  public static func hash(_ text: String) -> UInt64 { hash(text.utf8) }

  /// 16 hex digits, zero-padded.
  public static func hex(_ text: String) -> String { hex(hash(text.utf8)) }

  public static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
