import CZlib
import Foundation

/// gzip decompression for `.jsonl.gz` suites and samples files (zlib,
/// with the gzip header).
public enum Gzip {
  public struct Failure: Error {
    public var message: String
  }

  /// At most 1 GiB out, so a gzip bomb is an error and not a crash.
  public static func decompress(_ data: Data, limit: Int = 1 << 30) throws(Failure) -> Data {
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw Failure(message: "inflateInit failed")
    }
    defer { inflateEnd(&stream) }
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = [UInt8](data)
    var status: Int32 = Z_OK
    let count = input.count
    input.withUnsafeMutableBufferPointer { source in
      stream.next_in = source.baseAddress
      stream.avail_in = uInt(count)
      repeat {
        chunk.withUnsafeMutableBufferPointer { target in
          stream.next_out = target.baseAddress
          stream.avail_out = uInt(target.count)
          status = inflate(&stream, Z_NO_FLUSH)
          output.append(target.baseAddress!, count: target.count - Int(stream.avail_out))
        }
      } while status == Z_OK && output.count <= limit
    }
    if output.count > limit { throw Failure(message: "decompresses to more than \(limit >> 20) MiB") }
    guard status == Z_STREAM_END else {
      throw Failure(
        message: stream.msg.map { String(cString: $0) } ?? "truncated or corrupt data (zlib status \(status))")
    }
    return output
  }
}
