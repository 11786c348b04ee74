import Foundation
import Glibc
import Sandbox

/// Per-execution overhead of the sandbox: the cold path (a fresh jailed
/// interpreter per job) and the warm path (fork of a pre-started one) against
/// the bare interpreter start and against bubblewrap running the same
/// script, one job at a time, in one run.
enum SandboxBenchmark {
  static func run(_ args: [String]) async throws {
    let runs = Int(args.first ?? "") ?? 200
    let script = "pass\n"
    let python = try PythonInterpreter.resolve()
    print("sandbox overhead: \(runs) sequential runs each of a script containing `pass`")
    print("interpreter: \(python.executable) \(python.version)")

    let bare = try measure(runs) { try spawnAndWait([python.executable, "-I", "-S", "-c", "pass"]) }
    var rows: [(String, Double)] = [("bare `python -I -S -c pass`", bare)]

    let scriptFile = NSTemporaryDirectory() + "crucible-bench-\(getpid()).py"
    try script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
    defer { unlink(scriptFile) }
    if let bwrap = PythonInterpreter.findExecutable(
      "bwrap", path: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
    {
      var command = [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr"]
      for link in ["/bin", "/lib", "/lib64", "/sbin"] {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
          command += ["--symlink", target, link]
        }
      }
      for path in python.mounts { command += ["--ro-bind", path, path] }
      command += [
        "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/work",
        "--ro-bind", scriptFile, "/work/main.py", "--chdir", "/work",
        python.executable, "-I", "-S", "/work/main.py",
      ]
      let probe = try spawnAndWait(command)
      if probe == 0 {
        rows.append(("bwrap --unshare-all, same script", try measure(runs) { try spawnAndWait(command) }))
      } else {
        print("bwrap could not run here (exit \(probe)); skipped")
      }
    } else {
      print("bwrap is not installed (apt-get install bubblewrap); skipped")
    }

    let drop = ProcessInfo.processInfo.environment["BENCH_DROP"]?.split(separator: ",").map(String.init) ?? []
    for mode in SandboxConfiguration.Mode.allCases {
      var cfg = try SandboxConfiguration.detect(mode: mode, workers: 1)
      for ns in drop { cfg.probe.namespaces[ns] = "dropped" }
      if drop.contains("landlock") { cfg.probe.landlockABI = 0 }
      if drop.contains("cgroups") { cfg.useCgroups = false }
      for kind in ["memory", "pids", "cpu"] where drop.contains("cg-" + kind) { cfg.probe.cgroups.v1[kind] = nil }
      let pool = try await SandboxPool.start(cfg)
      let job = SandboxJob.python(script)
      var failures = 0
      let median = try await measureAsync(runs) {
        let result = try await pool.run(job)
        if result.termination != .exited(0) { failures += 1 }
      }
      if failures > 0 { print("warning: \(failures) \(mode.rawValue) runs did not exit 0") }
      rows.append(("crucible \(mode.rawValue) path (all layers)", median))
      if mode == .cold {
        // A loopback job gets a network namespace of its own: what that
        // costs, against the default (no INET sockets at all).
        var loopback = job
        loopback.network = .loopback
        let ms = try await measureAsync(runs) { _ = try await pool.run(loopback) }
        rows.append(("crucible cold path, loopback job", ms))
      }
      pool.shutdown()
    }

    print("")
    print("path".padding(toLength: 38, withPad: " ", startingAt: 0) + "median ms   x bare")
    for (label, ms) in rows {
      print(
        label.padding(toLength: 38, withPad: " ", startingAt: 0)
          + String(format: "%9.2f   %6.2f", ms, ms / bare))
    }
    let value = Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.1) })
    if let bw = value["bwrap --unshare-all, same script"] {
      for mode in ["cold", "warm"] {
        if let ms = value["crucible \(mode) path (all layers)"] {
          print(String(format: "crucible %@ / bwrap: %.2f", mode, ms / bw))
        }
      }
    }
  }

  /// Median milliseconds of `runs` calls, after a few warm-up calls.
  static func measure(_ runs: Int, _ body: () throws -> Int32) throws -> Double {
    for _ in 0..<5 { _ = try body() }
    var samples: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try body()
      samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return samples.sorted()[samples.count / 2]
  }

  static func measureAsync(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
    for _ in 0..<5 { try await body() }
    var samples: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      try await body()
      samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    return samples.sorted()[samples.count / 2]
  }

  /// posix_spawn and wait: the cheapest way to start a process from Swift.
  static func spawnAndWait(_ argv: [String]) throws -> Int32 {
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
    guard rc == 0 else { throw SandboxError(.jailFailed, "posix_spawn \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return status
  }
}
