import Foundation
import Policy
import Suites
import Synthesis

/// `crucible-bench synth [SUITE] [PROGRAMS...]`: the enumerator on one
/// core, with the prior: programs enumerated and evaluated per second
/// (equivalence pruning on), and how many tasks have a program matching
/// every public example, per enumeration budget (each task stops at 4
/// matches or at the budget).
enum SynthBenchmark {
  static func run(_ arguments: [String]) async throws {
    let path = arguments.first ?? "tasks/eval"
    let budgets = arguments.dropFirst().compactMap { Int($0) }
    for programs in budgets.isEmpty ? [300_000, 1_000_000] : budgets {
      try measure(path: path, programs: programs)
    }
  }

  static func measure(path: String, programs: Int) throws {
    let verbose = ProcessInfo.processInfo.environment["BENCH_VERBOSE"] != nil
    let tasks = try Suite.load(path).tasks
    var evaluated = 0
    var seconds = 0.0
    var matched = 0
    var supported = 0
    var generalizes = 0
    let only = ProcessInfo.processInfo.environment["BENCH_TASK"]
    let model =
      try ProcessInfo.processInfo.environment["BENCH_CHECKPOINT"].map { try Checkpoint.load($0) } ?? Prior.model
    for task in tasks where only == nil || task.id == only {
      guard let synthesis = try? SynthesisTask(TaskView(task)) else { continue }
      supported += 1
      let synthesizer = Synthesizer(model: model)
      let result = synthesizer.enumerate(synthesis, budget: EnumerationBudget(programs: programs, matches: 4))
      let best = synthesizer.ranked(result, task: synthesis).first { $0.passed == synthesis.outputs.count }
      evaluated += result.evaluated
      seconds += result.seconds
      if !result.matches.isEmpty { matched += 1 }
      // The interpreter's estimate of the hidden tests (the sandbox decides in `crucible solve`).
      let hidden = best.map { passesHidden($0.expr, task: task, synthesis: synthesis) } ?? false
      if hidden { generalizes += 1 }
      if verbose {
        let shown =
          only != nil
          ? "\n    "
            + synthesizer.ranked(result, task: synthesis).map { "\($0.expr.text) \($0.bits) \($0.passed)" }
            .joined(separator: "\n    ") : best.map { "\($0.expr.text) (\($0.bits) bits)" } ?? "-"
        print(
          "\(hidden ? "+" : "-") \(task.id): \(result.evaluated) evaluated, \(result.kept) kept, level \(result.level), "
            + "\(String(format: "%.2f", result.seconds)) s, stop \(result.stop): \(shown)")
      }
    }
    print("\(programs) programs per task at most:")
    print(
      "  suite \(path): \(tasks.count) tasks, \(supported) in the DSL, \(matched) with a public match, "
        + "\(generalizes) whose best match passes the hidden tests in the interpreter")
    print(
      "  enumerated and evaluated: \(evaluated) programs in \(String(format: "%.2f", seconds)) s = "
        + "\(Int(Double(evaluated) / max(seconds, 1e-9))) programs/s on one core (goal 1,000,000)")
  }

  static func passesHidden(_ expr: Expr, task: CodingTask, synthesis: SynthesisTask) -> Bool {
    let interpreter = Interpreter(constants: synthesis.constants)
    for test in task.hiddenTests {
      guard case .data(let args, let expected) = test.body else { return false }
      let params = zip(args, synthesis.parameterTypes).compactMap { DValue($0, as: $1) }
      guard params.count == args.count, let want = DValue(expected, as: synthesis.returnType) else { return false }
      if interpreter.evaluate(expr, params: params) != want { return false }
    }
    return true
  }
}
