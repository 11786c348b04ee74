import CJailWire
import Foundation
import Glibc
import Synchronization

/// The entry point of the sandbox: a pool of jails that runs Python jobs.
///
/// ```swift
/// let pool = try await SandboxPool.start(try .detect())
/// let result = try await pool.run(.python("print(6 * 7)"))
/// pool.shutdown()
/// ```
///
/// At most ``SandboxConfiguration/workers`` jobs run at once; further calls
/// wait for a free slot. Cancelling the calling task kills the job's whole
/// process tree. ``shutdown()`` ends every jail and removes the pool's
/// cgroups.
public final class SandboxPool: Sendable {
  /// The configuration the pool was started with.
  public let configuration: SandboxConfiguration
  /// The isolation layers every job gets.
  public let layers: Layers
  /// The host user of each slot's candidates (a per-slot unprivileged uid
  /// when running as root, else the caller's own uid): every process a job's
  /// program starts runs as it.
  public let slotUserIDs: [UInt32]
  /// The host user of each slot's trusted side (the test runner, the warm
  /// zygote) when the ids are split (as root); empty otherwise.
  public let trustedUserIDs: [UInt32]
  private let launchers: [Launcher]
  private let slots: SlotQueue
  private let cgroups: PoolCgroups?
  private let nextJob = Atomic<UInt64>(1)
  private let stopped = Atomic<Bool>(false)

  private init(
    configuration: SandboxConfiguration, layers: Layers, slotUserIDs: [UInt32], trustedUserIDs: [UInt32],
    launchers: [Launcher], cgroups: PoolCgroups?
  ) {
    self.configuration = configuration
    self.layers = layers
    self.slotUserIDs = slotUserIDs
    self.trustedUserIDs = trustedUserIDs
    self.launchers = launchers
    self.slots = SlotQueue(count: launchers.count)
    self.cgroups = cgroups
  }

