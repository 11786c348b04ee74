import Foundation
import Sandbox
import Suites
import Support
import Values
import Verdicts

/// One run of a whole program on one standard input, as an execution
/// service reports it: how it ended, what it wrote, the files it was asked
/// to leave. Nothing is compared with anything.
///
/// The run is a standard-input task's test job with one test, so the same
/// trusted side observes it: the ending, the exit code and the time are
/// its own observations (or the jail's), never the program's say. What the
/// program wrote (its output, its error stream, an exception's text, the
/// files) is returned as the bytes it wrote, for the caller to treat as
/// untrusted.
public struct ProgramRun: Sendable, Equatable {
  /// How the program ended.
  public enum Ending: Sendable, Equatable {
    /// It exited with this code (0 included).
    case exited(Int32)
    /// An uncaught exception ended it (exit code 1); the type, message and
    /// line are the program's own words, escaped to visible text.
    case raised(type: String, message: String, line: Int?)
    /// The source does not compile (exit code 1).
    case syntaxError(message: String, line: Int?)
    /// A signal ended it.
    case signaled(Int32)
    /// It ran past its time (CPU time, or the same in wall-clock time).
    case timeout
    /// It used more than its memory and was killed.
    case memoryLimit
    /// It wrote more than the output cap and was stopped.
    case outputLimit
    /// It made a forbidden system call and was killed.
    case violation(String)
    /// It said something to the judge that nothing asked for (the run's
    /// records cannot be trusted).
    case tamper(String)
    /// The sandbox failed; nothing is known of the program.
    case infrastructure(String)
  }

  public var ending: Ending
  /// Standard output, up to the run's cap.
  public var stdout: [UInt8]
  /// Standard error as the jail kept it (its head and tail).
  public var stderr: [UInt8]
  /// Wall-clock time of the run's sandbox job as the jail measured it
  /// (the interpreter's start included), in seconds.
  public var seconds: Double?
  /// CPU time of the program as the trusted side measured it, in seconds.
  public var cpuSeconds: Double?
  /// The fetched files, by the path asked for.
  public var files: [String: [UInt8]]
  /// The files that could not be fetched, and why.
  public var unfetched: [String: String]

  /// The exit code a shell would report: the program's, 1 for an uncaught
  /// exception, minus the signal for one that killed it (SIGKILL for the
  /// memory and output limits, SIGSYS for a forbidden call); nil when it
  /// did not end by itself (a timeout) or nothing is known.
  public var exitCode: Int32? {
    switch ending {
    case .exited(let code): code
    case .raised, .syntaxError: 1
    case .signaled(let signal): -signal
    case .memoryLimit, .outputLimit: -9
    case .violation: -31
    case .timeout, .tamper, .infrastructure: nil
    }
  }
}

extension Judge {
  /// The longest a program run may take, in seconds.
  public static let longestRun = 300.0

