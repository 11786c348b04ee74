/// How a sandboxed run ended.
public enum Termination: Sendable, Equatable {
  /// The program exited with this code.
  case exited(Int32)
  /// A signal killed it (not one of the limits below).
  case signaled(Int32)
  /// The wall deadline or the CPU limit was reached.
  case timeout
  /// The memory limit was reached (an out-of-memory kill in the run's cgroup).
  case memoryLimit
  /// Stdout plus stderr went over the cap.
  case outputLimit
  /// A process made a forbidden system call and was killed.
  case violation(Syscall)
  /// The sandbox could not be set up; the program never ran.
  case setupFailed(String)
  /// The caller cancelled the job.
  case cancelled

  /// The status word of `crucible sandbox run --json`.
  public var status: String {
    switch self {
    case .exited: "exited"
    case .signaled: "signaled"
    case .timeout: "timeout"
    case .memoryLimit: "memory-limit"
    case .outputLimit: "output-limit"
    case .violation: "violation"
    case .setupFailed: "setup-failed"
    case .cancelled: "cancelled"
    }
  }
}

/// A system call that the seccomp policy forbids.
public struct Syscall: Sendable, Equatable, CustomStringConvertible {
  /// The number on its architecture.
  public var number: Int
  /// The AUDIT_ARCH value of the calling convention used.
  public var arch: UInt32
  /// The name, where libseccomp knows it.
  public var name: String?

  /// Creates a syscall description.
  public init(number: Int, arch: UInt32, name: String?) {
    self.number = number
    self.arch = arch
    self.name = name
  }

  /// The name, or `#number`, with the architecture when it is not native.
  public var description: String {
    let base = name ?? "#\(number)"
    return arch == SeccompPolicy.nativeArch ? base : "\(base) (\(SeccompPolicy.archName(arch)))"
  }
}

/// The bounded head and tail of one output stream.
public struct CapturedOutput: Sendable, Equatable {
  /// The first bytes written.
  public var head: [UInt8]
  /// The last bytes written after the head (empty when everything fit).
  public var tail: [UInt8]
  /// Bytes written in all.
  public var totalBytes: UInt64

  /// Whether bytes between head and tail were dropped.
  public var truncated: Bool { UInt64(head.count + tail.count) < totalBytes }

  /// Head and tail as text (invalid UTF-8 repaired), with a marker where bytes were dropped.
  public var text: String {
    let dropped = totalBytes - UInt64(head.count + tail.count)
    let middle = dropped > 0 ? "\n[... \(dropped) bytes omitted ...]\n" : ""
    return String(decoding: head, as: UTF8.self) + middle + String(decoding: tail, as: UTF8.self)
  }
}

/// Everything known about one sandboxed run.
public struct SandboxResult: Sendable {
  /// How it ended.
  public var termination: Termination
  /// Wall-clock time from the jail's clone to the last byte of output.
  public var wallMicroseconds: UInt64
  /// CPU time of the run's processes that were waited for.
  public var cpuMicroseconds: UInt64
  /// Largest resident set of any one process, in KiB.
  public var peakMemoryKB: UInt64
  /// Standard output.
  public var stdout: CapturedOutput
  /// Standard error.
  public var stderr: CapturedOutput
  /// What the program wrote to descriptor 3, the result channel.
  public var resultChannel: [UInt8]
  /// Bytes written to the result channel in all (more than kept means truncated).
  public var resultChannelTotal: UInt64
  /// The isolation layers this run had.
  public var layers: Layers
  /// The Landlock ABI enforced (0: none).
  public var landlockABI: Int
  /// Out-of-memory kills in the run.
  public var oomKills: UInt64
  /// The warm interpreter was restarted after this job.
  public var recycled: Bool
  /// The pids, as the job saw them, of its processes killed for violations.
  public var violationPIDs: [Int32] = []
}
