import Foundation
import Sandbox

/// How a hostile case must end.
public enum HostileOutcome: Sendable, CustomStringConvertible {
  /// Exited with this code (nil: any code).
  case exited(Int32?)
  /// Exited or was killed by a signal (not a limit, not a violation).
  case finished
  /// Killed for this forbidden system call.
  case violation(String)
  case timeout
  case memoryLimit
  case outputLimit
  /// Killed by this signal (as Python outside the jail would be).
  case signaled(Int32)
  /// Any of these (a bomb may hit the memory limit or the deadline first).
  indirect case either(HostileOutcome, HostileOutcome)

  public func matches(_ t: Termination) -> Bool {
    switch (self, t) {
    case (.exited(let want), .exited(let got)): return want == nil || want == got
    case (.finished, .exited), (.finished, .signaled): return true
    case (.violation(let name), .violation(let call)): return call.name == name
    case (.timeout, .timeout), (.memoryLimit, .memoryLimit), (.outputLimit, .outputLimit): return true
    case (.signaled(let want), .signaled(let got)): return want == got
    case (.either(let a, let b), let t): return a.matches(t) || b.matches(t)
    default: return false
    }
  }

  public var description: String {
    switch self {
    case .exited(let code): "exited(\(code.map(String.init) ?? "any"))"
    case .finished: "exited or signaled"
    case .violation(let name): "violation(\(name))"
    case .timeout: "timeout"
    case .memoryLimit: "memoryLimit"
    case .outputLimit: "outputLimit"
    case .signaled(let number): "signaled(\(number))"
    case .either(let a, let b): "\(a) or \(b)"
    }
  }
}

/// A program from the hostile catalogue (docs/sandbox.md), with what must hold
/// afterwards. Sources use `attempt(label, fn)`, which prints
/// "label refused ..." or "label ALLOWED ..."; ALLOWED never may appear.
public struct HostileCase: Sendable, CustomStringConvertible {
  public let id: String
  public let summary: String
  public let source: String
  public let outcome: HostileOutcome
  public var mustPrint: [String] = []
  public var wallMilliseconds: UInt64 = 5_000
  public var network: SandboxJob.Network = .none

  public var description: String { "\(id) \(summary)" }

  /// The program with the prelude and the fixtures filled in.
  public func program(_ f: HostFixtures) -> String {
    (Self.prelude + source)
      .replacingOccurrences(of: "{SECRET_PATH}", with: f.secretPath)
      .replacingOccurrences(of: "{ROOT_CANARY}", with: f.rootCanary)
      .replacingOccurrences(of: "{CANARY_DIR}", with: f.directory)
      .replacingOccurrences(of: "{TCP_PORT}", with: String(f.tcpPort))
      .replacingOccurrences(of: "{ABSTRACT}", with: f.abstractName)
      .replacingOccurrences(of: "{CHECKOUT}", with: Self.checkout)
  }

  /// The source checkout, which no job may see.
  public static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  static let prelude = """
    import ctypes, errno, os, signal, socket, sys, time
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    def attempt(label, fn):
        try:
            r = fn()
        except BaseException as e:
            print(label, "refused", type(e).__name__, getattr(e, "errno", ""), flush=True)
        else:
            print(label, "ALLOWED", repr(r)[:200], flush=True)
    def syscall(nr, *args):
        r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
        if r == -1:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
        return r
    print("start", flush=True)

    """
}

extension HostileCase {
  public static let all: [HostileCase] =
    network + filesystem + resources + escape + privilege + leaks + jobs + host + benign

