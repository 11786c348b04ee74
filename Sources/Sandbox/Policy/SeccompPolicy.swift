import Glibc

/// The seccomp policy of the jail, as data. `SeccompPolicy+Compile.swift`
/// turns it into BPF with libseccomp; the jail installs the BPF as its last
/// step before `execve`.
///
/// Native architecture only: a call through another ABI (`int 0x80`) is a
/// violation. Integer arguments are compared on their low 32 bits
/// (`MASKED_EQ 0xffffffff`), because the kernel reads `int` arguments that
/// way: an unmasked compare was bypassed with `socket(0x100000002, ...)`.
/// Anything not named here fails with ENOSYS, which is forward-compatible.
/// libseccomp lets an unconditional rule override the argument rules of the
/// same call, so the catch-alls of argument rules are the ENOSYS default
/// too (ioctl, prctl, personality), except for socket families, which are
/// enumerated so that every other family gets EAFNOSUPPORT.
public struct SeccompPolicy: Sendable {
  /// What a rule does.
  public enum Action: Sendable, Equatable {
    /// The call proceeds.
    case allow
    /// The call fails with this errno.
    case errno(Int32)
    /// The process is killed and the run reported as a violation.
    case violation
  }

  /// One rule: the named calls, optionally only when an argument matches.
  public struct Rule: Sendable {
    /// Syscall names (libseccomp spelling); names unknown on this
    /// architecture are skipped.
    public var names: [String]
    /// The action.
    public var action: Action
    /// When set, the rule applies only when `argument & mask == value`.
    public var argument: (index: UInt32, mask: UInt64, value: UInt64)?
  }

  /// The rules, in the order they are added.
  public var rules: [Rule]
  /// Whether INET sockets are allowed (loopback jobs, each in a network
  /// namespace of its own).
  public var allowsInternet: Bool

  /// Calls a Python 3 interpreter needs: start-up, unittest, threads,
  /// subprocess, multiprocessing and asyncio (measured with strace on 3.11),
  /// and their siblings.
  public static let allowed: [String] = [
    // files and descriptors
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2",
    "pwritev2", "open", "openat", "openat2", "close", "close_range", "lseek", "stat", "fstat",
    "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
    "getdents", "getdents64", "getcwd", "chdir", "fchdir", "mkdir", "mkdirat", "rmdir", "unlink",
    "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
    "mknod", "mknodat", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat",
    "truncate", "ftruncate", "fallocate", "fsync", "fdatasync", "flock", "fcntl", "dup", "dup2",
    "dup3", "pipe", "pipe2", "umask", "statfs", "fstatfs", "getxattr", "lgetxattr", "fgetxattr",
    "listxattr", "llistxattr", "flistxattr", "sendfile", "copy_file_range", "splice", "tee",
    "utime", "utimes", "utimensat", "futimesat", "readahead", "fadvise64",
    // memory
    "mmap", "munmap", "mprotect", "mremap", "madvise", "brk", "msync", "mincore", "membarrier",
    "get_mempolicy",
    // signals and processes
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigtimedwait",
    "rt_sigsuspend", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "kill", "tgkill",
    "tkill", "pause", "alarm", "setitimer", "getitimer", "fork", "vfork", "execve", "exit",
    "exit_group", "wait4", "waitid", "pidfd_open", "pidfd_send_signal", "getpid", "getppid",
    "gettid", "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid",
    "getpgid", "getpgrp", "getsid", "setpgid", "setsid", "capget", "capset",
    // identity: the trusted side starts candidates as another user; the
    // kernel refuses every change to anyone without the capability
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid",
    "setgroups",
    // limits, time, scheduling, identity of the machine
    "getrlimit", "setrlimit", "getrusage", "times", "sysinfo", "uname",
    "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
    "sched_yield", "sched_getaffinity", "sched_getparam", "sched_getscheduler",
    "sched_get_priority_max", "sched_get_priority_min", "getpriority", "getcpu", "getrandom",
    // threads
    "futex", "futex_waitv", "set_robust_list", "get_robust_list", "set_tid_address", "rseq",
    "arch_prctl",
    // waiting and events
    "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl",
    "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "timerfd_create",
    "timerfd_settime", "timerfd_gettime", "signalfd", "signalfd4",
    // sockets (which families may be created is decided below)
    "connect", "bind", "listen", "accept", "accept4", "getsockname", "getpeername", "sendto",
    "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown", "setsockopt",
    "getsockopt",
  ]

  /// Calls that fail with EPERM: harmless to refuse, and refusing beats a crash.
  public static let refused: [String] = [
    "chroot", "execveat", "memfd_create", "mlock", "mlock2",
    "mlockall", "munlock", "munlockall", "sched_setaffinity", "sched_setparam",
    "sched_setscheduler", "sched_setattr", "setpriority", "mbind", "set_mempolicy",
  ]

