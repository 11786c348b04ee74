import ArgumentParser
import Foundation
import Sandbox

struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run one Python script in the jail.",
    discussion: """
      Exit code: 0 when the script exited 0, 1 when it did not, 2 when the sandbox itself failed \
      or the input was bad.
      """
  )

  @Flag(help: "Print one JSON object.") var json = false
  @Option(parsing: .unconditional, help: "Wall-clock limit in seconds.") var timeout: Double = 10
  @Option(parsing: .unconditional, help: "Memory limit of the whole run, in MiB.") var memory: UInt64 = 512
  @Option(help: "cold: a fresh interpreter; warm: fork a pre-started one.")
  var mode: SandboxConfiguration.Mode = .cold
  @Option(help: "Python interpreter to use.") var python: String?
  @Option(
    help:
      "none: no INET sockets; loopback: a network namespace of the job's own with a loopback interface (a fresh jail).")
  var network: SandboxJob.Network = .none
  @Option(
    name: .customLong("python-package"),
    help: ArgumentHelp(
      "An installed Python package (its import name) the script may import; repeat for more.", valueName: "name"))
  var packages: [String] = []
  @Argument(help: "The Python script (- to read it from standard input).") var file: String

  func validate() throws {
    guard timeout > 0, timeout <= 86_400, timeout.isFinite else {
      throw ValidationError("--timeout must be more than 0 and at most 86400 seconds (got \(timeout))")
    }
    guard memory >= 16, memory <= 1 << 20 else {
      throw ValidationError("--memory must be between 16 and 1048576 MiB (got \(memory))")
    }
  }

  func run() async throws {
    let source = try ScriptFile.read(file)
    var limits = SandboxLimits()
    limits.wallMilliseconds = UInt64(timeout * 1000)
    limits.cpuMilliseconds = limits.wallMilliseconds
    limits.memoryBytes = memory << 20
    let pool = try await SandboxPool.start(.detect(mode: mode, workers: 1, python: python, packages: packages))
    defer { pool.shutdown() }
    var job = SandboxJob.python(source, limits: limits)
    job.network = network
    let result = try await pool.run(job)
    if json {
      Output.json(ResultJSON.object(result))
    } else {
      Output.write(result.stdout.text, to: STDOUT_FILENO)
      Output.write(result.stderr.text)
      if case .exited = result.termination {
      } else {
        Output.error("\(ResultJSON.describe(result.termination))")
      }
    }
    switch result.termination {
    case .exited(0): return
    case .setupFailed: throw ExitCode(ExitStatus.infrastructure)
    default: throw ExitCode(ExitStatus.failed)
    }
  }
}

extension SandboxConfiguration.Mode: ExpressibleByArgument {}
extension SandboxJob.Network: ExpressibleByArgument {}

/// Reads a script named on the command line (`-`: standard input), with
/// errors that name it.
enum ScriptFile {
  static func read(_ path: String) throws -> String {
    if path == "-" {
      let data = FileHandle.standardInput.readDataToEndOfFile()
      guard let text = String(data: data, encoding: .utf8) else {
        throw CLIFailure.usage("the script on standard input is not UTF-8 text")
      }
      return text
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIFailure.usage("\(path): no such file")
    }
    guard !isDirectory.boolValue else { throw CLIFailure.usage("\(path): is a directory, expected a Python file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIFailure.usage("\(path): cannot read the file (permission denied?)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIFailure.usage("\(path): is not UTF-8 text")
    }
    return text
  }
}

/// The JSON shape of `sandbox run --json`.
enum ResultJSON {
  static func object(_ r: SandboxResult) -> [String: Any] {
    var o: [String: Any] = [
      "status": r.termination.status,
      "exit_code": NSNull(), "signal": NSNull(),
      "wall_ms": Double(r.wallMicroseconds) / 1000, "cpu_ms": Double(r.cpuMicroseconds) / 1000,
      "peak_memory_kb": r.peakMemoryKB,
      "stdout": r.stdout.text, "stderr": r.stderr.text,
      "stdout_bytes": r.stdout.totalBytes, "stderr_bytes": r.stderr.totalBytes,
      "layers": r.layers.names, "landlock_abi": r.landlockABI,
    ]
    switch r.termination {
    case .exited(let code): o["exit_code"] = Int(code)
    case .signaled(let signal): o["signal"] = Int(signal)
    case .violation(let call): o["syscall"] = call.description
    case .setupFailed(let reason): o["reason"] = reason
    default: break
    }
    return o
  }

  static func describe(_ t: Termination) -> String {
    switch t {
    case .exited(let code): "exited with code \(code)"
    case .signaled(let signal): "killed by signal \(signal)"
    case .timeout: "time limit reached"
    case .memoryLimit: "memory limit reached"
    case .outputLimit: "output limit reached"
    case .violation(let call): "forbidden system call: \(call)"
    case .setupFailed(let reason): "sandbox setup failed: \(reason)"
    case .cancelled: "cancelled"
    }
  }
}
