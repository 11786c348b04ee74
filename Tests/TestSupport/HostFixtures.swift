import Foundation
import Glibc

/// Host-side state a hostile program must not touch or reach.
public struct HostFixtures: Sendable {
  public let directory: String
  public let secretPath: String
  public let secret: String
  public let rootCanary: String
  public let tcpPort: UInt16
  public let tcpListener: Int32
  public let abstractName: String
  public let unixListener: Int32

  public static let shared: HostFixtures = {
    let id = UUID().uuidString.prefix(8)
    let directory = "/tmp/crucible-canary-\(id)"
    mkdir(directory, 0o755)
    let secret = "SECRET-\(UUID().uuidString)"
    let secretPath = "\(directory)/secret.txt"
    _ = FileManager.default.createFile(atPath: secretPath, contents: Data(secret.utf8))
    let rootCanary = "/root/.crucible-canary-\(id)"
    _ = FileManager.default.createFile(atPath: rootCanary, contents: Data(secret.utf8))
    let (tcp, port) = listenTCP()
    let name = "crucible-fixture-\(id)"
    return HostFixtures(
      directory: directory, secretPath: secretPath, secret: secret, rootCanary: rootCanary,
      tcpPort: port, tcpListener: tcp, abstractName: name, unixListener: listenAbstract(name))
  }()

  /// Problems with the host state; empty when every canary is intact and no
  /// fixture was reached.
  public func violations() -> [String] {
    var out: [String] = []
    for path in [secretPath, rootCanary] {
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing>"
      if text != secret { out.append("canary \(path) changed") }
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    if entries != ["secret.txt"] { out.append("canary directory now holds \(entries)") }
    for (name, fd) in [("TCP", tcpListener), ("abstract unix", unixListener)] {
      let client = accept(fd, nil, nil)  // the listeners are non-blocking
      if client >= 0 {
        close(client)
        out.append("the host \(name) fixture accepted a connection")
      }
    }
    return out
  }

  private static func listenTCP() -> (Int32, UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    listen(fd, 16)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, UInt16(bigEndian: address.sin_port))
  }

  private static func listenAbstract(_ name: String) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = [UInt8(0)] + Array(name.utf8)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    listen(fd, 16)
    return fd
  }
}
