import Foundation
import Glibc
import TestSupport
import Testing

@testable import Sandbox

extension SandboxSuite {
  @Suite(.timeLimit(.minutes(10))) struct Lifecycle {
    @Test("The warm interpreter's own stderr is /dev/null: its diagnostics never reach the user's terminal")
    func warmInterpreterStderr() async throws {
      let pool = try await Pools.shared.pool(.warm)
      let ran = try await pool.run(.python("import sys\nprint('out')\nprint('err', file=sys.stderr)"))
      // A job's own stderr is still its own.
      #expect(ran.stdout.text == "out\n" && ran.stderr.text == "err\n")
      let zygotes = HostState.processes(ofUsers: Set(pool.trustedUserIDs + pool.slotUserIDs)).filter { pid in
        ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").contains("/harness/")
      }
      #expect(!zygotes.isEmpty || pool.trustedUserIDs.isEmpty)
      for pid in zygotes {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/2")) ?? ""
        #expect(target == "/dev/null", "zygote \(pid): fd 2 is \(target)")
      }
    }

    @Test("Shutdown leaves no process, cgroup or descriptor behind", arguments: SandboxConfiguration.Mode.allCases)
    func shutdownLeavesNothing(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await SandboxPool.start(.detect(mode: mode, workers: 2))
      let users = Set(pool.slotUserIDs + pool.trustedUserIDs)
      let cgroups = pool.cgroupDirectories
      #expect(!cgroups.isEmpty || !pool.layers.contains(.cgroupMemory))
      async let a = pool.run(
        .python("import os\nif os.fork() == 0:\n    os.setsid()\n    import time; time.sleep(60)\nprint('a')"))
      async let b = pool.run(.python("print('b')"))
      let (ra, rb) = try await (a, b)
      #expect(ra.termination == .exited(0) && rb.termination == .exited(0))
      let jails = pool.jailProcessIDs()
      let pipes = Set(pool.pipeInodes())
      #expect(pipes.count == 4)
      pool.shutdown()
      #expect(HostState.processes(ofUsers: users).isEmpty)
      for jail in jails { #expect(kill(jail, 0) != 0, "jail \(jail) still runs") }
      for dir in cgroups { #expect(!FileManager.default.fileExists(atPath: dir), "\(dir) remains") }
      #expect(HostState.descriptors(referringTo: pipes).isEmpty)
      await #expect(throws: SandboxError.self) { try await pool.run(.python("pass")) }
    }

    /// A leak of one descriptor per pool would add 60 here; other tests
    /// running at the same time account for a few at most.
    @Test("Sixty pool lifecycles do not grow this process's descriptors")
    func noDescriptorGrowth() async throws {
      let configuration = try SandboxConfiguration.detect(mode: .cold, workers: 1)
      _ = try SandboxConfiguration.detect(mode: .cold, workers: 1)
      let before = HostState.descriptorCount(getpid())
      for _ in 0..<60 {
        let pool = try await SandboxPool.start(configuration)
        _ = try await pool.run(.python("pass"))
        pool.shutdown()
        _ = try PythonInterpreter.resolve()
      }
      let after = HostState.descriptorCount(getpid())
      #expect(after - before < 30, "\(before) -> \(after)")
    }

    @Test("Cancelling a job kills its whole process tree", arguments: SandboxConfiguration.Mode.allCases)
    func cancellation(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode)
      var limits = SandboxLimits()
      limits.wallMilliseconds = 60_000
      let job = SandboxJob.python(
        """
        import os, time
        for _ in range(3):
            if os.fork() == 0:
                break
        print("ready", flush=True)
        time.sleep(60)
        """, limits: limits)
      let started = DispatchTime.now()
      let task = Task { try await pool.run(job) }
      try await Task.sleep(for: .milliseconds(300))
      task.cancel()
      let result = try await task.value
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
      #expect(result.termination == .cancelled)
      #expect(seconds < 10)
      let survivors = HostState.processes(ofUsers: Set(pool.slotUserIDs)).filter { pid in
        let cmd = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
        return cmd.contains("main.py")
      }
      #expect(survivors.isEmpty)
      let next = try await pool.run(.python("print('next')"))
      #expect(next.stdout.text == "next\n")
    }

    @Test("Concurrent jobs cannot see each other's files or processes", arguments: SandboxConfiguration.Mode.allCases)
    func concurrentIsolation(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode)
      async let writer = pool.run(
        .python(
          """
          import time
          open("/work/secret-of-a", "w").write("a")
          open("/tmp/secret-of-a", "w").write("a")
          time.sleep(1.5)
          print("a done")
          """))
      try await Task.sleep(for: .milliseconds(500))
      let reader = try await pool.run(
        .python(
          """
          import os
          print(sorted(os.listdir("/work")), sorted(os.listdir("/tmp")), [p for p in os.listdir("/proc") if p.isdigit() and p not in ("1", str(os.getpid()))])
          """))
      #expect(reader.stdout.text == "['main.py'] [] []\n", "\(reader.stdout.text) \(reader.stderr.text)")
      let finished = try await writer
      #expect(finished.termination == .exited(0))
    }

    @Test("A jail killed from outside fails its job as infrastructure, then restarts")
    func jailRestart() async throws {
      let pool = try await SandboxPool.start(.detect(mode: .cold, workers: 1))
      defer { pool.shutdown() }
      _ = try await pool.run(.python("pass"))
      let jail = try #require(pool.jailProcessIDs().first)
      let slow = Task { try await pool.run(.python("import time; time.sleep(30)")) }
      try await Task.sleep(for: .milliseconds(300))
      kill(jail, SIGKILL)
      await #expect(throws: SandboxError.self) { _ = try await slow.value }
      let next = try await pool.run(.python("print('again')"))
      #expect(next.stdout.text == "again\n")
      #expect(pool.jailProcessIDs().first != jail)
      // The job's init died with its jail (PDEATHSIG); the host's init reaps it.
      let users = Set(pool.slotUserIDs + pool.trustedUserIDs)
      #expect(await eventually { HostState.processes(ofUsers: users).isEmpty })
    }

    @Test(
      "Limits: exit codes, CPU time, file size and the result channel", arguments: SandboxConfiguration.Mode.allCases)
    func limits(_ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode)
      #expect(try await pool.run(.python("import sys; sys.exit(7)")).termination == .exited(7))
      #expect(try await pool.run(.python("raise ValueError('x')")).termination == .exited(1))
      var cpu = SandboxLimits()
      cpu.cpuMilliseconds = 1000
      cpu.wallMilliseconds = 10_000
      let spin = try await pool.run(.python("while True: pass", limits: cpu))
      #expect(spin.termination == .timeout)
      #expect(spin.wallMicroseconds < 5_000_000, "CPU limit, not the wall deadline, ended it")
      var small = SandboxLimits()
      small.fileSizeBytes = 1 << 20
      let big = try await pool.run(
        .python(
          """
          try:
              open("/work/f", "wb").write(b"x" * (2 << 20))
          except OSError as e:
              print("refused", e.errno)
          """, limits: small))
      #expect(big.stdout.text == "refused 27\n")
      let channel = try await pool.run(.python("import os\nos.write(3, b'\\x00record\\xff')\nprint('x' * 10)"))
      #expect(channel.resultChannel == Array("\u{0}record".utf8) + [0xff])
      #expect(channel.stdout.totalBytes == 11)
    }

    @Test("Invalid jobs are refused before they run")
    func invalidJobs() async throws {
      let pool = try await Pools.shared.pool(.cold)
      let bad: [SandboxJob] = [
        SandboxJob(script: "main.py", files: [.init(path: "../escape.py", text: "")]),
        SandboxJob(script: "main.py", files: [.init(path: "/abs.py", text: "")]),
        SandboxJob(script: ""),
        {
          var j = SandboxJob.python("pass")
          j.limits.wallMilliseconds = 0
          return j
        }(),
        {
          var j = SandboxJob.python("pass")
          j.limits.memoryBytes = 1024
          return j
        }(),
      ]
      for job in bad {
        await #expect(throws: SandboxError.self) { try await pool.run(job) }
      }
    }
  }
}