  public static let network: [HostileCase] = [
    HostileCase(
      id: "N1", summary: "TCP to a public address",
      source: """
        attempt("N1", lambda: socket.create_connection(("1.1.1.1", 53), timeout=2))
        """, outcome: .exited(0), mustPrint: ["N1 refused"]),
    HostileCase(
      id: "N2", summary: "DNS lookup",
      source: """
        attempt("N2", lambda: socket.getaddrinfo("example.com", 80))
        """, outcome: .exited(0), mustPrint: ["N2 refused"]),
    HostileCase(
      id: "N3a", summary: "raw AF_PACKET socket",
      source: """
        attempt("N3a", lambda: socket.socket(17, socket.SOCK_RAW, 0))
        """, outcome: .exited(0), mustPrint: ["N3a refused OSError 97"]),
    HostileCase(
      id: "N3b", summary: "raw ICMP socket",
      source: """
        attempt("N3b", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
        """, outcome: .exited(0), mustPrint: ["N3b refused"]),
    HostileCase(
      id: "N3c", summary: "AF_PACKET with high bits set in the family (masked compare)",
      source: """
        attempt("N3c", lambda: syscall(41, 0x100000011, 3, 0))
        """, outcome: .exited(0), mustPrint: ["N3c refused OSError 97"]),
    HostileCase(
      id: "N4", summary: "netlink route dump",
      source: """
        attempt("N4", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
        """, outcome: .exited(0), mustPrint: ["N4 refused OSError 97"]),
    HostileCase(
      id: "N5", summary: "AF_VSOCK to the host",
      source: """
        def vsock():
            s = socket.socket(40, socket.SOCK_STREAM)
            s.connect((2, 1234))
        attempt("N5", vsock)
        """, outcome: .exited(0), mustPrint: ["N5 refused OSError 97"]),
    HostileCase(
      id: "N6", summary: "io_uring_setup",
      source: """
        params = ctypes.create_string_buffer(120)
        syscall(425, 8, params)
        print("N6 ALLOWED")
        """, outcome: .violation("io_uring_setup")),
    HostileCase(
      id: "N7a", summary: "a host fixture's abstract unix socket",
      source: """
        def abstract():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect("\\0{ABSTRACT}")
        attempt("N7a", abstract)
        """, outcome: .exited(0), mustPrint: ["N7a refused"]),
    HostileCase(
      id: "N7b", summary: "docker and dbus sockets",
      source: """
        for path in ("/run/docker.sock", "/var/run/dbus/system_bus_socket", "/run/systemd/private"):
            def connect(path=path):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
            attempt("N7b", connect)
        """, outcome: .exited(0), mustPrint: ["N7b refused"]),
    HostileCase(
      id: "N8a", summary: "a TCP fixture on the host's loopback (SSRF)",
      source: """
        attempt("N8a", lambda: socket.create_connection(("127.0.0.1", {TCP_PORT}), timeout=2))
        """, outcome: .exited(0), mustPrint: ["N8a refused"]),
    HostileCase(
      id: "N8b", summary: "UDP datagram to a public resolver",
      source: """
        def udp():
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            return s.sendto(b"x", ("8.8.8.8", 53))
        attempt("N8b", udp)
        """, outcome: .exited(0), mustPrint: ["N8b refused"]),
    HostileCase(
      id: "N8c", summary: "with the loopback opt-in: the host's loopback and the internet stay out of reach",
      source: """
        attempt("N8c", lambda: socket.create_connection(("127.0.0.1", {TCP_PORT}), timeout=2))
        attempt("N8c-out", lambda: socket.create_connection(("1.1.1.1", 53), timeout=2))
        attempt("N8c-raw", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
        """, outcome: .exited(0), mustPrint: ["N8c refused", "N8c-out refused", "N8c-raw refused"],
      network: .loopback),
  ]