  /// Runs `program` once with `stdin` on its standard input, `files` in its
  /// working directory, for at most `seconds` of CPU time (and as many of
  /// wall-clock time), then reads back the `fetch` paths (relative to the
  /// working directory) that it left as regular files of at most
  /// `fetchCap` bytes, `fetchBudget` in all (the rest are named as not
  /// fetched). Throws a SandboxError for a path that is not
  /// relative (with `.`, `..` or empty parts), and when cancelled or when
  /// the pool is shut down.
  public func run(
    program: String, stdin: String, files: [SandboxJob.File] = [], fetch: [String] = [], seconds: Double,
    memoryMiB: Int = 512, outputCap: Int = 8 << 20, fetchCap: Int = 4 << 20, fetchBudget: Int = 16 << 20
  ) async throws -> ProgramRun {
    func failed(_ ending: ProgramRun.Ending) -> ProgramRun {
      ProgramRun(ending: ending, stdout: [], stderr: [], seconds: nil, cpuSeconds: nil, files: [:], unfetched: [:])
    }
    guard program.utf8.count <= Self.programLimit else {
      return failed(
        .syntaxError(
          message:
            "the program is \(program.utf8.count >> 20) MiB; at most \(Self.programLimit >> 20) MiB are run",
          line: nil))
    }
    // Paths the trusted side writes and reads: relative, checked here.
    let problems = SandboxJob(script: "main.py", files: files + fetch.map { SandboxJob.File(path: $0, contents: []) })
      .problems()
    guard problems.isEmpty else { throw SandboxError(.invalidJob, problems.joined(separator: "; ")) }
    let nonce = Self.nonce()
    let spec = JSON.object([
      ("nonce", .string(nonce)), ("program", .string(program)), ("entry_point", .string("")),
      ("mode", .string("stdio")), ("test_timeout", .number(String(seconds), isInteger: false)),
      ("wall_factor", .number("1.0", isInteger: false)),
      ("memory_bytes", .number(String(memoryMiB << 20), isInteger: true)),
      ("output_cap", .number(String(outputCap), isInteger: true)), ("stop_on_failure", .bool(true)),
      ("keep_output", .bool(true)), ("fetch", .array(fetch.map { .string($0) })),
      ("fetch_cap", .number(String(fetchCap), isInteger: true)),
      ("fetch_budget", .number(String(fetchBudget), isInteger: true)),
      (
        "files",
        .array(
          files.map {
            .object([("path", .string($0.path)), ("data", .string(Data($0.contents).base64EncodedString()))])
          })
      ),
      ("result_budget", .number(String(Self.resultBudget), isInteger: true)),
      ("tests", .array([.object([("id", .number("0", isInteger: true)), ("input", .string(stdin))])])),
    ])
    var limits = SandboxLimits()
    // The run's wall-clock limit, a second for the interpreter to start and
    // one to read the files back.
    limits.wallMilliseconds = UInt64((seconds + 3) * 1000)
    limits.cpuMilliseconds = limits.wallMilliseconds
    limits.memoryBytes = UInt64(memoryMiB) << 20 + (256 << 20)
    limits.resultCapBytes = 64 << 20
    // The files go in the spec, and the trusted side places them: a warm
    // jail's test job has no files of its own.
    let job = SandboxJob(script: SandboxJob.testRunner, stdin: Array(spec.text.utf8), limits: limits)
    let records: Records
    let sandbox: SandboxResult
    switch try await self.records(of: job, nonce: nonce) {
    case .refused(.infrastructureError(let message)): return failed(.infrastructure(message))
    case .refused(let verdict): return failed(.infrastructure(verdict.detail))
    case .ran(let r, let run): (records, sandbox) = (r, run)
    }
    let record = records.tests[0]
    var ending: ProgramRun.Ending
    if records.tamper == nil, let record, record.outcome == .exited,
      case .number(let lexeme, isInteger: true)? = record.fields["code"], let code = Int32(lexeme)
    {
      ending = .exited(code)
    } else {
      // Every other ending is the judge's own reading of the records.
      let task = CodingTask(
        id: "run", prompt: "", entryPoint: "", tests: [.io("", "")], publicCount: 1,
        origin: Origin(file: "run", format: .crucible), io: ProgramIO(timeLimitSeconds: seconds))
      ending =
        switch VerdictRules.verdict(for: 0, in: task, records: records, run: sandbox) {
        case .runtimeError(let type, let message, let line):
          if case .died? = record?.outcome, case .number(let s, isInteger: true)? = record?.fields["signal"],
            let signal = Int32(s)
          {
            .signaled(signal)
          } else {
            .raised(type: type, message: message, line: line)
          }
        case .syntaxError(let message, let line): .syntaxError(message: message, line: line)
        case .timeout: .timeout
        case .memoryLimit: .memoryLimit
        case .outputLimit: .outputLimit
        case .violation(let call): .violation(call)
        case .tamper(let reason): .tamper(reason)
        case .infrastructureError(let reason): .infrastructure(reason)
        case let other: .infrastructure("an unexpected verdict for a program run: \(other.kind.rawValue)")
        }
    }
    return ProgramRun(
      ending: ending, stdout: record.flatMap(VerdictRules.output(of:)) ?? [],
      stderr: sandbox.stderr.head + sandbox.stderr.tail, seconds: Double(sandbox.wallMicroseconds) / 1e6,
      cpuSeconds: record.map { $0.milliseconds / 1000 },
      files: records.fetched ?? [:], unfetched: records.unfetched)
  }
}
