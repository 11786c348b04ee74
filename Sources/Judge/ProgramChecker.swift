import Foundation
import Sandbox
import Suites
import Support
import Values
import Verdicts

/// A task's own checker program (`checker.py`), run on the outputs of the
/// tests a candidate's program ran to exit code 0: one sandbox job after
/// the candidate's (`harness/run_checker.py`), so that nothing of the
/// candidate runs beside it. A checker that crashes or runs out of time on
/// an output but accepts the expected output was broken by the output: a
/// wrong answer. A checker that fails otherwise (another exit code, a
/// crash on the expected output too) is the task's fault: an infrastructure error
/// for that test, never the candidate's pass.
struct ProgramChecker {
  let pool: SandboxPool
  let source: String

  /// Seconds one check may take (the driver's own limit).
  static let secondsPerCheck: UInt64 = 10

  /// Verdicts for `outputs` (test index to the program's output).
  func verdicts(_ outputs: [Int: [UInt8]], task: CodingTask) async throws -> [Int: TestVerdict] {
    guard !outputs.isEmpty else { return [:] }
    let nonce = Judge.nonce()
    var files = [SandboxJob.File(path: "checker.py", text: source)]
    var bytes = source.utf8.count
    for (index, output) in outputs {
      guard case .io(let input, let expected) = task.tests[index].body else { continue }
      files.append(SandboxJob.File(path: "\(index).in", text: input))
      files.append(SandboxJob.File(path: "\(index).exp", text: expected))
      files.append(SandboxJob.File(path: "\(index).out", contents: output))
      bytes += input.utf8.count + expected.utf8.count + output.count
    }
    var limits = SandboxLimits()
    // Twice per test: a checker that crashes or runs out of time on an
    // output runs again on the expected output (run_checker.py).
    limits.wallMilliseconds = 5_000 + 2 * Self.secondsPerCheck * 1_000 * UInt64(outputs.count)
    limits.cpuMilliseconds = limits.wallMilliseconds
    limits.scratchBytes = max(limits.scratchBytes, UInt64(bytes) * 2 + (16 << 20))
    limits.memoryBytes = max(limits.memoryBytes, UInt64(bytes) * 4 + (256 << 20))
    let job = SandboxJob(
      script: "/harness/run_checker.py", arguments: [nonce, String(task.tests.count)], files: files, limits: limits)
    let run: SandboxResult
    do {
      run = try await pool.run(job)
    } catch let error as SandboxError where error.code == .jailFailed || error.code == .invalidJob {
      return outputs.mapValues { _ in .infrastructureError("the task's checker could not run: \(error.message)") }
    }
    if run.termination == .cancelled { throw CancellationError() }
    var found: [Int: TestVerdict] = [:]
    let text = String(decoding: run.stdout.head, as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix(nonce + " ") {
      guard let json = try? JSON.parse(String(line.dropFirst(nonce.count + 1))),
        case .number(let testLexeme, isInteger: true)? = json["test"], let index = Int(testLexeme),
        outputs[index] != nil, case .number(let codeLexeme, isInteger: true)? = json["code"],
        let code = Int(codeLexeme), case .string(let message)? = json["message"]
      else { continue }
      // The message may quote the candidate's output: shown escaped.
      let said = SafeText.visible(message, limit: 500)
      switch code {
      case 0: found[index] = .passed
      case 1: found[index] = .wrongAnswer(expected: "what the task's checker accepts", actual: said)
      case 2: found[index] = .presentationError(expected: "what the task's checker accepts", actual: said)
      default: found[index] = .infrastructureError("the task's checker failed: \(said)")
      }
    }
    for index in outputs.keys where found[index] == nil {
      let why = run.termination == .exited(0) ? "it said nothing about this test" : "its job ended: \(run.termination)"
      found[index] = .infrastructureError("the task's checker failed: \(why)")
    }
    return found
  }
}