  public static let filesystem: [HostileCase] = [
    HostileCase(
      id: "F1a", summary: "read /etc/shadow and /root/.ssh",
      source: """
        attempt("F1a", lambda: open("/etc/shadow").read())
        attempt("F1a-ssh", lambda: os.listdir("/root/.ssh"))
        """, outcome: .exited(0), mustPrint: ["F1a refused", "F1a-ssh refused"]),
    HostileCase(
      id: "F1b", summary: "read a host secret by path",
      source: """
        attempt("F1b", lambda: open("{SECRET_PATH}").read())
        attempt("F1b-root", lambda: open("{ROOT_CANARY}").read())
        """, outcome: .exited(0), mustPrint: ["F1b refused", "F1b-root refused"]),
    HostileCase(
      id: "F2", summary: "look for hidden tests outside /work",
      source: """
        attempt("F2", lambda: os.listdir("/work/main/tasks"))
        attempt("F2-up", lambda: os.listdir("/harness/../tasks"))
        print("harness:", sorted(os.listdir("/harness")))
        """, outcome: .exited(0), mustPrint: ["F2 refused", "F2-up refused"]),
    HostileCase(
      id: "F3a", summary: "write the standard library",
      source: """
        import os as target
        attempt("F3a", lambda: open(target.__file__, "a").write("x"))
        """, outcome: .exited(0), mustPrint: ["F3a refused OSError 30"]),
    HostileCase(
      id: "F3b", summary: "write the host canary and ../../etc",
      source: """
        attempt("F3b", lambda: open("{SECRET_PATH}", "w").write("pwned"))
        attempt("F3b-etc", lambda: open("../../etc/x", "w").write("pwned"))
        attempt("F3b-root", lambda: open("/x", "w").write("pwned"))
        """, outcome: .exited(0), mustPrint: ["F3b refused", "F3b-etc refused", "F3b-root refused"]),
    HostileCase(
      id: "F4", summary: "plant a symlink to a host path",
      source: """
        attempt("F4", lambda: os.symlink("/etc/cron.d/x", "/work/result.json"))
        """, outcome: .exited(0), mustPrint: ["F4 refused"]),
    HostileCase(
      id: "F5", summary: "hard-link a system file",
      source: """
        attempt("F5", lambda: os.link("/usr/bin/env", "/work/env"))
        """, outcome: .exited(0), mustPrint: ["F5 refused"]),
    HostileCase(
      id: "F6", summary: "mkfifo where a runner might read",
      source: """
        attempt("F6", lambda: os.mkfifo("/work/result"))
        """, outcome: .exited(0), mustPrint: ["F6 refused"]),
    HostileCase(
      id: "F7", summary: "write 10 GiB",
      source: """
        def fill():
            with open("/work/big", "wb") as f:
                chunk = b"x" * (1 << 20)
                for _ in range(10 * 1024):
                    f.write(chunk)
        attempt("F7", fill)
        """, outcome: .exited(0), mustPrint: ["F7 refused OSError"]),
    HostileCase(
      id: "F8", summary: "a million empty files",
      source: """
        def many():
            for i in range(1_000_000):
                open("/work/f%d" % i, "w").close()
        attempt("F8", many)
        """, outcome: .exited(0), mustPrint: ["F8 refused OSError 28"]),
    HostileCase(
      id: "F9", summary: "5,000 nested directories (or until the inodes run out), then chmod 000",
      source: """
        os.chdir("/work")
        depth = 0
        try:
            for depth in range(5000):
                os.mkdir("d")
                os.chdir("d")
        except OSError:
            pass
        os.chdir("/work")
        os.chmod("d", 0)
        print("F9 built", depth > 1000)
        """, outcome: .exited(0), mustPrint: ["F9 built True"], wallMilliseconds: 20_000),
    HostileCase(
      id: "F10", summary: "markers in /dev/shm, /tmp, /work, SysV shm and the keyring",
      source: """
        for path in ("/dev/shm/marker", "/tmp/marker", "/work/marker"):
            open(path, "w").write("left behind")
        attempt("F10-sysv", lambda: syscall(29, 0, 4096, 0o1666))
        print("F10 planted")
        """, outcome: .exited(0), mustPrint: ["F10 planted", "F10-sysv refused"]),
    HostileCase(
      id: "F10b", summary: "a key in the session keyring",
      source: """
        syscall(248, b"user", b"marker", b"payload", 6, 0xfffffffd)
        print("F10b ALLOWED")
        """, outcome: .violation("add_key")),
    HostileCase(
      id: "F11", summary: "shadow unittest and sitecustomize, then spawn Python",
      source: """
        import subprocess
        open("/work/unittest.py", "w").write("print('HIJACKED')")
        open("/work/sitecustomize.py", "w").write("print('HIJACKED')")
        out = subprocess.run([sys.executable, "-I", "-c", "import unittest; print('clean')"], cwd="/work",
                             capture_output=True, text=True)
        print("F11", out.stdout.strip(), out.returncode)
        """, outcome: .exited(0), mustPrint: ["F11 clean 0"]),
    HostileCase(
      id: "F12a", summary: "drop an executable and run it",
      source: """
        import shutil, subprocess
        shutil.copy("/usr/bin/true", "/work/mytrue")
        os.chmod("/work/mytrue", 0o755)
        attempt("F12a", lambda: subprocess.run(["/work/mytrue"]))
        shutil.copy("/usr/bin/true", "/tmp/mytrue")
        os.chmod("/tmp/mytrue", 0o755)
        attempt("F12a-tmp", lambda: subprocess.run(["/tmp/mytrue"]))
        """, outcome: .exited(0), mustPrint: ["F12a refused", "F12a-tmp refused"]),
    HostileCase(
      id: "F12b", summary: "memfd_create for fileless exec",
      source: """
        attempt("F12b", lambda: syscall(319, b"x", 0))
        """, outcome: .exited(0), mustPrint: ["F12b refused PermissionError 1"]),
  ]

