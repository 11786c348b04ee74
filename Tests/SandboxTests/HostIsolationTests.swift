import Foundation
import Glibc
import TestSupport
import Testing

@testable import Sandbox

/// What a job may not do to the host's state or leave for the next job:
/// network state, locks on host files, notifications on host directories,
/// host unix sockets, and TCP buffers beyond its memory.
extension SandboxSuite {
  @Suite(.timeLimit(.minutes(5))) struct HostIsolation {
    /// A directory of the host that every job sees (read-only): the
    /// interpreter's installation.
    static func shownDirectory(_ pool: SandboxPool) -> String { pool.configuration.python.basePrefix }

    /// Runs `source` while `during` runs on the host, polling.
    func run(
      _ pool: SandboxPool, _ source: String, network: SandboxJob.Network = .none, during: @escaping @Sendable () -> Void
    )
      async throws -> SandboxResult
    {
      var job = SandboxJob.python(source)
      job.network = network
      async let result = pool.run(job)
      let deadline = Date().addingTimeInterval(2.5)
      while Date() < deadline {
        during()
        try await Task.sleep(for: .milliseconds(20))
      }
      return try await result
    }

    /// Runs `leave`, then `probe` on the same slot, `times` times; each must
    /// print what is given.
    func alternate(
      _ pool: SandboxPool, _ leave: String, _ left: String, _ probe: String, _ probed: String, times: Int
    ) async throws {
      for _ in 0..<times {
        let first = try await pool.run(.python(leave))
        #expect(first.stdout.text == left, "\(first.termination) \(first.stderr.text)")
        let next = try await pool.run(.python(probe))
        #expect(next.stdout.text == probed, "\(next.termination) \(next.stderr.text)")
      }
    }

    @Test(
      "No network state outlives a job: a port left in TIME_WAIT is free for the next",
      arguments: SandboxConfiguration.Mode.allCases)
    func timeWait(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let leave = """
        import socket
        server = socket.socket(); server.bind(("127.0.0.1", 4242)); server.listen(1)
        client = socket.create_connection(("127.0.0.1", 4242))
        conn, _ = server.accept()
        conn.close()  # the side that closes first holds TIME_WAIT
        client.close(); server.close()
        print("left")
        """
      let bind = """
        import socket
        server = socket.socket(); server.bind(("127.0.0.1", 4242)); server.listen(1)
        print("bound")
        """
      for (source, expected) in [(leave, "left\n"), (bind, "bound\n"), (leave, "left\n"), (bind, "bound\n")] {
        var job = SandboxJob.python(source)
        job.network = .loopback
        let result = try await pool.run(job)
        #expect(result.termination == .exited(0), "\(result.termination) \(result.stderr.text)")
        #expect(result.stdout.text == expected)
      }
      // And the warm slot is back for ordinary jobs.
      let after = try await pool.run(.python("print('after')"))
      #expect(after.termination == .exited(0) && after.stdout.text == "after\n")
    }

    @Test("Locks taken inside never reach the host's files", arguments: SandboxConfiguration.Mode.allCases)
    func locks(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let target =
        "\(Self.shownDirectory(pool))/lib/python\(pool.configuration.python.version.split(separator: ".").prefix(2).joined(separator: "."))/os.py"
      let source = """
        import fcntl, os, struct, time
        held = []
        f = open("\(target)", "rb")
        fcntl.flock(f, fcntl.LOCK_EX)
        held.append("flock")
        g = open("\(target)", "rb")
        fcntl.lockf(g, fcntl.LOCK_SH)
        held.append("posix")
        n = open("/dev/null", "rb")
        fcntl.flock(n, fcntl.LOCK_EX)
        held.append("null")
        try:
            os.utime("/dev/null", None)
            held.append("TOUCHED")
        except OSError as e:
            held.append("utime %d" % e.errno)
        print("locked", held, flush=True)
        time.sleep(2)
        """
      var before = stat()
      stat("/dev/null", &before)
      let host = open(target, O_RDONLY | O_CLOEXEC)
      let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
      #expect(host >= 0 && null >= 0)
      defer {
        close(host)
        close(null)
      }
      let blocked = Counter()
      let result = try await run(pool, source) {
        for fd in [host, null] {
          if flock(fd, LOCK_EX | LOCK_NB) == 0 { flock(fd, LOCK_UN) } else { blocked.add() }
        }
      }
      #expect(
        result.stdout.text == "locked ['flock', 'posix', 'null', 'utime 30']\n",
        "\(result.termination) \(result.stderr.text)")
      #expect(blocked.value == 0, "the host could not lock \(target) or /dev/null \(blocked.value) times")
      var after = stat()
      stat("/dev/null", &after)
      #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
    }