  /// Starts one jail per worker; throws when the host cannot meet the
  /// sandbox minimum, with the missing layer and how to get it.
  public static func start(_ configuration: SandboxConfiguration) async throws -> SandboxPool {
    // A jail that exits while a job is written to it must be an error the
    // supervisor reports (EPIPE), never a signal that kills this process.
    signal(SIGPIPE, SIG_IGN)
    let plan = try configuration.plan()
    let notify = configuration.probe.seccompNotify
    let bpf = try SeccompPolicy.standard().compile(notify: notify)
    let loopbackBPF =
      plan.layers.contains(.netNamespace) ? try SeccompPolicy.standard(internet: true).compile(notify: notify) : nil
    let cgroups =
      plan.layers.contains(.cgroupMemory)
      ? try PoolCgroups(host: configuration.probe.cgroups, slotCount: configuration.workers) : nil
    let system = JailConfiguration.systemLayout()
    var mounts = system.mounts
    for path in configuration.python.mounts { mounts.append((path, path)) }
    var files = try system.files + configuration.components.harnessFiles()
    let masks = configuration.python.masks(within: mounts.map(\.1))
    for (name, path) in try configuration.python.packageLocations(configuration.packages) {
      let target = "/packages/" + (path as NSString).lastPathComponent
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        mounts.append((path, target))
      } else if let data = FileManager.default.contents(atPath: path) {
        files.append(JailConfiguration.RootFile(path: target, mode: 0o644, contents: Array(data)))
      } else {
        throw SandboxError(.packageNotFound, "cannot read \(path) of the Python package '\(name)'")
      }
    }
    let python = configuration.python.executable
    let users = SlotUsers.allocate(count: configuration.workers)
    let slotUserIDs = users.map(\.candidate)
    var launchers: [Launcher] = []
    for slot in 0..<configuration.workers {
      let user = users[slot]
      let jail = JailConfiguration(
        bpf: bpf, loopbackBPF: loopbackBPF, notify: notify,
        outsideUID: user.candidate, outsideGID: user.trusted != nil ? user.candidate : getegid(),
        trusted: user.trusted.map { ($0, $0) },
        mounts: mounts, symlinks: system.symlinks, masks: masks, files: files, cloneFlags: plan.cloneFlags,
        landlockABI: plan.landlockABI, cgroups: cgroups?.slots[slot] ?? [:],
        cgroupV2: cgroups?.isV2 ?? false,
        warmArgv: configuration.mode == .warm ? [python, "-I", "-S", "/harness/judge_server.py"] : nil,
        warmEnvironment: JobFrames.baseEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
        slot: slot)
      launchers.append(Launcher(slot: slot, jailPath: configuration.components.jail, configuration: jail.frame))
    }
    do {
      for launcher in launchers { try await launcher.start() }
    } catch {
      for launcher in launchers { launcher.stop() }
      cgroups?.remove()
      throw error
    }
    let pool = SandboxPool(
      configuration: configuration, layers: plan.layers, slotUserIDs: slotUserIDs,
      trustedUserIDs: users.compactMap(\.trusted), launchers: launchers, cgroups: cgroups)
    LivePools.register(pool)
    if configuration.mode == .warm {
      // Bring every warm interpreter up now: the first job is then as fast
      // as any other, and an interpreter that cannot start fails here.
      try await withThrowingTaskGroup(of: SandboxResult.self) { group in
        for _ in launchers { group.addTask { try await pool.run(.python("pass")) } }
        for try await result in group where result.termination != .exited(0) {
          pool.shutdown()
          throw SandboxError(
            .jailFailed, "the warm interpreter did not start: \(result.termination) \(result.stderr.text.prefix(500))")
        }
      }
    }
    return pool
  }

  /// Host process ids of the slots' jail processes (for leak checks).
  func jailProcessIDs() -> [pid_t] { launchers.compactMap { $0.processID } }

  /// The pool's cgroup directories (for leak checks).
  var cgroupDirectories: [String] {
    guard let cgroups else { return [] }
    return cgroups.roots + cgroups.slots.flatMap { $0.values }
  }

  /// Inodes of the pipes between this process and the jails (for leak checks).
  func pipeInodes() -> [UInt64] { launchers.flatMap { $0.pipeInodes() } }

  /// Runs a job. A program that fails is a result, not an error: this throws
  /// only for invalid jobs, a shut-down pool, cancellation while waiting for
  /// a slot, or a jail that died.
  public func run(_ job: SandboxJob) async throws -> SandboxResult {
    let problems = job.problems()
    guard problems.isEmpty else {
      throw SandboxError(.invalidJob, problems.joined(separator: "; "))
    }
    guard !stopped.load(ordering: .acquiring) else {
      throw SandboxError(.shutDown, "the sandbox pool is shut down")
    }
    let script = job.script.hasPrefix("/") ? job.script : "/work/\(job.script)"
    guard job.network == .none || layers.contains(.netNamespace) else {
      throw SandboxError(.invalidJob, "loopback jobs need network namespaces, which this host does not allow")
    }
    let argv: [String]
    switch (configuration.mode, job.network) {
    case (.cold, _), (_, .loopback):
      // Packages need a path entry a plain `python -I -S script` cannot have.
      let bootstrap = configuration.packages.isEmpty || job.isTestRunner ? [] : ["/harness/run_script.py"]
      argv = [configuration.python.executable, "-I", "-S"] + bootstrap + [script] + job.arguments
    case (.warm, .none): argv = [script] + job.arguments
    }
    let frame = JobFrames.request(job, argv: argv)
    guard frame.count < Int(JW_MAX_FRAME) else {
      throw SandboxError(
        .invalidJob, "the job is \(frame.count >> 20) MiB; the jail takes at most \(Int(JW_MAX_FRAME) >> 20) MiB")
    }
    let id = nextJob.wrappingAdd(1, ordering: .relaxed).oldValue
    let slot = try await slots.acquire()
    defer { slots.release(slot) }
    let reply = try await launchers[slot].submit(id: id, frame: frame)
    return try JobFrames.result(reply)
  }

  /// Ends every jail (killing running jobs), waits for them, and removes the
  /// pool's cgroups. Safe to call more than once.
  public func shutdown() {
    guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
    for launcher in launchers { launcher.stop() }
    cgroups?.remove()
    LivePools.unregister(self)
  }

  deinit { shutdown() }
}