  public static let resources: [HostileCase] = [
    HostileCase(
      id: "X1", summary: "fork bomb",
      source: """
        while True:
            try:
                os.fork()
            except OSError:
                pass
        """, outcome: .timeout, wallMilliseconds: 2_000),
    HostileCase(
      id: "X2", summary: "thread bomb",
      source: """
        import threading
        while True:
            try:
                threading.Thread(target=time.sleep, args=(100,)).start()
            except RuntimeError:
                pass
        """, outcome: .timeout, wallMilliseconds: 2_000),
    HostileCase(
      id: "X3", summary: "subprocess bomb",
      source: """
        import subprocess
        procs = []
        while True:
            try:
                procs.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(100)"]))
            except OSError:
                pass
        """, outcome: .either(.timeout, .memoryLimit), wallMilliseconds: 3_000),
    HostileCase(
      id: "X4", summary: "grow a bytearray until killed",
      source: """
        chunks = []
        while True:
            chunks.append(bytearray(64 << 20))
        """, outcome: .memoryLimit, wallMilliseconds: 20_000),
    HostileCase(
      id: "X4b", summary: "four processes each touching 3 GiB",
      source: """
        for i in range(4):
            if os.fork() == 0:
                b = bytearray(3 << 30)
                for j in range(0, len(b), 4096):
                    b[j] = 1
                os._exit(0)
        for i in range(4):
            os.wait()
        """, outcome: .memoryLimit, wallMilliseconds: 30_000),
    HostileCase(
      id: "X5", summary: "fill /tmp and /dev/shm",
      source: """
        def fill(path):
            with open(path, "wb") as f:
                while True:
                    f.write(b"x" * (1 << 20))
        attempt("X5", lambda: fill("/tmp/fill"))
        attempt("X5-shm", lambda: fill("/dev/shm/fill"))
        """, outcome: .exited(0), mustPrint: ["X5 refused OSError", "X5-shm refused OSError"]),
    HostileCase(
      id: "X6", summary: "busy loop",
      source: """
        while True:
            pass
        """, outcome: .timeout, wallMilliseconds: 2_000),
    HostileCase(
      id: "X7", summary: "busy loop in eight processes",
      source: """
        for i in range(7):
            if os.fork() == 0:
                break
        while True:
            pass
        """, outcome: .timeout, wallMilliseconds: 2_000),
    HostileCase(
      id: "X8a", summary: "sleep forever",
      source: """
        time.sleep(1e9)
        """, outcome: .timeout, wallMilliseconds: 1_500),
    HostileCase(
      id: "X8b", summary: "read stdin",
      source: """
        print("X8b read", repr(sys.stdin.read()))
        """, outcome: .exited(0), mustPrint: ["X8b read ''"]),
    HostileCase(
      id: "X9", summary: "print 1 MiB forever",
      source: """
        while True:
            sys.stdout.write("y" * (1 << 20))
        """, outcome: .outputLimit),
    HostileCase(
      id: "X10", summary: "invalid UTF-8 flood on stderr, no newline",
      source: """
        while True:
            os.write(2, b"\\xff\\xfe\\xc3" * 100000)
        """, outcome: .outputLimit),
    HostileCase(
      id: "X11", summary: "a child that SIGSTOPs itself, ignoring SIGTERM and SIGXCPU",
      source: """
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGXCPU, signal.SIG_IGN)
            os.kill(os.getpid(), signal.SIGSTOP)
            os._exit(0)
        os.waitpid(pid, 0)
        """, outcome: .timeout, wallMilliseconds: 1_500),
    HostileCase(
      id: "X12", summary: "open files until EMFILE",
      source: """
        files = []
        def exhaust():
            while True:
                files.append(open("/dev/null"))
        attempt("X12", exhaust)
        """, outcome: .exited(0), mustPrint: ["X12 refused OSError 24"]),
  ]

