import CJailWire

/// The isolation layers of a run, as the jail reports them.
public struct Layers: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let seccomp = Layers(rawValue: JW_L_SECCOMP.rawValue)
  public static let landlockFilesystem = Layers(rawValue: JW_L_LANDLOCK_FS.rawValue)
  public static let landlockNetwork = Layers(rawValue: JW_L_LANDLOCK_NET.rawValue)
  public static let landlockScope = Layers(rawValue: JW_L_LANDLOCK_SCOPE.rawValue)
  public static let userNamespace = Layers(rawValue: JW_L_USERNS.rawValue)
  public static let pidNamespace = Layers(rawValue: JW_L_PIDNS.rawValue)
  public static let netNamespace = Layers(rawValue: JW_L_NETNS.rawValue)
  public static let mountNamespace = Layers(rawValue: JW_L_MNTNS.rawValue)
  public static let ipcNamespace = Layers(rawValue: JW_L_IPCNS.rawValue)
  public static let utsNamespace = Layers(rawValue: JW_L_UTSNS.rawValue)
  public static let cgroupNamespace = Layers(rawValue: JW_L_CGROUPNS.rawValue)
  public static let rlimits = Layers(rawValue: JW_L_RLIMITS.rawValue)
  public static let slotUser = Layers(rawValue: JW_L_SLOT_UID.rawValue)
  public static let cgroupMemory = Layers(rawValue: JW_L_CG_MEMORY.rawValue)
  public static let cgroupPids = Layers(rawValue: JW_L_CG_PIDS.rawValue)
  public static let cgroupCPU = Layers(rawValue: JW_L_CG_CPU.rawValue)
  public static let noNewPrivileges = Layers(rawValue: JW_L_NO_NEW_PRIVS.rawValue)
  public static let capabilitiesDropped = Layers(rawValue: JW_L_CAPS_DROPPED.rawValue)
  public static let seccompNotify = Layers(rawValue: JW_L_SECCOMP_NOTIFY.rawValue)
  public static let warm = Layers(rawValue: JW_L_WARM.rawValue)
  /// The trusted side (the test runner, the warm zygote) and candidates run
  /// as two users: no candidate can signal, re-limit or read it.
  public static let trustedUser = Layers(rawValue: JW_L_TRUSTED_UID.rawValue)
  /// A cold job runs under the jail's own init, not as pid 1.
  public static let initProcess = Layers(rawValue: JW_L_INIT.rawValue)

  /// Every layer with its stable name, in report order.
  public static let named: [(Layers, String)] = [
    (.seccomp, "seccomp"), (.seccompNotify, "seccomp-notify"),
    (.landlockFilesystem, "landlock-fs"), (.landlockNetwork, "landlock-net"),
    (.landlockScope, "landlock-scope"), (.userNamespace, "user-ns"), (.pidNamespace, "pid-ns"),
    (.netNamespace, "net-ns"), (.mountNamespace, "mount-ns"), (.ipcNamespace, "ipc-ns"),
    (.utsNamespace, "uts-ns"), (.cgroupNamespace, "cgroup-ns"), (.rlimits, "rlimits"),
    (.slotUser, "slot-uid"), (.cgroupMemory, "cgroup-memory"), (.cgroupPids, "cgroup-pids"),
    (.cgroupCPU, "cgroup-cpu"), (.noNewPrivileges, "no-new-privs"),
    (.capabilitiesDropped, "caps-dropped"), (.trustedUser, "trusted-uid"), (.initProcess, "init"),
    (.warm, "warm"),
  ]

  /// The names of the layers present.
  public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }

  /// What the minimum of docs/sandbox.md ("Degrading") still lacks; empty when met.
  ///
  /// All must hold: seccomp; a mount namespace or Landlock filesystem rules;
  /// a network namespace or Landlock TCP rules (seccomp refuses INET sockets
  /// without a network namespace); and a pid namespace, Landlock signal
  /// scoping or a per-slot user, so that no host process can be signalled.
  public var missingForMinimum: [String] {
    var out: [String] = []
    if !contains(.seccomp) { out.append("seccomp") }
    if !contains(.mountNamespace) && !contains(.landlockFilesystem) {
      out.append("filesystem confinement (a mount namespace or Landlock)")
    }
    if !contains(.netNamespace) && !contains(.landlockNetwork) {
      out.append("network isolation (a network namespace or Landlock TCP rules)")
    }
    if !contains(.pidNamespace) && !contains(.landlockScope) && !contains(.slotUser) {
      out.append("signal isolation (a pid namespace, Landlock scoping or a per-slot user)")
    }
    return out
  }
}
