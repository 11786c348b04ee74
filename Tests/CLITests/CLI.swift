import Foundation

/// Runs the built `crucible` executable (it sits next to the test bundle).
enum CLI {
  static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("crucible").path

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws
    -> Outcome
  {
    try runProgram(executable, arguments, in: directory, environment: environment)
  }

  /// A running `crucible`, its output collected as it comes.
  final class Running: @unchecked Sendable {
    let process: Process
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    private let done = DispatchGroup()

    init(_ arguments: [String]) throws {
      process = Process()
      process.executableURL = URL(fileURLWithPath: CLI.executable)
      process.arguments = arguments
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

    /// Waits for the end and returns what it printed.
    func finish() -> Outcome {
      process.waitUntilExit()
      done.wait()
      return lock.withLock {
        Outcome(
          status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
          stderr: String(decoding: err, as: UTF8.self))
      }
    }
  }

  /// Starts `crucible` without waiting for it.
  static func start(_ arguments: [String]) throws -> Running { try Running(arguments) }

  /// Runs any program to its end, collecting its output; `environment`
  /// is added to this process's.
  static func runProgram(
    _ program: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
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