    @Test(
      "Descriptors left in flight (a socket sent over itself) do not carry files into the next job",
      arguments: SandboxConfiguration.Mode.allCases)
    func inFlight(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let leave = """
        import os, socket
        fds = []
        for d in ("/tmp", "/dev/shm", "/work"):
            fd = os.open(d + "/big", os.O_RDWR | os.O_CREAT)
            os.write(fd, b"x" * (16 << 20))
            os.unlink(d + "/big")
            fds.append(fd)
        a, b = socket.socketpair()
        socket.send_fds(a, [b"x"], fds + [b.fileno()])
        print("in flight", flush=True)
        """
      let probe = """
        import os
        # Nothing but this script (in /work) may take space: not 16 MiB of the last job's.
        free = [(os.statvfs(d).f_blocks - os.statvfs(d).f_bfree) * os.statvfs(d).f_frsize < 65536
                for d in ("/tmp", "/dev/shm", "/work")]
        print("next", free)
        """
      try await alternate(pool, leave, "in flight\n", probe, "next [True, True, True]\n", times: 3)
    }

    @Test(
      "Unix sockets left in flight do not outlive their job: no name to see or reach, no memory held",
      arguments: SandboxConfiguration.Mode.allCases)
    func socketsInFlight(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let name = "LEAK\(UInt64.random(in: 1...UInt64.max))"
      let leave = """
        import os, socket, time
        if os.fork() == 0:
            os.closerange(3, 1 << 16)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(b"\\0\(name)")
            s.listen(1)
            held, total = [s], 0
            while total < (200 << 20):
                a, b = socket.socketpair()
                a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 30)
                a.setblocking(False)
                try:
                    while True:
                        total += a.send(b"x" * 65536)
                except BlockingIOError:
                    pass
                held += [a, b]
            c, d = socket.socketpair()
            fds = [c.fileno(), d.fileno()] + [x.fileno() for x in held]
            for i in range(0, len(fds), 200):
                socket.send_fds(c, [b"x"], fds[i:i + 200])
            os.write(1, b"in flight\\n")
            time.sleep(1000)
        time.sleep(1.5)
        """
      let probe = """
        import socket
        seen = "\(name)" in open("/proc/self/net/unix").read()
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            c.connect(b"\\0\(name)")
            reached = True
        except OSError:
            reached = False
        block = bytearray(380 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        print("next", seen, reached)
        """
      try await alternate(pool, leave, "in flight\n", probe, "next False False\n", times: 2)
    }

    @Test(
      "Nothing of a job's files reaches the next job: not their names (in memory) nor the times of the directories",
      arguments: SandboxConfiguration.Mode.allCases)
    func namesAndTimes(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let marker = "MARKER\(UInt64.random(in: 1...UInt64.max))"
      let leave = """
        import os
        for i in range(50):
            open("/work/\(marker)-%d" % i, "w").close()
            open("/tmp/\(marker)-%d" % i, "w").close()
        os.utime("/work", (123456789, 123456789))  # its own; /tmp and /dev/shm are not
        print("left")
        """
      // The next job looks for the names in its own memory (every job is
      // forked from the warm zygote) and at the directories' times.
      let probe = """
        import os, re
        # A name as the last job wrote it (the marker, a dash, a digit);
        # this pattern's own text does not match itself.
        name = re.compile(b"\(marker)-[0-9]")
        found = 0
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb") as mem:
            for line in maps:
                fields = line.split()
                if "r" not in fields[1]:
                    continue
                start, end = (int(v, 16) for v in fields[0].split("-"))
                try:
                    mem.seek(start)
                    found += len(name.findall(mem.read(end - start)))
                except (OSError, ValueError, OverflowError):
                    pass
        times = [int(os.stat(d).st_atime) == 123456789 or int(os.stat(d).st_mtime) == 123456789
                 for d in ("/work", "/tmp", "/dev/shm")]
        print("next", found, times)
        """
      try await alternate(pool, leave, "left\n", probe, "next 0 [False, False, False]\n", times: 2)
    }

