import Foundation
import Sandbox
import Suites
import Values
import Verdicts

/// Runs a candidate program against a task's tests in the sandbox and
/// returns one verdict per test.
///
/// The job runs `harness/run_tests.py`; the spec (program, arguments of the
/// data tests, statement tests, a fresh nonce) reaches it on stdin, never as
/// a file. Expected values of data tests never enter the sandbox: the
/// harness's trusted side returns what the candidate returned (as plain
/// data it checked), and this type compares. Every number in a result
/// (times, sizes) is measured by the trusted side or the jail, never taken
/// from the candidate.
public struct Judge: Sendable {
  /// The sandbox the tests run in.
  public let pool: SandboxPool
  /// Time per test (a call, or a statement like `check(candidate)`): CPU
  /// time of the candidate's processes (and, for a statement, of the test
  /// code beside them), so that a loaded machine does not turn a passing
  /// test into a timeout. A standard-input task's own limit wins.
  public var testTimeoutSeconds: Double
  /// The wall-clock backstop of a test, in time limits: a candidate that
  /// sleeps or blocks instead of computing is stopped after this many.
  public var wallFactor: Double = 3
  /// Memory of the whole run.
  public var memoryBytes: UInt64 = 512 << 20
  /// A standard-input program's job ends at its first test that does not
  /// end with exit code 0 (a timeout costs one time limit, not one per
  /// test); the tests after it have no result. Search sets it; evaluation
  /// runs every test.
  public var stopAtFirstFailure = false
  /// Bytes of returned values the trusted side may write for one job
  /// (at most ``resultBudget``).
  var resultBudgetBytes = Judge.resultBudget

  public init(pool: SandboxPool, testTimeoutSeconds: Double = 5, stopAtFirstFailure: Bool = false) {
    self.pool = pool
    self.testTimeoutSeconds = testTimeoutSeconds
    self.stopAtFirstFailure = stopAtFirstFailure
  }

  /// Judges `program` (a complete Python program defining the task's entry
  /// point) on the selected tests. Faults of the sandbox become
  /// `infrastructureError` verdicts; this throws only when cancelled or when
  /// the pool is shut down.
  public func judge(_ program: String, for task: CodingTask, tests selection: TestSelection = .all) async throws
    -> Judgement
  {
    let indices = Array(selection.indices(task))
    guard !indices.isEmpty else { return Judgement(taskID: task.id, results: [], run: nil) }
    let records: Records
    let run: SandboxResult
    switch try await execute(program, for: task, indices: indices) {
    case .refused(let verdict):
      let results = indices.map { TestResult(index: $0, isPublic: $0 < task.publicCount, verdict: verdict) }
      return Judgement(taskID: task.id, results: results, run: nil)
    case .ran(let r, let sandbox):
      (records, run) = (r, sandbox)
    }
    var checked: [Int: TestVerdict] = [:]
    if case .program(let source)? = task.io?.checker, records.tamper == nil {
      checked = try await ProgramChecker(pool: pool, source: source).verdicts(
        VerdictRules.cleanOutputs(records, indices: indices), task: task)
    }
    // A program's job that stopped at its first failure left the rest unrun.
    let ran = indices.filter { !(task.isProgram && stopAtFirstFailure && records.done && records.tests[$0] == nil) }
    let results = ran.map { index -> TestResult in
      var verdict = VerdictRules.verdict(for: index, in: task, records: records, run: run, checked: checked)
      // A forbidden call anywhere in the job (a thread, a child process)
      // fails every test that would have passed: the call was refused,
      // but a candidate that tries one gets no reward.
      if verdict == .passed, case .violation(let call) = run.termination { verdict = .violation(call.description) }
      return TestResult(
        index: index, isPublic: index < task.publicCount, verdict: verdict,
        milliseconds: records.tests[index]?.milliseconds)
    }
    return Judgement(taskID: task.id, results: results, run: run)
  }

