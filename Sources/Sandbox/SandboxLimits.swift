/// The limits of one sandboxed run (docs/sandbox.md, "Limits").
public struct SandboxLimits: Sendable, Equatable, Codable {
  /// Wall-clock deadline, enforced by the jail from outside the sandbox.
  public var wallMilliseconds: UInt64 = 10_000
  /// CPU time per process (RLIMIT_CPU; SIGXCPU, then SIGKILL one second later).
  public var cpuMilliseconds: UInt64 = 10_000
  /// Memory of the whole run: the cgroup limit, where a cgroup is writable.
  public var memoryBytes: UInt64 = 512 << 20
  /// Processes and threads of the whole run (cgroup `pids.max`).
  public var processes: UInt64 = 128
  /// Largest file a process may write (RLIMIT_FSIZE; Python sees EFBIG).
  public var fileSizeBytes: UInt64 = 64 << 20
  /// Open descriptors per process (RLIMIT_NOFILE).
  public var openFiles: UInt64 = 256
  /// Size of `/work`, of `/tmp` and of `/dev/shm`, each (tmpfs `size=`).
  public var scratchBytes: UInt64 = 64 << 20
  /// Inodes of each scratch tmpfs (`nr_inodes=`).
  public var scratchInodes: UInt64 = 4096
  /// Bytes of stdout plus stderr after which the run is killed.
  public var outputCapBytes: UInt64 = 16 << 20
  /// Bytes of head and of tail kept of each stream.
  public var keptOutputBytes: UInt64 = 1 << 20
  /// Bytes of the result channel kept.
  public var resultCapBytes: UInt64 = 16 << 20
  /// Address-space backstop per process (RLIMIT_AS); the cgroup is the real limit.
  public var addressSpaceBytes: UInt64 = 4 << 30
  /// RLIMIT_NPROC: processes of the slot's user.
  public var userProcesses: UInt64 = 128

  /// The defaults.
  public init() {}

  /// Problems with these limits, one sentence each; empty when valid.
  public func problems() -> [String] {
    var out: [String] = []
    func positive(_ value: UInt64, _ name: String) {
      if value == 0 { out.append("\(name) must be greater than 0") }
    }
    positive(wallMilliseconds, "wall time")
    positive(cpuMilliseconds, "CPU time")
    positive(memoryBytes, "memory")
    positive(processes, "processes")
    positive(openFiles, "open files")
    positive(scratchBytes, "scratch size")
    positive(scratchInodes, "scratch inodes")
    if memoryBytes < 16 << 20 { out.append("memory must be at least 16 MiB (got \(memoryBytes >> 20) MiB)") }
    if openFiles < 16 { out.append("open files must be at least 16 (got \(openFiles))") }
    if wallMilliseconds > 86_400_000 { out.append("wall time must be at most one day") }
    if processes < 4 { out.append("processes must be at least 4 (got \(processes))") }
    return out
  }
}
