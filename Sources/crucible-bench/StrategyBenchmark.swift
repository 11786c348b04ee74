import Foundation
import Journal
import Judge
import Sandbox
import Search
import Suites
import Support
import Synthesis

/// `crucible-bench strategies [SUITE] [PROGRAMS...]`: `crucible solve`'s
/// three strategies at the same budget, on the same suite, in one run:
/// solve rate, sandbox runs per solved task, wall time. One table per
/// enumeration budget of the builtin policy (a strong and a weak policy).
enum StrategyBenchmark {
  static func run(_ args: [String]) async throws {
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
      let policy = SynthesisPolicy(budget: EnumerationBudget(programs: programs))
      print("\nbuiltin policy, prior, \(programs) programs per proposal:\n")
      print("| strategy | solved | solve rate | sandbox runs | runs per solved task | wall time |")
      print("|---|---|---|---|---|---|")
      for strategy in Strategy.allCases {
        let solver = Solver(
          policy: policy, judge: judge, journal: MemoryJournal(), strategy: strategy, budget: budget)
        let start = ContinuousClock.now
        let outcomes = try await solver.solve(tasks, workers: workers) { _, _ in }
        let elapsed = ContinuousClock.now - start
        let solved = outcomes.filter(\.solved).count
        let runs = outcomes.reduce(0) { $0 + $1.sandboxRuns }
        print(
          "| \(strategy.rawValue) | \(solved)/\(tasks.count) | "
            + String(format: "%.1f%%", 100 * Double(solved) / Double(tasks.count)) + " | \(runs) | "
            + (solved > 0 ? String(format: "%.2f", Double(runs) / Double(solved)) : "-") + " | "
            + String(format: "%.1f s", elapsed.seconds)
            + " |")
      }
    }
  }
}
