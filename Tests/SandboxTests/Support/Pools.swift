import Foundation
import Glibc

@testable import Sandbox

/// One pool per mode, shared by the tests of this target (which run
/// serialized), started on first use.
actor Pools {
  static let shared = Pools()
  private var pools: [SandboxConfiguration.Mode: SandboxPool] = [:]

  func pool(_ mode: SandboxConfiguration.Mode) async throws -> SandboxPool {
    if let pool = pools[mode] { return pool }
    let pool = try await SandboxPool.start(.detect(mode: mode, workers: 2))
    pools[mode] = pool
    return pool
  }
}

/// Host-side state a hostile program must not touch or reach.
struct HostFixtures: Sendable {
  let directory: String
  let secretPath: String
  let secret: String
  let rootCanary: String
  let tcpPort: UInt16
  let tcpListener: Int32
  let abstractName: String
  let unixListener: Int32

  static let shared: HostFixtures = {
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
  func violations() -> [String] {
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

/// What the host looks like from outside the sandbox.
enum HostState {
  /// Processes running as any of these host users.
  static func processes(ofUsers users: Set<UInt32>) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name -> pid_t? in
      guard let pid = pid_t(name),
        let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
        let uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap({ UInt32($0) })
      else { return nil }
      return users.contains(uid) ? pid : nil
    }
  }

  /// Open descriptors of a process.
  static func descriptorCount(_ pid: pid_t) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count ?? -1
  }

  /// Where each descriptor of a process points.
  static func descriptors(_ pid: pid_t) -> [String] {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    return fds.sorted { Int($0) ?? 0 < Int($1) ?? 0 }.map {
      "\($0)->" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "?")
    }
  }

  /// Every cgroup directory of this process's pools (`crucible-<pid>-*`).
  static func poolCgroups() -> [String] {
    let host = CgroupHost.detect()
    var out: [String] = []
    for parent in Array(host.v1.values) + (host.v2.map { [$0] } ?? []) {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
      for name in names where name.hasPrefix("crucible-\(getpid())-") {
        let slots = (try? FileManager.default.contentsOfDirectory(atPath: "\(parent)/\(name)")) ?? []
        out.append("\(parent)/\(name)")
        out += slots.filter { $0.hasPrefix("slot-") }.map { "\(parent)/\(name)/\($0)" }
      }
    }
    return out.sorted()
  }
}

/// Polls `condition` until it holds or `seconds` pass; true when it held.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
  let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
  while DispatchTime.now().uptimeNanoseconds < deadline {
    if condition() { return true }
    try? await Task.sleep(for: .milliseconds(20))
  }
  return condition()
}
