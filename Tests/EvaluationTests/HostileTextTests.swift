import Foundation
import Journal
import TestSupport
import Testing

@testable import Evaluation

/// What a candidate wrote, as eval files and the regression diff carry it.
@Suite(.timeLimit(.minutes(2))) struct HostileTextTests {
  static func results(failing: Bool) -> EvalResults {
    let tasks = HostileText.cases.enumerated().map { index, hostile in
      EvalResults.TaskResult(
        taskID: "t\(index)\(hostile.text)", position: index, level: nil, tags: [], n: 1, correct: failing ? 0 : 1,
        flaky: 0, infrastructureErrors: 0, status: failing ? .failed : .passed, passAtK: [:],
        firstFailure: failing
          ? EvalResults.Failure(sample: 0, test: 1, verdict: .runtimeError, detail: hostile.text) : nil,
        cost: EvalResults.Cost())
    }
    return EvalResults(run: runInfo(), tasks: tasks, wallMilliseconds: 0)
  }

  @Test("The regression diff: one line per task, nothing hidden, each detail visible")
  func regressionText() {
    let regression = Regression(baseline: Self.results(failing: false), current: Self.results(failing: true))
    let lines = regression.text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(regression.regressions.count == HostileText.cases.count)
    #expect(lines.count == HostileText.cases.count + 2)
    #expect(HostileText.hidden(in: regression.text, multiline: true).isEmpty)
    #expect(!lines.contains { $0.hasPrefix(HostileText.forged) })
    for (line, hostile) in zip(lines.dropFirst(), HostileText.cases) {
      #expect(line.contains(hostile.visible), "\(line)")
    }
  }

  @Test("results.json: the same values read back, nothing hidden in the file")
  func resultsFile() throws {
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let results = Self.results(failing: true)
    try results.write(to: "\(dir)/results.json")
    let text = try String(contentsOfFile: "\(dir)/results.json", encoding: .utf8)
    #expect(HostileText.hidden(in: text, multiline: true).isEmpty)
    #expect(try EvalResults.load("\(dir)/results.json") == results)
  }
}
