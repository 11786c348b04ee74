import CJailWire
import Foundation
import Glibc

/// Everything a launcher needs to build jails: the frame sent to
/// `crucible-jail serve` when it starts.
struct JailConfiguration: Sendable {
  /// A file written into the jail's root.
  struct RootFile: Sendable {
    var path: String
    var mode: UInt32
    var contents: [UInt8]
  }

  var bpf: [UInt8]
  /// The policy of loopback jobs (INET allowed); nil: no loopback jobs.
  var loopbackBPF: [UInt8]?
  var notify: Bool
  /// The candidates' host ids (uid and gid `insideID` inside).
  var outsideUID: UInt32
  var outsideGID: UInt32
  var insideID: UInt32 = 1000
  /// The trusted side's host ids (0 inside); nil: one user for everything.
  var trusted: (uid: UInt32, gid: UInt32)?
  /// (host directory, path inside) pairs, shown read-only (overlays).
  var mounts: [(source: String, target: String)]
  /// (target, link path) pairs created in the jail's root.
  var symlinks: [(target: String, path: String)]
  /// Directories inside hidden under an empty read-only tmpfs.
  var masks: [String] = []
  /// Files of the root: the harness, `/etc` files.
  var files: [RootFile] = []
  var cloneFlags: UInt64
  var landlockABI: Int
  /// Controller kind (`memory`, `pids`, `cpu`, `unified`) to directory.
  var cgroups: [String: String]
  var cgroupV2: Bool
  /// The zygote's argv and environment; nil for the cold path.
  var warmArgv: [String]?
  var warmEnvironment: [String]
  var slot: Int

  static let cloneNewNS: UInt64 = 0x0002_0000
  static let cloneNewCgroup: UInt64 = 0x0200_0000
  static let cloneNewUTS: UInt64 = 0x0400_0000
  static let cloneNewIPC: UInt64 = 0x0800_0000
  static let cloneNewUser: UInt64 = 0x1000_0000
  static let cloneNewPID: UInt64 = 0x2000_0000
  static let cloneNewNet: UInt64 = 0x4000_0000

  /// The host's system directories: /usr, and /bin, /lib... as the host has
  /// them (merged-/usr symlinks are recreated, real directories shown), and
  /// the few `/etc` files the interpreter reads, copied.
  static func systemLayout() -> (mounts: [(String, String)], symlinks: [(String, String)], files: [RootFile]) {
    var mounts: [(String, String)] = [("/usr", "/usr")]
    var links: [(String, String)] = []
    for path in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFLNK {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
          links.append((target, path))
        }
      } else if info.st_mode & S_IFMT == S_IFDIR {
        mounts.append((path, path))
      }
    }
    var files: [RootFile] = []
    for file in ["/etc/ld.so.cache", "/etc/localtime"] {
      guard let data = FileManager.default.contents(atPath: (file as NSString).resolvingSymlinksInPath) else {
        continue
      }
      files.append(RootFile(path: file, mode: 0o644, contents: Array(data)))
    }
    return (mounts, links, files)
  }

  var frame: WireFrame {
    var f = WireFrame()
    f.append(JW_CFG_BPF.rawValue, bpf)
    if let loopbackBPF { f.append(JW_CFG_BPF_LOOPBACK.rawValue, loopbackBPF) }
    f.append(JW_CFG_NOTIFY.rawValue, UInt64(notify ? 1 : 0))
    f.append(JW_CFG_OUTSIDE_UID.rawValue, UInt64(outsideUID))
    f.append(JW_CFG_OUTSIDE_GID.rawValue, UInt64(outsideGID))
    f.append(JW_CFG_INSIDE_ID.rawValue, UInt64(insideID))
    if let trusted {
      f.append(JW_CFG_TRUSTED_UID.rawValue, UInt64(trusted.uid))
      f.append(JW_CFG_TRUSTED_GID.rawValue, UInt64(trusted.gid))
    }
    for mount in mounts { f.append(JW_CFG_MOUNT_RO.rawValue, mount.source, mount.target) }
    for link in symlinks { f.append(JW_CFG_SYMLINK.rawValue, link.target, link.path) }
    for mask in masks { f.append(JW_CFG_MASK.rawValue, mask) }
    for file in files {
      f.appendFile(JW_CFG_FILE.rawValue, mode: file.mode, path: file.path, contents: file.contents)
    }
    f.append(JW_CFG_CLONE_FLAGS.rawValue, cloneFlags)
    f.append(JW_CFG_LANDLOCK_ABI.rawValue, UInt64(landlockABI))
    for (kind, dir) in cgroups.sorted(by: { $0.key < $1.key }) {
      f.append(JW_CFG_CGROUP_DIR.rawValue, kind, dir)
    }
    f.append(JW_CFG_CGROUP_V2.rawValue, UInt64(cgroupV2 ? 1 : 0))
    for arg in warmArgv ?? [] { f.append(JW_CFG_WARM_ARGV.rawValue, arg) }
    for variable in warmEnvironment where warmArgv != nil {
      f.append(JW_CFG_WARM_ENV.rawValue, variable)
    }
    f.append(JW_CFG_HOSTNAME.rawValue, "crucible")
    f.append(JW_CFG_SLOT.rawValue, UInt64(slot))
    return f
  }
}
