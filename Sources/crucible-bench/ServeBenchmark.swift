import AsyncHTTPClient
import Foundation
import Judge
import NIOCore
import Sandbox
import Suites
import Support
import Synchronization

/// `crucible-bench serve [REQUESTS] [CONCURRENCY] [WORKERS] [--trust-task-code]`: `crucible
/// serve` under load, against the same judging in one process.
///
/// The work: HumanEval tasks, each with its canonical body or a wrong one
/// (`return None`), alternating, REQUESTS of them (default 20,000). First
/// the judge in this process (what `crucible check` does: a warm pool of
/// WORKERS slots) judges them, CONCURRENCY at a time; then a `crucible
/// serve` child with the same WORKERS gets one `/v1/judge` request per item
/// from CONCURRENCY (default 64) clients on loopback. Printed: errors by
/// kind (a 429 is counted and retried after its Retry-After), every
/// verdict compared with the in-process one, throughput of both and their
/// ratio, latency percentiles, and the server's descriptors and resident
/// memory after the first tenth of the requests and at the end.
enum ServeBenchmark {
  struct Item: Sendable {
    var task: CodingTask
    var program: String
    var body: String
  }

  static func run(_ arguments: [String]) async throws {
    let trusting = arguments.contains("--trust-task-code")
    let args = arguments.filter { $0 != "--trust-task-code" }
    let count = Int(args.first ?? "") ?? 20_000
    let concurrency = Int(args.dropFirst().first ?? "") ?? 64
    let workers = Int(args.dropFirst(2).first ?? "") ?? 2
    // HumanEval's tasks bring code of their own (check): the service judges
    // them on the cold path unless it trusts task code; the in-process
    // judge takes the same path.
    let mode: SandboxConfiguration.Mode = trusting ? .warm : .cold
    let tasks = try Suite.load(try HumanEvalLocation.path()).tasks
    let items = (0..<count).map { index -> Item in
      let task = tasks[(index / 2) % tasks.count]
      let prompt = task.promptCode ?? task.prompt
      let body = index % 2 == 0 ? String((task.solution ?? prompt).dropFirst(prompt.count)) : "    return None\n"
      let shape: [String: String] = [
        "task_id": task.id, "prompt": prompt, "canonical_solution": body, "test": task.testSetup,
        "entry_point": task.entryPoint,
      ]
      let json = try? JSONSerialization.data(
        withJSONObject: ["task": shape, "candidate": prompt + body], options: [.sortedKeys])
      return Item(task: task, program: prompt + body, body: String(decoding: json ?? Data(), as: UTF8.self))
    }
    print("serve load: \(count) /v1/judge requests (HumanEval, canonical and `return None` alternating),")
    print(
      "concurrency \(concurrency), \(workers) sandbox workers, loopback; task code on the \(mode.rawValue) path"
        + (trusting ? " (serve --trust-task-code)" : " (serve's default)"))

    // In one process: the judge, as `crucible check` drives it.
    let pool = try await SandboxPool.start(.detect(mode: mode, workers: workers))
    let judge = Judge(pool: pool, testTimeoutSeconds: 5)
    let expected = Shared([[String]](repeating: [], count: count))
    let inProcess = try await timed {
      try await forEach(count, concurrency: concurrency) { index in
        let judgement = try await judge.judge(items[index].program, for: items[index].task)
        let kinds = judgement.results.map(\.verdict.kind.rawValue)
        expected.withLock { $0[index] = kinds }
      }
    }
    pool.shutdown()
    print(String(format: "in one process: %.1f s, %.1f requests/s", inProcess, Double(count) / inProcess))

    // The service, in a process of its own.
    guard let port = Loopback.freePort() else { throw BenchmarkError("no free loopback port") }
    let server = Process()
    server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent().appendingPathComponent("crucible")
    server.arguments =
      ["serve", "--port", "\(port)", "--workers", "\(workers)", "--queue", "256"]
      + (trusting ? ["--trust-task-code"] : [])
    server.standardOutput = FileHandle.nullDevice
    try server.run()
    defer {
      if server.isRunning {
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
      }
    }
    let client = HTTPClient.shared
    let url = "http://127.0.0.1:\(port)"
    var up = false
    for _ in 0..<1200 where !up {
      up = (try? await client.execute(HTTPClientRequest(url: url + "/readyz"), timeout: .seconds(5)))?.status == .ok
      if !up { try await Task.sleep(for: .milliseconds(50)) }
    }
    guard up else { throw BenchmarkError("crucible serve did not become ready on port \(port)") }

    struct Tally: Sendable {
      var latencies: [Double] = []
      var errors: [String: Int] = [:]
      var refused = 0
      var mismatches: [String] = []
      var done = 0
      /// Descriptors and resident KiB of the server at each tenth.
      var samples: [(fds: Int, rssKB: Int)] = []
    }
    let tally = Shared(Tally())
    let pid = server.processIdentifier
    let served = try await timed {
      try await forEach(count, concurrency: concurrency) { index in
        var request = HTTPClientRequest(url: url + "/v1/judge")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: items[index].body))
        while true {
          let start = ContinuousClock.now
          do {
            let response = try await client.execute(request, timeout: .seconds(300))
            let body = try await response.body.collect(upTo: 16 << 20)
            let seconds = (ContinuousClock.now - start).seconds
            if response.status.code == 429 {
              let wait = Int(response.headers.first(name: "Retry-After") ?? "") ?? 1
              tally.withLock { $0.refused += 1 }
              try await Task.sleep(for: .seconds(wait))
              continue
            }
            let kinds = verdictKinds(Data(body.readableBytesView))
            tally.withLock { tally in
              tally.latencies.append(seconds)
              if response.status.code != 200 {
                tally.errors["HTTP \(response.status.code)", default: 0] += 1
              } else if kinds != expected.withLock({ $0[index] }) {
                tally.mismatches.append("\(items[index].task.id) (\(index % 2 == 0 ? "canonical" : "wrong"))")
              }
              tally.done += 1
              if count >= 10, tally.done % (count / 10) == 0 {
                tally.samples.append((descriptors(pid), residentKB(pid)))
              }
            }
          } catch {
            tally.withLock { $0.errors["\(type(of: error)): \(error)".prefix(80).description, default: 0] += 1 }
          }
          break
        }
      }
    }
    let final = (descriptors(pid), residentKB(pid))
    let result = tally.withLock { $0 }
    let sorted = result.latencies.sorted()
    func percentile(_ p: Double) -> Double {
      sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))]
    }
    print(String(format: "through the service: %.1f s, %.1f requests/s", served, Double(count) / served))
    print(
      String(
        format: "ratio service / in one process: %.2fx   latency p50 %.0f ms, p99 %.0f ms, max %.0f ms",
        inProcess / served, percentile(0.5) * 1000, percentile(0.99) * 1000, (sorted.last ?? .nan) * 1000))
    print("429 answers (retried after Retry-After): \(result.refused)")
    print(
      "errors: \(result.errors.isEmpty ? "none" : result.errors.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))"
    )
    print(
      "verdicts different from the in-process judge: \(result.mismatches.count)"
        + (result.mismatches.isEmpty ? "" : " (first: \(result.mismatches.prefix(5).joined(separator: ", ")))"))
    print(
      "server at each tenth of the requests: descriptors "
        + result.samples.map { String($0.fds) }.joined(separator: " ") + "; MiB resident "
        + result.samples.map { String($0.rssKB / 1024) }.joined(separator: " ")
        + "; after the last answer: \(final.0) descriptors, \(final.1 / 1024) MiB")
  }

  /// Runs `body(i)` for every i below `count`, `concurrency` at a time.
  static func forEach(_ count: Int, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void)
    async throws
  {
    let next = Shared(0)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          while true {
            let index = next.withLock { value -> Int in
              defer { value += 1 }
              return value
            }
            guard index < count else { return }
            try await body(index)
          }
        }
      }
      try await group.waitForAll()
    }
  }

  static func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return (ContinuousClock.now - start).seconds
  }

  /// The verdict kinds of a /v1/judge answer's one result.
  static func verdictKinds(_ data: Data) -> [String] {
    let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    let result = (json?["results"] as? [[String: Any]])?.first
    return (result?["tests"] as? [[String: Any]] ?? []).compactMap { $0["verdict"] as? String }
  }

  static func descriptors(_ pid: pid_t) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
  }

  static func residentKB(_ pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return -1 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
  }
}

/// A value behind a lock, shared by reference between tasks.
final class Shared<Value: Sendable>: Sendable {
  let mutex: Mutex<Value>
  init(_ value: Value) { mutex = Mutex(value) }
  func withLock<T>(_ body: (inout sending Value) throws -> sending T) rethrows -> sending T { try mutex.withLock(body) }
}
