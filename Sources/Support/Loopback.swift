import Foundation

/// Loopback addresses for servers this process starts.
public enum Loopback {
  /// A 127.0.0.1 port nothing listened on a moment ago (bound to port 0,
  /// named, closed), for another program to listen on; nil when no
  /// socket could be had.
  public static func freePort() -> Int? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    return named ? Int(UInt16(bigEndian: address.sin_port)) : nil
  }
}