  public static let escape: [HostileCase] = [
    HostileCase(
      id: "P1", summary: "double fork and setsid, parent exits 0",
      source: """
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            os._exit(0)
        print("P1 parent done")
        """, outcome: .exited(0), mustPrint: ["P1 parent done"]),
    HostileCase(
      id: "P2", summary: "an orphan that writes to the host later",
      source: """
        if os.fork() == 0:
            os.setsid()
            time.sleep(1)
            for path in ("{CANARY_DIR}/late", "/tmp/late"):
                try:
                    open(path, "w").write("late")
                except OSError:
                    pass
            os._exit(0)
        print("P2 parent done")
        """, outcome: .exited(0), mustPrint: ["P2 parent done"]),
    HostileCase(
      id: "P3a", summary: "kill(-1, SIGKILL)",
      source: """
        os.kill(-1, signal.SIGKILL)
        print("P3a survived")
        """, outcome: .finished),
    HostileCase(
      id: "P3b", summary: "killpg(0) and kill(getppid())",
      source: """
        os.kill(os.getppid(), signal.SIGKILL)
        os.killpg(0, signal.SIGKILL)
        print("P3b survived")
        """, outcome: .finished),
    HostileCase(
      id: "P4a", summary: "ptrace(ATTACH) of the parent",
      source: """
        syscall(101, 16, os.getppid() or 1, 0, 0)
        print("P4a ALLOWED")
        """, outcome: .violation("ptrace")),
    HostileCase(
      id: "P4b", summary: "process_vm_readv",
      source: """
        buf = ctypes.create_string_buffer(64)
        iov = (ctypes.c_void_p * 2)(ctypes.addressof(buf), 64)
        syscall(310, 1, iov, 1, iov, 1, 0)
        print("P4b ALLOWED")
        """, outcome: .violation("process_vm_readv")),
    HostileCase(
      id: "P5a", summary: "unshare(CLONE_NEWUSER)",
      source: """
        syscall(272, 0x10000000)
        print("P5a ALLOWED")
        """, outcome: .violation("unshare")),
    HostileCase(
      id: "P5b", summary: "clone(CLONE_NEWUSER)",
      source: """
        syscall(56, 0x10000000 | 17, 0, 0, 0, 0)
        print("P5b ALLOWED")
        """, outcome: .violation("clone")),
    HostileCase(
      id: "P5c", summary: "clone3 returns ENOSYS",
      source: """
        attempt("P5c", lambda: syscall(435, 0, 0))
        """, outcome: .exited(0), mustPrint: ["P5c refused OSError 38"]),
    HostileCase(
      id: "P6a", summary: "write a cgroup's procs file",
      source: """
        attempt("P6a", lambda: open("/sys/fs/cgroup/cgroup.procs", "w").write("1"))
        """, outcome: .exited(0), mustPrint: ["P6a refused"]),
    HostileCase(
      id: "P6b", summary: "mount cgroup v1 for release_agent",
      source: """
        os.makedirs("/tmp/cg", exist_ok=True)
        libc.mount(b"cgroup", b"/tmp/cg", b"cgroup", 0, b"rdma")
        print("P6b ALLOWED")
        """, outcome: .violation("mount")),
    HostileCase(
      id: "P7", summary: "i386 int 0x80 from shellcode",
      source: """
        import mmap
        code = bytes([0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0xc3])
        m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        m.write(code)
        f = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
        print("P7 ALLOWED", f())
        """, outcome: .violation("getpid")),
    HostileCase(
      id: "P8", summary: "children never reaped",
      source: """
        for i in range(20):
            if os.fork() == 0:
                os._exit(0)
        time.sleep(0.2)
        print("P8 left zombies")
        """, outcome: .exited(0), mustPrint: ["P8 left zombies"]),
  ]