    @Test(
      "Notifications armed inside see nothing of the host, but work on the job's own files",
      arguments: SandboxConfiguration.Mode.allCases)
    func notifications(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let shown = Self.shownDirectory(pool)
      let source = """
        import fcntl, os, signal, time
        seen = {"host": 0, "own": 0}
        current = ["host"]
        signal.signal(signal.SIGIO, lambda *a: seen.__setitem__(current[0], seen[current[0]] + 1))
        host = os.open("\(shown)", os.O_RDONLY)
        fcntl.fcntl(host, fcntl.F_NOTIFY, fcntl.DN_CREATE | fcntl.DN_DELETE | fcntl.DN_MULTISHOT)
        time.sleep(2)
        current[0] = "own"
        own = os.open("/tmp", os.O_RDONLY)
        fcntl.fcntl(own, fcntl.F_NOTIFY, fcntl.DN_CREATE | fcntl.DN_MULTISHOT)
        open("/tmp/x", "w").close()
        time.sleep(0.1)
        print("events", seen["host"], seen["own"] > 0)
        """
      let name = "\(shown)/.crucible-notify-\(getpid())"
      let result = try await run(pool, source) {
        FileManager.default.createFile(atPath: name, contents: Data())
        unlink(name)
      }
      #expect(result.stdout.text == "events 0 True\n", "\(result.termination) \(result.stderr.text)")
    }

    @Test(
      "A host unix socket the job can see the file of is out of reach", arguments: SandboxConfiguration.Mode.allCases)
    func unixSockets(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      let path = "\(Self.shownDirectory(pool))/.crucible-socket-\(getpid())"
      let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
      var address = sockaddr_un()
      address.sun_family = sa_family_t(AF_UNIX)
      withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (i, byte) in path.utf8.enumerated() where i < buffer.count - 1 { buffer[i] = byte }
      }
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      #expect(bound == 0 && listen(listener, 4) == 0)
      defer {
        close(listener)
        unlink(path)
      }
      let source = """
        import os, socket
        print("visible", os.path.exists("\(path)"))
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect("\(path)")
            print("connected")
        except OSError as e:
            print("refused", e.errno)
        """
      let result = try await pool.run(.python(source))
      #expect(result.stdout.text.contains("\nrefused"), "\(result.stdout.text) \(result.stderr.text)")
      let client = accept(listener, nil, nil)
      #expect(client < 0, "the host socket accepted a connection")
      if client >= 0 { close(client) }
    }

    @Test("TCP buffers of a loopback job are bounded by its memory", arguments: SandboxConfiguration.Mode.allCases)
    func tcpBuffers(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode, workers: 1)
      var limits = SandboxLimits()
      limits.memoryBytes = 64 << 20
      limits.wallMilliseconds = 20_000
      limits.cpuMilliseconds = 20_000
      var job = SandboxJob.python(
        """
        import socket
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(512)
        port = server.getsockname()[1]
        queued, held = 0, []
        try:
            for i in range(400):
                c = socket.create_connection(("127.0.0.1", port))
                c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
                c.setblocking(False)
                s, _ = server.accept()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
                held += [c, s]
                while True:
                    try:
                        queued += c.send(b"x" * 65536)
                    except (BlockingIOError, OSError):
                        break
                if i % 20 == 0:
                    print("queued MiB", queued >> 20, flush=True)
        except OSError as e:
            print("stopped", e.errno, flush=True)
        print("total MiB", queued >> 20, flush=True)
        """, limits: limits)
      job.network = .loopback
      let result = try await pool.run(job)
      let lines = result.stdout.text.split(separator: "\n")
      let most = lines.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.max() ?? 0
      // 64 MiB of memory, TCP buffers limited to a quarter of it: a little
      // over 80 MiB queued in all is the most this job could hold.
      let shown = "\(result.termination) \(result.stdout.text.suffix(300)) \(result.stderr.text.suffix(300))"
      #expect(most <= 96, "queued \(most) MiB: \(shown)")
      // It did try: it queued megabytes, or was stopped for its memory.
      #expect(most >= 8 || result.termination == .memoryLimit, "queued \(most) MiB: \(shown)")
      let after = try await pool.run(.python("print('after')"))
      #expect(after.stdout.text == "after\n")
    }
  }
}

/// A counter the host-side poller bumps.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() {
    lock.lock()
    count += 1
    lock.unlock()
  }
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}
