import CJailWire

/// Encoding of jobs and decoding of the jail's replies.
enum JobFrames {
  /// The fixed environment of every run; a job may add to it.
  static let baseEnvironment: [String: String] = [
    "PATH": "/usr/bin:/bin", "HOME": "/work", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
  ]

  /// The request frame. `argv` is the full command for the cold path, or the
  /// script and its arguments for the warm interpreter.
  static func request(_ job: SandboxJob, argv: [String]) -> [UInt8] {
    var f = WireFrame()
    for arg in argv { f.append(JW_JOB_ARGV.rawValue, arg) }
    let environment = baseEnvironment.merging(job.environment) { $1 }
    for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
      f.append(JW_JOB_ENV.rawValue, "\(key)=\(value)")
    }
    for file in job.files {
      f.appendFile(JW_JOB_FILE.rawValue, mode: file.mode, path: file.path, contents: file.contents)
    }
    if let stdin = job.stdin { f.append(JW_JOB_STDIN.rawValue, stdin) }
    let l = job.limits
    f.append(JW_JOB_WALL_MS.rawValue, l.wallMilliseconds)
    f.append(JW_JOB_CPU_MS.rawValue, l.cpuMilliseconds)
    f.append(JW_JOB_MEMORY.rawValue, l.memoryBytes)
    f.append(JW_JOB_PIDS.rawValue, l.processes)
    f.append(JW_JOB_FSIZE.rawValue, l.fileSizeBytes)
    f.append(JW_JOB_NOFILE.rawValue, l.openFiles)
    f.append(JW_JOB_TMPFS.rawValue, l.scratchBytes)
    f.append(JW_JOB_INODES.rawValue, l.scratchInodes)
    f.append(JW_JOB_OUTPUT_CAP.rawValue, l.outputCapBytes)
    f.append(JW_JOB_KEEP.rawValue, l.keptOutputBytes)
    f.append(JW_JOB_RESULT_CAP.rawValue, l.resultCapBytes)
    f.append(JW_JOB_ADDRESS_SPACE.rawValue, l.addressSpaceBytes)
    f.append(JW_JOB_NPROC.rawValue, l.userProcesses)
    var flags: UInt32 = 0
    if job.isTestRunner { flags |= JW_JOB_F_TRUSTED.rawValue }
    if job.network == .loopback { flags |= JW_JOB_F_LOOPBACK.rawValue | JW_JOB_F_COLD.rawValue }
    f.append(JW_JOB_FLAGS.rawValue, UInt64(flags))
    return f.encoded
  }

  /// The typed result of a reply frame.
  static func result(_ reply: WireFrame) throws -> SandboxResult {
    guard let records = reply.records() else {
      throw SandboxError(.jailFailed, "the jail sent a malformed reply")
    }
    var numbers: [UInt32: UInt64] = [:]
    var blobs: [UInt32: [UInt8]] = [:]
    var violationPIDs: [Int32] = []
    for (tag, value) in records {
      numbers[tag] = value.count == 8 ? value.wireUInt64 : numbers[tag]
      blobs[tag] = Array(value)
      if tag == JW_R_VIOLATION_PID.rawValue { violationPIDs.append(Int32(truncatingIfNeeded: value.wireUInt64)) }
    }
    func number(_ tag: jw_reply_tag) -> UInt64 { numbers[tag.rawValue] ?? 0 }
    func bytes(_ tag: jw_reply_tag) -> [UInt8] { blobs[tag.rawValue] ?? [] }
    let termination: Termination
    switch UInt32(number(JW_R_STATUS)) {
    case JW_ST_EXITED.rawValue: termination = .exited(Int32(number(JW_R_EXIT_CODE)))
    case JW_ST_SIGNALED.rawValue: termination = .signaled(Int32(number(JW_R_SIGNAL)))
    case JW_ST_TIMEOUT.rawValue: termination = .timeout
    case JW_ST_MEMORY.rawValue: termination = .memoryLimit
    case JW_ST_OUTPUT.rawValue: termination = .outputLimit
    case JW_ST_VIOLATION.rawValue:
      let arch = UInt32(truncatingIfNeeded: numbers[JW_R_ARCH.rawValue] ?? UInt64(SeccompPolicy.nativeArch))
      let nr = Int(Int32(truncatingIfNeeded: number(JW_R_SYSCALL)))
      let known = numbers[JW_R_SYSCALL.rawValue] != nil
      termination = .violation(
        Syscall(
          number: known ? nr : -1, arch: arch,
          name: known ? SeccompPolicy.syscallName(nr, arch: arch) : "unknown (killed by SIGSYS)"))
    case JW_ST_SETUP_FAILED.rawValue:
      termination = .setupFailed(String(decoding: bytes(JW_R_SETUP_ERROR), as: UTF8.self))
    case JW_ST_CANCELLED.rawValue: termination = .cancelled
    default: throw SandboxError(.jailFailed, "the jail sent an unknown status \(number(JW_R_STATUS))")
    }
    return SandboxResult(
      termination: termination, wallMicroseconds: number(JW_R_WALL_US),
      cpuMicroseconds: number(JW_R_CPU_US), peakMemoryKB: number(JW_R_MAXRSS_KB),
      stdout: CapturedOutput(
        head: bytes(JW_R_OUT_HEAD), tail: bytes(JW_R_OUT_TAIL), totalBytes: number(JW_R_OUT_TOTAL)),
      stderr: CapturedOutput(
        head: bytes(JW_R_ERR_HEAD), tail: bytes(JW_R_ERR_TAIL), totalBytes: number(JW_R_ERR_TOTAL)),
      resultChannel: bytes(JW_R_RESULT), resultChannelTotal: number(JW_R_RESULT_TOTAL),
      layers: Layers(rawValue: UInt32(truncatingIfNeeded: number(JW_R_LAYERS))),
      landlockABI: Int(number(JW_R_LANDLOCK_ABI)), oomKills: number(JW_R_OOM_KILLS),
      recycled: number(JW_R_RECYCLED) != 0, violationPIDs: violationPIDs)
  }
}
