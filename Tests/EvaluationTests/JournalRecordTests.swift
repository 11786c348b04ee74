import Foundation
import Journal
import Judge
import Search
import Suites
import TestSupport
import Testing
import Verdicts

@testable import Evaluation

/// Every verdict a judgement can hold, with the texts and times the judge
/// can produce: the journal writes each one and reads it back. A record
/// that could not be encoded would fail here, not lose a user's run.
@Suite(.timeLimit(.minutes(2))) struct JournalRecordTests {
  /// A judge that answers every sample with one test of every verdict
  /// kind, with hostile text and the extreme times the judge accepts.
  struct EveryVerdictJudge: CandidateJudge {
    func judge(_ program: String, for task: CodingTask, tests: TestSelection) async throws -> Judgement {
      let text = HostileText.cases.map(\.text).joined() + "\u{0}\u{FFFF}"
      let verdicts: [TestVerdict] = [
        .passed, .wrongAnswer(expected: text, actual: text), .runtimeError(type: text, message: text, line: Int.max),
        .syntaxError(message: text, line: nil), .timeout, .memoryLimit, .outputLimit, .violation(text),
        .tamper(text), .infrastructureError(text), .presentationError(expected: text, actual: text),
      ]
      let times: [Double?] = [nil, 0, 1e-9, 999_999_999, 0.5, nil, 3, 1e-300, 12.25, 7, 0.25]
      return Judgement(
        taskID: task.id,
        results: zip(verdicts.indices, zip(verdicts, times)).map {
          TestResult(index: $0, isPublic: $0 < 2, verdict: $1.0, milliseconds: $1.1)
        }, run: nil)
    }
  }

  @Test("Every verdict kind, hostile text and extreme times: written, and read back the same")
  func roundTrip() async throws {
    let dir = try scratch("crucible-journal")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tasks = [task("a"), task("b")]
    let completions = ["a": ["x", "y"], "b": ["z"]]
    let journal = try await evalJournal(dir, runInfo())
    let results = try await Evaluator(
      tasks: tasks, source: .completions(completions), judge: EveryVerdictJudge(), journal: journal, run: runInfo(),
      workers: 2
    ).evaluate()
    #expect(results.tasks.count == 2)
    let recorded = try await journal.runs()
    #expect(recorded.count >= 3)
    let reopened = try await evalJournal(dir, runInfo())
    #expect(try await reopened.runs() == recorded)
    for run in recorded {
      #expect(run.verdicts.count == TestVerdict.Kind.allCases.count)
      #expect(run.verdicts.allSatisfy { $0.ms.map(\.isFinite) ?? true })
    }
  }
}