  public static let privilege: [HostileCase] = [
    HostileCase(
      id: "Q1", summary: "setuid(0), then read our capabilities",
      source: """
        attempt("Q1", lambda: os.setuid(0))
        status = dict(line.split(":\\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\\t" in line)
        print("Q1 caps", status["CapEff"].strip(), status["CapPrm"].strip(), "nnp", status["NoNewPrivs"].strip(), "seccomp", status["Seccomp"].strip(), "uid", os.getuid())
        """, outcome: .exited(0),
      mustPrint: ["Q1 refused", "Q1 caps 0000000000000000 0000000000000000 nnp 1 seccomp 2"]),
    HostileCase(
      id: "Q2", summary: "run setuid binaries (mount(8) gains nothing and is killed at its mount call)",
      source: """
        import subprocess
        for tool in (["/usr/bin/su", "-c", "id -u"], ["/usr/bin/mount", "-t", "tmpfs", "x", "/tmp"], ["/usr/bin/passwd", "-S"]):
            if os.path.exists(tool[0]):
                r = subprocess.run(tool, capture_output=True, text=True)
                print("Q2", tool[0], "uid-out", r.stdout.strip() or "-", "rc", r.returncode)
        print("Q2 uid", os.getuid(), os.geteuid())
        """, outcome: .violation("mount"), mustPrint: ["Q2 uid 1000 1000"]),
    HostileCase(
      id: "Q3a", summary: "chroot",
      source: """
        attempt("Q3a", lambda: syscall(161, b"/tmp"))
        """, outcome: .exited(0), mustPrint: ["Q3a refused PermissionError 1"]),
    HostileCase(
      id: "Q3b", summary: "pivot_root",
      source: """
        syscall(155, b"/tmp", b"/tmp")
        print("Q3b ALLOWED")
        """, outcome: .violation("pivot_root")),
    HostileCase(
      id: "Q4a", summary: "bpf",
      source: """
        syscall(321, 0, 0, 0)
        print("Q4a ALLOWED")
        """, outcome: .violation("bpf")),
    HostileCase(
      id: "Q4b", summary: "perf_event_open",
      source: """
        attr = ctypes.create_string_buffer(128)
        syscall(298, attr, 0, -1, -1, 0)
        print("Q4b ALLOWED")
        """, outcome: .violation("perf_event_open")),
    HostileCase(
      id: "Q4c", summary: "userfaultfd",
      source: """
        syscall(323, 0)
        print("Q4c ALLOWED")
        """, outcome: .violation("userfaultfd")),
    HostileCase(
      id: "Q4d", summary: "keyctl",
      source: """
        syscall(250, 0, -3, 0)
        print("Q4d ALLOWED")
        """, outcome: .violation("keyctl")),
    HostileCase(
      id: "Q5", summary: "TIOCSTI on fds 0-2, and with high bits",
      source: """
        import fcntl
        for fd in (0, 1, 2):
            attempt("Q5-%d" % fd, lambda: fcntl.ioctl(fd, 0x5412, b"x"))
            attempt("Q5-high-%d" % fd, lambda: syscall(16, fd, 0x100005412, ctypes.c_char_p(b"x")))
        """, outcome: .exited(0), mustPrint: ["Q5-0 refused", "Q5-high-2 refused"]),
    HostileCase(
      id: "Q6", summary: "open_by_handle_at (Shocker)",
      source: """
        handle = ctypes.create_string_buffer(128)
        syscall(304, -100, handle, 0)
        print("Q6 ALLOWED")
        """, outcome: .violation("open_by_handle_at")),
    HostileCase(
      id: "Q7a", summary: "sethostname",
      source: """
        syscall(170, b"pwned", 5)
        print("Q7a ALLOWED")
        """, outcome: .violation("sethostname")),
    HostileCase(
      id: "Q7b", summary: "settimeofday",
      source: """
        tv = (ctypes.c_long * 2)(0, 0)
        syscall(164, tv, 0)
        print("Q7b ALLOWED")
        """, outcome: .violation("settimeofday")),
    HostileCase(
      id: "Q8", summary: "load a kernel module, kexec",
      source: """
        syscall(175, 0, 0, b"")
        print("Q8 ALLOWED")
        """, outcome: .violation("init_module")),
  ]