  /// A fresh nonce for a job's records: one the candidate cannot guess.
  static func nonce() -> String {
    (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined(separator: "-")
  }

  /// The largest program judged (bytes of UTF-8).
  public static let programLimit = 16 << 20

  /// What running a program's tests came to: the records of a finished
  /// job, or a verdict for every test when no job could run (a program
  /// too large, or a jail that failed).
  enum Execution {
    case refused(TestVerdict)
    case ran(Records, SandboxResult)
  }

  /// Runs the tests at `indices` of `task` on `program` in one sandbox job.
  /// Throws only when cancelled or when the pool is shut down.
  func execute(_ program: String, for task: CodingTask, indices: [Int]) async throws -> Execution {
    // A program too large to judge is its own failure, not the sandbox's.
    guard program.utf8.count <= Self.programLimit else {
      return .refused(
        .syntaxError(
          message:
            "the program is \(program.utf8.count >> 20) MiB; at most \(Self.programLimit >> 20) MiB are judged",
          line: nil))
    }
    let nonce = Self.nonce()
    let timeout = task.io?.timeLimitSeconds ?? testTimeoutSeconds
    let spec =
      task.isProgram
      ? programSpec(program: program, task: task, indices: indices, nonce: nonce, stop: stopAtFirstFailure)
      : spec(program: program, task: task, indices: indices, nonce: nonce, timeout: timeout)
    var limits = SandboxLimits()
    let perTest = UInt64(timeout * wallFactor * 1000)
    // A test's wall-clock backstop, and a second each for a restart of the
    // candidate's interpreter (charged to no test), then the whole job is
    // stopped.
    limits.wallMilliseconds = min(3_000 + (perTest + 1_000) * UInt64(indices.count) + perTest, 600_000)
    limits.cpuMilliseconds = limits.wallMilliseconds
    limits.memoryBytes = memoryBytes
    if let io = task.io {
      // The program's own limit, and room for the harness beside it.
      limits.memoryBytes = max(memoryBytes, UInt64(io.memoryLimitMiB) << 20 + (256 << 20))
    }
    limits.resultCapBytes = 64 << 20
    let job = SandboxJob(script: SandboxJob.testRunner, stdin: Array(spec.text.utf8), limits: limits)
    return try await records(of: job, nonce: nonce)
  }

  /// Runs a test-runner job and reads its records; a jail that failed (or
  /// refused the job) is an infrastructure verdict. Throws only when
  /// cancelled or when the pool is shut down.
  func records(of job: SandboxJob, nonce: String) async throws -> Execution {
    let run: SandboxResult
    do {
      run = try await pool.run(job)
    } catch let error as SandboxError where error.code == .jailFailed || error.code == .invalidJob {
      return .refused(.infrastructureError(error.message))
    }
    if run.termination == .cancelled { throw CancellationError() }
    let records = Records.parse(
      run.resultChannel, nonce: nonce, complete: run.resultChannelTotal == UInt64(run.resultChannel.count))
    return .ran(records, run)
  }

  /// Bytes of returned values the trusted side may write: well under the
  /// result channel's cap, so that no candidate can overflow it (a value
  /// past the budget is reported as too large to judge).
  static let resultBudget = 48 << 20

  /// A standard-input task's spec: the inputs, never the expected outputs;
  /// output is capped at twice the largest expected output (and at least
  /// 1 MiB, at most 16 MiB) per test.
  func programSpec(program: String, task: CodingTask, indices: [Int], nonce: String, stop: Bool) -> JSON {
    let io = task.io ?? ProgramIO()
    var largest = 0
    let tests: [JSON] = indices.compactMap { index in
      guard case .io(let input, let output) = task.tests[index].body else { return nil }
      largest = max(largest, output.utf8.count)
      return .object([("id", .number(String(index), isInteger: true)), ("input", .string(input))])
    }
    let cap = min(16 << 20, max(1 << 20, 2 * largest + (64 << 10)))
    return .object([
      ("nonce", .string(nonce)), ("program", .string(program)), ("entry_point", .string("")),
      ("mode", .string("stdio")), ("test_timeout", .number(String(io.timeLimitSeconds), isInteger: false)),
      ("wall_factor", .number(String(wallFactor), isInteger: false)),
      ("memory_bytes", .number(String(io.memoryLimitMiB << 20), isInteger: true)),
      ("output_cap", .number(String(cap), isInteger: true)), ("stop_on_failure", .bool(stop)),
      ("result_budget", .number(String(resultBudgetBytes), isInteger: true)), ("tests", .array(tests)),
    ])
  }

  func spec(program: String, task: CodingTask, indices: [Int], nonce: String, timeout: Double) -> JSON {
    let tests: [JSON] = indices.map { index in
      switch task.tests[index].body {
      case .data(let args, _):
        return .object([("id", .number(String(index), isInteger: true)), ("args", .array(args.map(\.json)))])
      case .statement(let code):
        return .object([("id", .number(String(index), isInteger: true)), ("statement", .string(code))])
      case .io(let input, _):
        // Not reached: a task's tests are all of one kind (programSpec).
        return .object([("id", .number(String(index), isInteger: true)), ("input", .string(input))])
      }
    }
    return .object([
      ("nonce", .string(nonce)), ("program", .string(program)), ("entry_point", .string(task.entryPoint)),
      ("prompt_code", task.promptCode.map { .string($0) } ?? .null), ("setup", .string(task.testSetup)),
      ("test_timeout", .number(String(timeout), isInteger: false)),
      ("wall_factor", .number(String(wallFactor), isInteger: false)),
      ("result_budget", .number(String(resultBudgetBytes), isInteger: true)), ("tests", .array(tests)),
    ])
  }
}

/// Runs a candidate against a task's tests: the sandboxed ``Judge``.
public protocol CandidateJudge: Sendable {
  func judge(_ program: String, for task: CodingTask, tests: TestSelection) async throws -> Judgement
}

extension Judge: CandidateJudge {}
