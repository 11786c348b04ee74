import Foundation
import TestSupport

/// Runs the built `crucible` executable (it sits next to the test bundle).
enum CLI {
  static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("crucible").path

  /// What a `solve`'s `summary.json` in `out` says; an error naming the
  /// file when it is not a JSON object.
  static func summary(in out: String) throws -> [String: Any] {
    let path = "\(out)/summary.json"
    guard
      let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        as? [String: Any]
    else { throw NotASummary(path: path) }
    return object
  }

  struct NotASummary: Error, CustomStringConvertible {
    var path: String
    var description: String { "\(path) is not a JSON object" }
  }

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:])
    async throws -> Outcome
  {
    try await runProgram(executable, arguments, in: directory, environment: environment)
  }

  /// A running `crucible`, its output collected as it comes.
  final class Running: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private let done = DispatchGroup()

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
      process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.executable)
      process.arguments = arguments
      if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
      }
      let outPipe = Pipe()
      let errPipe = Pipe()
      process.standardOutput = outPipe
      process.standardError = errPipe
      try process.run()
      for (pipe, isErr) in [(outPipe, false), (errPipe, true)] {
        done.enter()
        Thread { [self] in
          let data = pipe.fileHandleForReading.readDataToEndOfFile()
          lock.withLock { if isErr { err = data } else { out = data } }
          done.leave()
        }.start()
      }
    }

    /// Waits for the end (off the cooperative pool) and returns what it printed.
    func finish() async throws -> Outcome {
      try await offThePool { [self] in
        process.waitUntilExit()
        done.wait()
      }
      return lock.withLock {
        Outcome(
          status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
          stderr: String(decoding: err, as: UTF8.self))
      }
    }
  }

  /// Starts `crucible` without waiting for it.
  static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
    try Running(arguments, environment: environment)
  }

  /// Runs any program to its end, collecting its output; `environment`
  /// is added to this process's, and the variables in `unsetting` are
  /// left out. The waiting is done off the cooperative pool.
  static func runProgram(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
    unsetting: Set<String> = []
  ) async throws -> Outcome {
    try await offThePool {
      try runProgramBlocking(program, arguments, in: directory, environment: environment, unsetting: unsetting)
    }
  }

  private static func runProgramBlocking(
    _ program: String, _ arguments: [String], in directory: String?, environment: [String: String],
    unsetting: Set<String>
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if !environment.isEmpty || !unsetting.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter {
        !unsetting.contains($0.key)
      }
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes drained at once: a child that fills one while we wait on
    // the other would never end.
    let stderrRead = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var stderr = Data()
    Thread {
      stderr = err.fileHandleForReading.readDataToEndOfFile()
      stderrRead.signal()
    }.start()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    stderrRead.wait()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: stderr, as: UTF8.self))
  }
}

extension FileHandle {
  /// Bytes up to the next newline (or the end), without reading past it.
  func availableLine() -> Data {
    var line = Data()
    while let byte = try? read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
      line.append(first)
    }
    return line
  }
}