  public static let leaks: [HostileCase] = [
    HostileCase(
      id: "L1", summary: "dump the environment",
      source: """
        print("L1 env", sorted(os.environ))
        """, outcome: .exited(0), mustPrint: ["L1 env ['HOME', 'LANG', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'TMPDIR']"]),
    HostileCase(
      id: "L2", summary: "fstat fds 3 to 1024",
      source: """
        open_fds = []
        for fd in range(3, 1025):
            try:
                os.fstat(fd)
                open_fds.append(fd)
            except OSError:
                pass
        print("L2 open", open_fds)
        """, outcome: .exited(0), mustPrint: ["L2 open [3]"]),
    HostileCase(
      id: "L3", summary: "list /proc",
      source: """
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
        others = [p for p in pids if p not in ("1", str(os.getpid()))]
        print("L3 others", others, "self in", str(os.getpid()) in pids)
        attempt("L3-sys", lambda: os.listdir("/proc/sys"))
        attempt("L3-kallsyms", lambda: open("/proc/kallsyms").read(100))
        attempt("L3-init", lambda: open("/proc/1/environ").read() if os.getpid() != 1 else os.listdir("/proc/2"))
        """, outcome: .exited(0),
      mustPrint: ["L3 others [] self in True", "L3-sys refused", "L3-kallsyms refused", "L3-init refused"]),
    HostileCase(
      id: "L4", summary: "read /sys",
      source: """
        attempt("L4-net", lambda: os.listdir("/sys/class/net"))
        attempt("L4-cg", lambda: os.listdir("/sys/fs/cgroup"))
        attempt("L4-dmi", lambda: open("/sys/class/dmi/id/product_serial").read())
        """, outcome: .exited(0), mustPrint: ["L4-net refused", "L4-cg refused", "L4-dmi refused"]),
    HostileCase(
      id: "L5", summary: "syslog(2) to read the kernel log",
      source: """
        buf = ctypes.create_string_buffer(4096)
        syscall(103, 3, buf, 4096)
        print("L5 ALLOWED")
        """, outcome: .violation("syslog")),
    HostileCase(
      id: "L7", summary: "hostname and user names of the host",
      source: """
        print("L7 host", socket.gethostname())
        attempt("L7-passwd", lambda: open("/etc/passwd").read())
        """, outcome: .exited(0), mustPrint: ["L7 host crucible", "L7-passwd refused"]),
  ]

  /// What must keep working inside the jail: a sandbox that breaks Python is
  /// not a sandbox anyone can use.
  public static let benign: [HostileCase] = [
    HostileCase(
      id: "B1", summary: "threads, subprocess, multiprocessing and asyncio",
      source: """
        import asyncio, multiprocessing, subprocess, threading
        t = threading.Thread(target=lambda: None); t.start(); t.join()
        r = subprocess.run([sys.executable, "-c", "print(6*7)"], capture_output=True, text=True)
        with multiprocessing.Pool(2) as pool:
            squares = pool.map(abs, [-1, -2, -3])
        async def main():
            await asyncio.sleep(0)
            return "async"
        print("B1", r.stdout.strip(), squares, asyncio.run(main()))
        """, outcome: .exited(0), mustPrint: ["B1 42 [1, 2, 3] async"], wallMilliseconds: 20_000),
    HostileCase(
      id: "B2", summary: "a localhost server and client inside the sandbox",
      source: """
        import threading
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
        port = server.getsockname()[1]
        def serve():
            c, _ = server.accept(); c.sendall(c.recv(10).upper()); c.close()
        threading.Thread(target=serve).start()
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"ping")
        print("B2", client.recv(10).decode())
        """, outcome: .exited(0), mustPrint: ["B2 PING"], network: .loopback),
    HostileCase(
      id: "B2b", summary: "without the loopback opt-in, no INET socket at all",
      source: """
        attempt("B2b", lambda: socket.socket())
        attempt("B2b-udp", lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
        """, outcome: .exited(0), mustPrint: ["B2b refused PermissionError 13", "B2b-udp refused PermissionError 13"]),
    HostileCase(
      id: "B3", summary: "the result channel, /dev devices and scratch files",
      source: """
        os.write(3, b"RESULT")
        open("/dev/null", "w").write("x")
        assert len(open("/dev/urandom", "rb").read(16)) == 16
        open("/tmp/t", "w").write("tmp"); open("/work/w", "w").write("work")
        print("B3", open("/tmp/t").read(), open("/work/w").read(), os.getcwd())
        """, outcome: .exited(0), mustPrint: ["B3 tmp work /work"]),
  ]
}