  /// Calls that only an escape attempt makes: the process is killed and the
  /// run reported as a violation.
  public static let forbidden: [String] = [
    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "mount",
    "umount2", "pivot_root", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
    "fspick", "mount_setattr", "unshare", "setns", "init_module", "finit_module",
    "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct",
    "quotactl", "quotactl_fd", "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key",
    "request_key", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "modify_ldt", "syslog",
    "clock_settime", "settimeofday", "adjtimex", "clock_adjtime", "sethostname",
    "setdomainname", "fanotify_init", "vhangup", "uselib", "nfsservctl", "lookup_dcookie",
  ]

  /// ioctl requests that pass (terminal and non-blocking queries); others
  /// fail with ENOSYS, TIOCSTI among them.
  public static let ioctlRequests: [UInt64] = [
    0x5401,  // TCGETS
    0x5413,  // TIOCGWINSZ
    0x541B,  // FIONREAD
    0x5421,  // FIONBIO
    0x5450,  // FIONCLEX
    0x5451,  // FIOCLEX
  ]

  /// prctl options that pass; others fail with ENOSYS.
  public static let prctlOptions: [UInt64] = [
    1, 2,  // PR_SET_PDEATHSIG, PR_GET_PDEATHSIG
    3, 4,  // PR_GET_DUMPABLE, PR_SET_DUMPABLE (the harness hides its memory)
    15, 16,  // PR_SET_NAME, PR_GET_NAME
    21,  // PR_GET_SECCOMP
    23,  // PR_CAPBSET_READ
    38, 39,  // PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS
    0x5356_4d41,  // PR_SET_VMA
  ]

  /// The clone flags that create namespaces: CLONE_NEWNS, NEWCGROUP, NEWUTS,
  /// NEWIPC, NEWUSER, NEWPID, NEWNET and NEWTIME.
  public static let namespaceCloneFlags: UInt64 = 0x7E02_0080

  static let lowWord: UInt64 = 0xffff_ffff
  static let afUnix: UInt64 = 1
  static let afInet: UInt64 = 2
  static let afInet6: UInt64 = 10
  /// AF_MAX on Linux 6.x: families below it that are not allowed get EAFNOSUPPORT.
  static let addressFamilies: UInt64 = 46

  /// The policy of every job; `internet` allows INET and INET6 sockets,
  /// which only a loopback job gets, in a network namespace of its own (a
  /// socket of a slot's namespace could outlive its job: a port left in
  /// TIME_WAIT, buffers the memory limit does not see).
  public static func standard(internet: Bool = false) -> SeccompPolicy {
    var rules: [Rule] = [
      Rule(names: allowed, action: .allow),
      Rule(names: refused, action: .errno(EPERM)),
      Rule(names: forbidden, action: .violation),
      Rule(names: ["clone3"], action: .errno(ENOSYS)),
      Rule(names: ["clone"], action: .allow, argument: (0, namespaceCloneFlags, 0)),
      // Limits of the caller only (pid 0); another process's (the judge's,
      // a later job's) are out of reach. Anything else gets the default.
      Rule(names: ["prlimit64"], action: .allow, argument: (0, lowWord, 0)),
    ]
    // clone with any namespace flag: one rule per flag bit.
    var bit: UInt64 = 1
    while bit <= namespaceCloneFlags {
      if namespaceCloneFlags & bit != 0 {
        rules.append(Rule(names: ["clone"], action: .violation, argument: (0, bit, bit)))
      }
      bit <<= 1
    }
    for family in 0..<addressFamilies {
      let action: Action
      switch family {
      case afUnix: action = .allow
      case afInet, afInet6: action = internet ? .allow : .errno(EACCES)
      default: action = .errno(EAFNOSUPPORT)
      }
      rules.append(Rule(names: ["socket"], action: action, argument: (0, lowWord, family)))
      let pairAction: Action = family == afUnix ? .allow : .errno(EAFNOSUPPORT)
      rules.append(Rule(names: ["socketpair"], action: pairAction, argument: (0, lowWord, family)))
    }
    for request in ioctlRequests {
      rules.append(Rule(names: ["ioctl"], action: .allow, argument: (1, lowWord, request)))
    }
    for option in prctlOptions {
      rules.append(Rule(names: ["prctl"], action: .allow, argument: (0, lowWord, option)))
    }
    for persona: UInt64 in [0, 0xffff_ffff] {
      rules.append(Rule(names: ["personality"], action: .allow, argument: (0, lowWord, persona)))
    }
    return SeccompPolicy(rules: rules, allowsInternet: internet)
  }
}
