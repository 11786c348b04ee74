import CJailWire
import Glibc

/// Starting helper processes with posix_spawn: no Swift code runs in the
/// child, every signal is unblocked and at its default, and only the
/// descriptors named here are inherited (everything the supervisor opens is
/// close-on-exec).
enum Spawn {
  /// Starts argv with the given descriptors as its stdin and stdout (-1:
  /// /dev/null) and stderr inherited.
  static func start(_ argv: [String], environment: [String], stdin: Int32, stdout: Int32) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if stdin >= 0 {
      posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    if stdout >= 0 {
      posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    } else {
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup($0) } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArgv, cEnv)
    guard rc == 0 else {
      throw SandboxError(.componentMissing, "cannot run \(argv[0]): \(String(cString: strerror(rc)))")
    }
    return pid
  }

  /// Runs argv to completion and returns its exit status and stdout.
  static func capture(_ argv: [String]) throws -> (status: Int32, output: [UInt8]) {
    var pipe: [Int32] = [0, 0]
    guard jw_pipe_cloexec(&pipe) == 0 else {
      throw SandboxError(.jailFailed, "pipe: \(String(cString: strerror(errno)))")
    }
    defer { close(pipe[0]) }
    let pid: pid_t
    do {
      pid = try start(argv, environment: ["PATH=/usr/bin:/bin"], stdin: -1, stdout: pipe[1])
      close(pipe[1])
    } catch {
      close(pipe[1])
      throw error
    }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, 4096) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      output.append(contentsOf: buffer[0..<n])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status, output)
  }
}
