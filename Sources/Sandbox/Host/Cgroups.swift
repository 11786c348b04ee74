import Foundation
import Glibc
import Synchronization

/// The cgroup hierarchies this process may create groups in: cgroup v1
/// `memory`, `pids` and `cpu` controllers, or a v2 group whose subtree has
/// the `memory` and `pids` controllers delegated. Groups go under this
/// process's own group, so the session's own limits still apply above them.
public struct CgroupHost: Sendable, Equatable {
  /// Controller (`memory`, `pids`, `cpu`) to the directory of our own group.
  public var v1: [String: String]
  /// Our own v2 group, when its subtree delegates memory and pids.
  public var v2: String?
  /// Why a hierarchy is unusable, for the doctor.
  public var notes: [String]

  /// Whether memory and process limits can be set.
  public var limitsAvailable: Bool { (v1["memory"] != nil && v1["pids"] != nil) || v2 != nil }

  /// Reads `/proc/self/cgroup` and `/proc/self/mountinfo`.
  public static func detect() -> CgroupHost {
    var v1: [String: String] = [:]
    var v2: String?
    var notes: [String] = []
    let membership = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
    let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
    var v1Mounts: [String: String] = [:]
    var v2Mount: String?
    for line in mountinfo.split(separator: "\n") {
      let halves = line.components(separatedBy: " - ")
      guard halves.count == 2 else { continue }
      let left = halves[0].split(separator: " ")
      let right = halves[1].split(separator: " ")
      guard left.count > 4, right.count >= 3 else { continue }
      let mountPoint = String(left[4])
      if right[0] == "cgroup2" { v2Mount = v2Mount ?? mountPoint }
      if right[0] == "cgroup" {
        for option in right[2].split(separator: ",") where ["memory", "pids", "cpu"].contains(String(option)) {
          v1Mounts[String(option)] = mountPoint
        }
      }
    }
    for line in membership.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard parts.count == 3 else { continue }
      let path = String(parts[2])
      if parts[1].isEmpty, let mount = v2Mount {
        let dir = mount + (path == "/" ? "" : path)
        let controllers = (try? String(contentsOfFile: "\(dir)/cgroup.subtree_control", encoding: .utf8)) ?? ""
        let words = Set(controllers.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        if words.isSuperset(of: ["memory", "pids"]) && access(dir, W_OK) == 0 {
          v2 = dir
        } else {
          notes.append("cgroup v2 at \(dir) does not delegate memory and pids to its subtree")
        }
      }
      for controller in parts[1].split(separator: ",").map(String.init) {
        guard let mount = v1Mounts[controller] else { continue }
        let dir = mount + (path == "/" ? "" : path)
        if access(dir, W_OK) == 0 {
          v1[controller] = dir
        } else {
          notes.append("cgroup v1 \(controller) at \(dir) is not writable")
        }
      }
    }
    if v1.isEmpty && v2 == nil && notes.isEmpty { notes.append("no cgroup hierarchy is mounted") }
    return CgroupHost(v1: v1, v2: v2, notes: notes)
  }
}

/// The groups of one pool: `crucible-<pid>-<n>/slot-<k>` under each
/// controller, `n` counting the pools of this process.
/// Created when the pool starts, removed when it shuts down; groups left by
/// a pool whose process is gone are removed on the next start.
final class PoolCgroups: Sendable {
  /// Per slot: controller kind (`memory`, `pids`, `cpu`) to directory.
  let slots: [[String: String]]
  let roots: [String]
  let isV2: Bool

  private static let serial = Atomic<Int>(0)

  init(host: CgroupHost, slotCount: Int) throws {
    let name = "crucible-\(getpid())-\(Self.serial.wrappingAdd(1, ordering: .relaxed).oldValue)"
    var parents: [(kind: String, dir: String)] = []
    if let v2 = host.v2 {
      parents = [("unified", v2)]
    } else {
      for kind in ["memory", "pids", "cpu"] {
        if let dir = host.v1[kind] { parents.append((kind, dir)) }
      }
    }
    isV2 = host.v2 != nil
    var roots: [String] = []
    var slots = [[String: String]](repeating: [:], count: slotCount)
    do {
      for parent in parents {
        Self.removeStale(in: parent.dir)
        let root = "\(parent.dir)/\(name)"
        try Self.makeDirectory(root)
        roots.append(root)
        if isV2 {
          try Self.write(
            "+memory +pids" + (Self.hasController(parent.dir, "cpu") ? " +cpu" : ""),
            to: "\(root)/cgroup.subtree_control")
        }
        for slot in 0..<slotCount {
          let dir = "\(root)/slot-\(slot)"
          try Self.makeDirectory(dir)
          if parent.kind == "cpu" {
            try Self.write("100000", to: "\(dir)/cpu.cfs_period_us")
            try Self.write("100000", to: "\(dir)/cpu.cfs_quota_us")
          }
          if isV2 {
            try? Self.write("100000 100000", to: "\(dir)/cpu.max")
            try? Self.write("1", to: "\(dir)/memory.oom.group")
            slots[slot] = ["memory": dir, "pids": dir]
          } else {
            slots[slot][parent.kind] = dir
          }
        }
      }
    } catch {
      Self.remove(roots: roots, slotCount: slotCount)
      throw error
    }
    self.roots = roots
    self.slots = slots
  }

  /// Removes the groups; call after every launcher has exited.
  func remove() { Self.remove(roots: roots, slotCount: slots.count) }

  private static func remove(roots: [String], slotCount: Int) {
    for root in roots {
      for slot in 0..<slotCount { rmdir("\(root)/slot-\(slot)") }
      rmdir(root)
    }
  }

  private static func hasController(_ dir: String, _ name: String) -> Bool {
    let text = (try? String(contentsOfFile: "\(dir)/cgroup.subtree_control", encoding: .utf8)) ?? ""
    return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains { $0 == name }
  }

  /// Removes `crucible-<pid>-<n>` groups whose process no longer exists.
  private static func removeStale(in parent: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
    for name in names where name.hasPrefix("crucible-") {
      let pidText = name.dropFirst("crucible-".count).prefix { $0 != "-" }
      guard let pid = Int32(pidText), kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      let root = "\(parent)/\(name)"
      for slot in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] where slot.hasPrefix("slot-") {
        rmdir("\(root)/\(slot)")
      }
      rmdir(root)
    }
  }

  private static func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
      throw SandboxError(.cgroupFailed, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
  }

  private static func write(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw SandboxError(.cgroupFailed, "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let written = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    if written < 0 {
      throw SandboxError(.cgroupFailed, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }
}
