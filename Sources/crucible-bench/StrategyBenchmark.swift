import Foundation
import Journal
import Judge
import Policy
import Sandbox
import Search
import Suites
import Support
import Synthesis

/// `crucible-bench strategies [SUITE] [PROGRAMS...] [--select first,cluster]`:
/// `crucible solve`'s three strategies and the builtin policy's selections
/// at the same budget, on the same suite, in one run: solve rate (hidden
/// tests), the tasks that passed every public test and failed a hidden
/// one, sandbox runs per solved task, wall time. One table per enumeration
/// budget of the builtin policy (a strong and a weak policy); the prior.
enum StrategyBenchmark {
  static func run(_ args: [String]) async throws {
    var args = args
    var selections: [Selection] = [.first, .cluster]
    if let flag = args.firstIndex(of: "--select"), flag + 1 < args.count {
      selections = args[flag + 1].split(separator: ",").compactMap { Selection(rawValue: String($0)) }
      args.removeSubrange(flag...flag + 1)
    }
    let path = args.first ?? "tasks/eval"
    let budgets = args.dropFirst().compactMap { Int($0) }
    let tasks = try Suite.load(path).tasks
    let workers = 2
    let budget = SearchBudget()
    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: workers))
    defer { pool.shutdown() }
    let judge = Judge(pool: pool)
    print("strategies on \(path) (\(tasks.count) tasks), budget \(budget), \(workers) workers")
    for programs in budgets.isEmpty ? [1_000_000, 20_000] : budgets {
      print("\nbuiltin policy, prior, \(programs) programs per proposal:\n")
      print(
        "| selection | strategy | solved | solve rate | passed public, failed hidden | sandbox runs | runs per solved task | wall time |"
      )
      print("|---|---|---|---|---|---|---|---|")
      for selection in selections {
        let policy = SynthesisPolicy(budget: EnumerationBudget(programs: programs), selection: selection)
        for strategy in Strategy.allCases {
          let solver = Solver(
            policy: policy, judge: judge, journal: MemoryJournal(), strategy: strategy, budget: budget)
          let start = ContinuousClock.now
          let outcomes = try await solver.solve(tasks, workers: workers) { _, _ in }
          let elapsed = ContinuousClock.now - start
          let solved = outcomes.filter(\.solved).count
          let runs = outcomes.reduce(0) { $0 + $1.sandboxRuns }
          let overfit = outcomes.filter { !$0.solved && $0.stop == "passed-public" }.count
          print(
            "| \(selection.rawValue) | \(strategy.rawValue) | \(solved)/\(tasks.count) | "
              + String(format: "%.1f%%", 100 * Double(solved) / Double(tasks.count)) + " | \(overfit) | \(runs) | "
              + (solved > 0 ? String(format: "%.2f", Double(runs) / Double(solved)) : "-") + " | "
              + String(format: "%.1f s", elapsed.seconds)
              + " |")
        }
      }
    }
  }
}
