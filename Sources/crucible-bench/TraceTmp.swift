import Foundation
import Judge
import Sandbox
import Suites

enum TraceTmp {
  static func run(_ args: [String]) async throws {
    if args.first == "trivial" {
      let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 2))
      let n = 1000
      func ticks() -> Int { let f = try! String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n")[0].split(separator: " ").dropFirst().compactMap { Int($0) }; return f[0] + f[1] + f[2] + f[5] + f[6] }
      let t0 = ticks(); let w0 = Date()
      try await withThrowingTaskGroup(of: Void.self) { g in
        for _ in 0..<2 { g.addTask { for _ in 0..<(n/2) { _ = try await pool.run(.python("pass")) } } }
        try await g.waitForAll()
      }
      let t1 = ticks(); let w = Date().timeIntervalSince(w0)
      print(String(format: "trivial warm jobs: %.0f/s, CPU %.2f ms per job", Double(n)/w, Double(t1-t0)*10/Double(n)))
      pool.shutdown(); return
    }
    let tasks = try Suite.load(args[0]).tasks
    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 1))
    let judge = Judge(pool: pool, testTimeoutSeconds: 10)
    for task in tasks {
      let j = try await judge.judge(task.solution!, for: task)
      FileHandle.standardError.write(Data((j.run?.stderr.text ?? "").utf8))
    }
    pool.shutdown()
  }
}
