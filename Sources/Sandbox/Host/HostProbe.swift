import Foundation
import Glibc

/// What this kernel and host allow, tried for real by `crucible-jail probe`
/// (each namespace is cloned and exercised) plus the cgroup hierarchies.
public struct HostProbe: Sendable {
  /// Kernel release.
  public var kernel: String
  /// Effective uid of this process.
  public var euid: UInt32
  /// Landlock ABI version (0: none).
  public var landlockABI: Int
  /// Whether seccomp filters can kill a process.
  public var seccomp: Bool
  /// Whether seccomp user notification is available.
  public var seccompNotify: Bool
  /// Namespace name (`userns`, `mntns`, ...) to "ok" or the reason it failed.
  public var namespaces: [String: String]
  /// The cgroup hierarchies where the pool can create slot groups.
  public var cgroups: CgroupHost

  /// Whether namespace `name` works.
  public func has(_ name: String) -> Bool { namespaces[name] == "ok" }

  /// Runs the probe.
  public static func run(jail: String) throws -> HostProbe {
    let (status, output) = try Spawn.capture([jail, "probe"])
    guard status == 0 else {
      throw SandboxError(.jailFailed, "\(jail) probe failed (wait status \(status))")
    }
    var values: [String: String] = [:]
    for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
    }
    let names = ["userns", "mntns", "pidns", "netns", "ipcns", "utsns", "cgroupns"]
    return HostProbe(
      kernel: values["kernel"] ?? "unknown", euid: geteuid(),
      landlockABI: Int(values["landlock_abi"] ?? "0") ?? 0, seccomp: values["seccomp"] == "ok",
      seccompNotify: values["seccomp_notify"] == "ok",
      namespaces: Dictionary(uniqueKeysWithValues: names.map { ($0, values[$0] ?? "not probed") }),
      cgroups: CgroupHost.detect())
  }
}
