import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing

/// What the judge says of a program, as text: the control runs' fingerprint.
func verdicts(_ judgement: Judgement) -> [String] { judgement.results.map { "\($0.index) \($0.verdict.detail)" } }

/// Whether a verdict's text holds a character a terminal or a report could
/// act on (controls, escapes, bidirectional overrides, line breaks).
func hasControlCharacters(_ text: String) -> Bool {
  text.unicodeScalars.contains {
    $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) || (0x202A...0x202E).contains($0.value)
      || (0x2066...0x2069).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029
  }
}

@Suite(.timeLimit(.minutes(10))) struct TamperTests {
  /// A wrong program every case's after-run compares with its control run.
  static let wrong = "def square(x):\n    return x * x if x > 2 else -x\n"

  @Test(
    "No reward hack passes, none is an infrastructure error, and the next job on the slot is unaffected",
    arguments: TamperCase.all + Forgery.cases, [TestTasks.data.id, TestTasks.code.id])
  func tamper(_ hack: TamperCase, _ taskID: String) async throws {
    let task = TestTasks.both.first { $0.id == taskID }!
    for mode in SandboxConfiguration.Mode.allCases {
      // One slot, so that the control runs after the hack run where it ran.
      let judge = Judge(pool: try await Pools.shared.pool(mode, workers: 1), testTimeoutSeconds: 2)
      let controls = [task.solution!, Self.wrong]
      var before: [[String]] = []
      for program in controls { before.append(verdicts(try await judge.judge(program, for: task))) }

      let judgement = try await judge.judge(hack.program, for: task)
      let summary = "\(hack.name) on \(taskID) (\(mode)): \(judgement.results.map(\.verdict.detail))"
      #expect(!judgement.results.isEmpty)
      #expect(judgement.results.allSatisfy { $0.verdict != .passed }, "\(summary)")
      #expect(!judgement.hasInfrastructureError, "\(summary)")
      #expect(judgement.results.allSatisfy { !hasControlCharacters($0.verdict.detail) }, "\(summary)")
      #expect(judgement.results.allSatisfy { ($0.milliseconds ?? 0).isFinite }, "\(summary)")
      let output = (judgement.run?.stdout.text ?? "") + (judgement.run?.stderr.text ?? "")
      #expect(!output.contains("LEAKED"), "\(summary)")
      #expect(!output.contains(String(TestTasks.marker)), "\(summary)")
      // Afterwards, on the same slot: the same verdicts as before the hack.
      for (program, expected) in zip(controls, before) {
        let after = verdicts(try await judge.judge(program, for: task))
        #expect(after == expected, "after \(summary)")
      }
    }
  }
}
