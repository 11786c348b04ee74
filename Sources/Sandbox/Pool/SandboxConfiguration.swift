import Foundation
import Glibc

/// How a pool runs its jobs.
public struct SandboxConfiguration: Sendable {
  /// Cold: a fresh interpreter per job. Warm: a pre-started, pre-imported
  /// interpreter per slot forks one child per job.
  public enum Mode: String, Sendable, CaseIterable {
    case cold, warm
  }

  /// Cold or warm.
  public var mode: Mode
  /// Jobs that run at once; default: the number of cores.
  public var workers: Int
  /// The interpreter run inside the jail.
  public var python: PythonInterpreter
  /// The jail binary and the harness directory.
  public var components: Components
  /// What the host allows.
  public var probe: HostProbe
  /// Whether to create per-slot cgroups where a hierarchy is writable.
  public var useCgroups: Bool = true
  /// Installed Python packages (import names) jobs see, read-only, under
  /// `/packages`; nothing else of the interpreter's site-packages is in the
  /// jail. On the path of test jobs' candidates and of warm jobs.
  public var packages: [String] = []

  /// Resolves the interpreter, finds the components and probes the host.
  public static func detect(
    mode: Mode = .warm, workers: Int? = nil, python: String? = nil, packages: [String] = []
  ) throws -> SandboxConfiguration {
    let components = try Components.locate()
    var configuration = SandboxConfiguration(
      mode: mode, workers: max(1, workers ?? ProcessInfo.processInfo.activeProcessorCount),
      python: try PythonInterpreter.resolve(python), components: components,
      probe: try HostProbe.run(jail: components.jail))
    configuration.packages = packages
    return configuration
  }

  /// The clone flags, Landlock ABI and layers the pool will use, or why it
  /// cannot run (fail closed: docs/sandbox.md, "Degrading").
  public func plan() throws -> (cloneFlags: UInt64, landlockABI: Int, layers: Layers) {
    typealias J = JailConfiguration
    guard probe.seccomp else {
      throw SandboxError(
        .minimumNotMet, "seccomp is not available in this kernel (CONFIG_SECCOMP_FILTER); Crucible needs it")
    }
    guard probe.has("userns") else {
      throw SandboxError(
        .minimumNotMet,
        "user namespaces are not available (\(probe.namespaces["userns"] ?? "?")); enable them with `sysctl -w user.max_user_namespaces=10000` (and kernel.unprivileged_userns_clone=1 on Debian kernels), or run where they are allowed"
      )
    }
    guard probe.has("mntns") else {
      throw SandboxError(
        .minimumNotMet,
        "mount namespaces are not available (\(probe.namespaces["mntns"] ?? "?")); the jail builds its root in one")
    }
    var flags = J.cloneNewUser | J.cloneNewNS
    var layers: Layers = [
      .seccomp, .rlimits, .noNewPrivileges, .capabilitiesDropped, .userNamespace, .mountNamespace, .initProcess,
    ]
    let optional: [(String, UInt64, Layers)] = [
      ("pidns", J.cloneNewPID, .pidNamespace), ("netns", J.cloneNewNet, .netNamespace),
      ("ipcns", J.cloneNewIPC, .ipcNamespace), ("utsns", J.cloneNewUTS, .utsNamespace),
      ("cgroupns", J.cloneNewCgroup, .cgroupNamespace),
    ]
    for (name, flag, layer) in optional where probe.has(name) {
      flags |= flag
      layers.insert(layer)
    }
    let abi = probe.landlockABI
    if abi >= 1 { layers.insert(.landlockFilesystem) }
    if abi >= 4 && !layers.contains(.netNamespace) { layers.insert(.landlockNetwork) }
    if abi >= 6 { layers.insert(.landlockScope) }
    if probe.seccompNotify { layers.insert(.seccompNotify) }
    if probe.euid == 0 { layers.formUnion([.slotUser, .trustedUser]) }
    if useCgroups && probe.cgroups.limitsAvailable {
      layers.formUnion([.cgroupMemory, .cgroupPids])
      if probe.cgroups.v1["cpu"] != nil || probe.cgroups.v2 != nil { layers.insert(.cgroupCPU) }
    }
    if mode == .warm { layers.insert(.warm) }
    let missing = layers.missingForMinimum
    guard missing.isEmpty else {
      throw SandboxError(.minimumNotMet, "the sandbox minimum is not met; missing: \(missing.joined(separator: "; "))")
    }
    return (flags, abi, layers)
  }
}
