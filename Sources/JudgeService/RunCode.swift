import Foundation
import Judge
import Sandbox
import Support
import Values

/// SandboxFusion's `POST /run_code`, for Python: the request its clients
/// send (`code`, `language`, `stdin`, `run_timeout`, `files` as base64,
/// `fetch_files`) and the response they parse (`status`
/// Success/Failed/SandboxError, `run_result` with `status`
/// Finished/Error/TimeLimitExceeded, `execution_time`, `return_code`,
/// `stdout`, `stderr`; `files`).
///
/// Every field of the response but the program's own bytes (its output,
/// error stream, files) is the trusted side's observation. Those bytes are
/// returned as text: a client that scores a program by its output reads
/// what the program wrote, as it would from SandboxFusion, and nothing the
/// program wrote can change the status, the exit code or the time.
struct RunCode {
  var program: String
  var stdin: String
  var files: [SandboxJob.File]
  var fetch: [String]
  var seconds: Double
  var memoryMiB: Int

  /// The languages run here (SandboxFusion's names).
  static let languages: Set<String> = ["python", "python3"]

  /// Reads a request. A language not run here is not an error of the
  /// request: SandboxFusion answers it with a SandboxError, and so does
  /// this (``refusal(language:)``).
  init(_ fields: RequestFields, settings: ServiceSettings) throws(RequestError) {
    program = try fields.string("code")
    stdin = try fields.optionalString("stdin") ?? ""
    seconds = try fields.number("run_timeout", in: 0.001...settings.maxRunSeconds, fallback: 10)
    _ = try fields.number("compile_timeout", in: 0...86_400, fallback: 10)
    memoryMiB = Int(try fields.number("memory_limit_MB", in: 16...4096, fallback: 512))
    fetch = try fields.strings("fetch_files").map { (path) throws(RequestError) in
      try RequestFields.workPath(path, field: "fetch_files")
    }
    files = []
    switch fields["files"] {
    case nil, .null?:
      break
    case .object(let members)?:
      for (path, value) in members {
        let relative = try RequestFields.workPath(path, field: "files")
        switch value {
        case .null:
          files.append(SandboxJob.File(path: relative, contents: []))
        case .string(let encoded):
          guard let data = Data(base64Encoded: encoded) else {
            throw .badRequest("files[\(SafeText.visible(path, limit: 80))] is not base64")
          }
          files.append(SandboxJob.File(path: relative, contents: Array(data)))
        default:
          throw .badRequest(
            "files[\(SafeText.visible(path, limit: 80))] must be base64 text or null, not \(value.kind)")
        }
      }
    case let other?:
      throw .badRequest("the field files must be an object of path to base64, not \(other.kind)")
    }
    guard files.count <= 1000, fetch.count <= 1000 else {
      throw .badRequest("at most 1000 files and 1000 fetch_files (got \(files.count) and \(fetch.count))")
    }
    // A path that is another's directory cannot be both.
    var directories = Set<String>()
    for file in files {
      var parent = file.path
      while let slash = parent.lastIndex(of: "/") {
        parent = String(parent[..<slash])
        directories.insert(parent)
      }
    }
    if let clash = files.first(where: { directories.contains($0.path) }) {
      throw .badRequest("files[\(SafeText.visible(clash.path, limit: 80))] is a file and another file's directory")
    }
    let bytes = files.reduce(0) { $0 + $1.contents.count }
    guard bytes <= 32 << 20 else { throw .badRequest("the files hold \(bytes) bytes; at most \(32 << 20)") }
  }

  /// The language of a request, when it is one not run here: the answer.
  static func refusal(language: String) -> JSON? {
    guard !languages.contains(language) else { return nil }
    return response(
      status: "SandboxError",
      message:
        "language \(SafeText.visible(language, limit: 40)) is not run by this service: only python "
        + "(Crucible runs Python in its sandbox)",
      run: nil, files: [:], executor: nil)
  }

  /// The response for a finished run.
  static func response(_ run: ProgramRun, executor: String?) -> JSON {
    let status: String
    let runStatus: String
    var stderr = String(decoding: run.stderr, as: UTF8.self)
    var message = ""
    switch run.ending {
    case .exited(let code):
      runStatus = "Finished"
      status = code == 0 ? "Success" : "Failed"
    case .raised(let type, let text, let line):
      runStatus = "Finished"
      status = "Failed"
      stderr += "Traceback (most recent call last):\n  File \"main.py\", line \(line.map(String.init) ?? "?")\n"
      stderr += text.isEmpty ? "\(type)\n" : "\(type): \(text)\n"
    case .syntaxError(let text, let line):
      runStatus = "Finished"
      status = "Failed"
      stderr += "  File \"main.py\", line \(line.map(String.init) ?? "?")\nSyntaxError: \(text)\n"
    case .signaled(let signal):
      runStatus = "Finished"
      status = "Failed"
      message = "the program was killed by signal \(signal)"
    case .timeout:
      runStatus = "TimeLimitExceeded"
      status = "Failed"
    case .memoryLimit:
      runStatus = "Finished"
      status = "Failed"
      message = "the program used more than its memory and was killed"
    case .outputLimit:
      runStatus = "Finished"
      status = "Failed"
      message = "the program wrote more than the output cap and was stopped"
    case .violation(let call):
      runStatus = "Finished"
      status = "Failed"
      message = "the program made a forbidden system call (\(call)) and was killed"
    case .tamper(let reason):
      runStatus = "Error"
      status = "Failed"
      message = "the run's records cannot be trusted: \(reason)"
    case .infrastructure(let reason):
      return response(
        status: "SandboxError", message: "the sandbox failed: \(reason)", run: nil, files: [:], executor: executor)
    }
    if !message.isEmpty { stderr += "crucible: \(message)\n" }
    if !run.unfetched.isEmpty {
      let missing = run.unfetched.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
      message += (message.isEmpty ? "" : "; ") + "not fetched: " + missing.joined(separator: ", ")
    }
    let result = JSON.object([
      ("status", .string(runStatus)),
      ("execution_time", run.seconds.map { .number(String(format: "%.6f", $0), isInteger: false) } ?? .null),
      ("cpu_time", run.cpuSeconds.map { .number(String(format: "%.6f", $0), isInteger: false) } ?? .null),
      ("return_code", run.exitCode.map { .number(String($0), isInteger: true) } ?? .null),
      ("stdout", .string(String(decoding: run.stdout, as: UTF8.self))), ("stderr", .string(stderr)),
    ])
    return response(status: status, message: message, run: result, files: run.files, executor: executor)
  }

  static func response(status: String, message: String, run: JSON?, files: [String: [UInt8]], executor: String?)
    -> JSON
  {
    .object([
      ("status", .string(status)), ("message", .string(message)), ("compile_result", .null),
      ("run_result", run ?? .null), ("executor_pod_name", executor.map { .string($0) } ?? .null),
      (
        "files",
        .object(files.sorted { $0.key < $1.key }.map { ($0.key, .string(Data($0.value).base64EncodedString())) })
      ),
    ])
  }
}
