import Foundation
import Judge
import Suites
import Support
import Values
import Verdicts

/// Crucible's own `POST /v1/judge`: a task, inline, in any shape the
/// suites accept (HumanEval, MBPP, Crucible, APPS, CodeContests,
/// LiveCodeBench), and one or more candidate programs; per-test verdicts
/// and the reward of each candidate back.
///
/// Body: `{"task": {...}, "candidates": ["...", ...]}` (or `"candidate":
/// "..."`), optional `"tests": "all" | "public" | "hidden"` (default all)
/// and `"timeout"`: CPU seconds per test of a function task.
struct JudgeRequest {
  var task: CodingTask
  var candidates: [String]
  var tests: TestSelection
  var timeout: Double

  static let keys: Set<String> = ["task", "candidates", "candidate", "tests", "timeout"]

  init(_ fields: RequestFields, settings: ServiceSettings) throws(RequestError) {
    if let unknown = fields.members.first(where: { !Self.keys.contains($0.key) }) {
      throw .badRequest(
        "unknown field \(SafeText.visible(unknown.key, limit: 40)); the fields are \(Self.keys.sorted().joined(separator: ", "))"
      )
    }
    guard case .object(let members)? = fields["task"] else {
      throw .badRequest("the field task is required: a task object in one of the JSONL shapes the suites accept")
    }
    do {
      task = try Suite.task(members, source: "task")
    } catch {
      throw .badRequest(error.problems.prefix(5).map(\.description).joined(separator: "; "))
    }
    if fields["candidate"] != nil, fields["candidates"] != nil {
      throw .badRequest("give candidate or candidates, not both")
    }
    candidates = fields["candidate"] != nil ? [try fields.string("candidate")] : try fields.strings("candidates")
    guard !candidates.isEmpty else { throw .badRequest("the field candidates must hold at least one program") }
    guard candidates.count <= settings.maxCandidates else {
      throw RequestError(
        413, "\(candidates.count) candidates in one request; at most \(settings.maxCandidates) (split the batch)")
    }
    let selection = try fields.optionalString("tests") ?? "all"
    guard let tests = TestSelection(rawValue: selection) else {
      throw .badRequest("the field tests must be all, public or hidden, not \(SafeText.visible(selection, limit: 40))")
    }
    self.tests = tests
    guard !tests.indices(task).isEmpty else {
      throw .badRequest("the task has no \(selection) tests (public tests: \(task.publicCount) of \(task.tests.count))")
    }
    timeout = try fields.number(
      "timeout", in: 0.01...settings.maxTestTimeoutSeconds, fallback: settings.testTimeoutSeconds)
  }

  /// One candidate's result: the reward over the judged tests and every
  /// test's verdict. Verdict details are the judge's escaped text.
  static func result(_ judgement: Judgement, candidate: Int) -> JSON {
    let reward = Reward(judgement.results)
    return .object([
      ("candidate", .number(String(candidate), isInteger: true)),
      ("passed", .bool(reward.outcome)),
      // The sandbox failed on some test: the reward says nothing of the
      // candidate (a trainer drops the sample, or retries it).
      ("infrastructure_error", .bool(judgement.hasInfrastructureError)),
      (
        "reward",
        .object([
          ("outcome", .bool(reward.outcome)), ("fraction", .number(String(reward.perTest), isInteger: false)),
          ("grade", .string(reward.grade.rawValue)),
        ])
      ),
      (
        "tests",
        .array(
          judgement.results.map { result in
            .object([
              ("index", .number(String(result.index), isInteger: true)), ("public", .bool(result.isPublic)),
              ("verdict", .string(result.verdict.kind.rawValue)), ("detail", .string(result.verdict.detail)),
              ("ms", result.milliseconds.map { .number(String(format: "%.3f", $0), isInteger: false) } ?? .null),
            ])
          })
      ),
    ])
  }
}
