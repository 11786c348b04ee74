import CJailWire
import CSeccomp
import Glibc

extension SeccompPolicy {
  /// The AUDIT_ARCH of the machine: the only one the filter lets through.
  public static let nativeArch: UInt32 = seccomp_arch_native()

  /// A readable name for an AUDIT_ARCH value.
  public static func archName(_ arch: UInt32) -> String {
    switch arch {
    case 0xC000_003E: "x86_64"
    case 0x4000_0003: "i386"
    case 0xC000_00B7: "aarch64"
    case 0x4000_0028: "arm"
    case 0xC000_00F3: "riscv64"
    default: "arch 0x" + String(arch, radix: 16)
    }
  }

  /// The name of a syscall number on an architecture, where libseccomp knows it.
  public static func syscallName(_ number: Int, arch: UInt32) -> String? {
    guard let name = seccomp_syscall_resolve_num_arch(arch, Int32(truncatingIfNeeded: number)) else {
      return nil
    }
    defer { free(name) }
    return String(cString: name)
  }

  /// Syscall names that exist on this architecture, with their numbers.
  public static var syscallNumbers: [String: Int32] {
    var out: [String: Int32] = [:]
    for name in allowed + refused + forbidden + [
      "clone", "clone3", "socket", "socketpair", "ioctl", "prctl", "personality", "prlimit64",
    ] {
      let number = seccomp_syscall_resolve_name(name)
      if number >= 0 { out[name] = number }
    }
    return out
  }

  /// libseccomp's encoding of an action; `violationAction` is USER_NOTIF
  /// where the kernel has it (the jail then learns which call it was and
  /// kills the caller) and KILL_PROCESS otherwise.
  static func encode(_ action: Action, notify: Bool) -> UInt32 {
    switch action {
    case .allow: return 0x7fff_0000  // SCMP_ACT_ALLOW
    case .errno(let code): return 0x0005_0000 | (UInt32(code) & 0xffff)  // SCMP_ACT_ERRNO
    case .violation: return notify ? 0x7fc0_0000 : 0x8000_0000  // SCMP_ACT_NOTIFY, KILL_PROCESS
    }
  }

  /// Compiles the rules to a BPF program (an array of `struct sock_filter`).
  public func compile(notify: Bool) throws -> [UInt8] {
    let fallback = Self.encode(.errno(ENOSYS), notify: notify)
    guard let ctx = seccomp_init(fallback) else {
      throw SandboxError(.policyFailed, "seccomp_init failed")
    }
    defer { seccomp_release(ctx) }
    func check(_ rc: Int32, _ what: String) throws {
      if rc != 0 {
        throw SandboxError(.policyFailed, "\(what): \(String(cString: strerror(-rc)))")
      }
    }
    try check(
      seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, Self.encode(.violation, notify: notify)),
      "set the foreign-architecture action")
    try check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), "leave no_new_privs to the jail")
    try check(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), "ask for a binary tree")
    for rule in rules {
      let action = Self.encode(rule.action, notify: notify)
      if action == fallback { continue }  // libseccomp refuses rules that repeat the default
      for name in rule.names {
        let number = seccomp_syscall_resolve_name(name)
        if number < 0 { continue }  // not a call on this architecture
        if let argument = rule.argument {
          var compare = scmp_arg_cmp(
            arg: argument.index, op: SCMP_CMP_MASKED_EQ, datum_a: argument.mask,
            datum_b: argument.value)
          try check(
            seccomp_rule_add_array(ctx, action, number, 1, &compare), "rule for \(name)")
        } else {
          try check(seccomp_rule_add_array(ctx, action, number, 0, nil), "rule for \(name)")
        }
      }
    }
    let fd = jw_memfd("crucible-bpf")
    guard fd >= 0 else { throw SandboxError(.policyFailed, "memfd_create: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    try check(seccomp_export_bpf(ctx, fd), "export the filter")
    let size = lseek(fd, 0, SEEK_END)
    guard size > 0, lseek(fd, 0, SEEK_SET) == 0 else {
      throw SandboxError(.policyFailed, "the exported filter is empty")
    }
    var program = [UInt8](repeating: 0, count: Int(size))
    let got = program.withUnsafeMutableBytes { read(fd, $0.baseAddress, Int(size)) }
    guard got == size else { throw SandboxError(.policyFailed, "could not read the exported filter") }
    return program
  }
}
