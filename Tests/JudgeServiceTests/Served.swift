import AsyncHTTPClient
import Foundation
import Judge
import JudgeService
import NIOCore
import Sandbox
import Synchronization
import TestSupport

/// A JudgeServer running in this process on a free loopback port.
struct Served: Sendable {
  let url: String
  let server: JudgeServer
  let task: Task<Void, any Error>

  /// Settings for a test's server: a free port, 3 s per test, and what
  /// `configure` changes.
  static func settings(_ configure: (inout ServiceSettings) -> Void = { _ in }) -> ServiceSettings {
    var settings = ServiceSettings()
    settings.port = 0
    settings.testTimeoutSeconds = 3
    configure(&settings)
    return settings
  }

  static func start(
    _ settings: ServiceSettings = settings(), pool: SandboxPool? = nil, grace: Double = 20
  ) async throws -> Served {
    let pool = try await { () async throws -> SandboxPool in
      if let pool { return pool }
      return try await Pools.shared.pool(.warm)
    }()
    let judge = Judge(pool: pool, testTimeoutSeconds: 3)
    // Tasks with code of their own on the cold path, as `crucible serve`
    // has it unless told to trust them.
    let isolated = settings.trustTaskCode ? nil : Judge(pool: try await Pools.shared.pool(.cold), testTimeoutSeconds: 3)
    var server = JudgeServer(settings: settings, judge: judge, isolated: isolated)
    server.grace = grace
    let (ports, sink) = AsyncStream<Int>.makeStream()
    let task = Task { [server] in try await server.run { sink.yield($0) } }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw ServedError.didNotStart }
    return Served(url: "http://127.0.0.1:\(port)", server: server, task: task)
  }

  func stop() async {
    task.cancel()
    _ = try? await task.value
  }

  enum ServedError: Error { case didNotStart }
}

/// An HTTP answer, as text.
struct Answer: Sendable {
  var status: Int
  var headers: [String: String]
  var body: String

  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
  }
}

enum HTTP {
  static let client = HTTPClient(eventLoopGroupProvider: .singleton)

  static func post(
    _ url: String, _ body: String, headers: [String: String] = [:], timeout: Double = 600
  ) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    request.body = .bytes(ByteBuffer(string: body))
    return try await send(request, timeout: timeout)
  }

  static func get(_ url: String, headers: [String: String] = [:]) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    return try await send(request, timeout: 30)
  }

  static func send(_ request: HTTPClientRequest, timeout: Double) async throws -> Answer {
    let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
    let body = try await response.body.collect(upTo: 64 << 20)
    var headers: [String: String] = [:]
    for header in response.headers { headers[header.name.lowercased()] = header.value }
    return Answer(status: Int(response.status.code), headers: headers, body: String(buffer: body))
  }

  /// A JSON document's text.
  static func json(_ object: Any) -> String {
    // Every object the tests build is valid JSON.
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}

/// The task of a JSONL line as /v1/judge takes it: the square tasks of the
/// judge's tests, in the Crucible and HumanEval shapes.
enum InlineTasks {
  static var data: [String: Any] {
    [
      "task_id": TestTasks.data.id, "prompt": TestTasks.data.prompt, "entry_point": "square",
      "signature": "def square(x: int) -> int", "solution": TestTasks.data.solution!, "public": 3,
      "tests": TestTasks.inputs.map { ["args": [$0], "expected": $0 * $0] },
    ]
  }
  static var code: [String: Any] {
    [
      "task_id": TestTasks.code.id, "prompt": TestTasks.code.prompt, "entry_point": "square",
      "canonical_solution": "    return x * x\n", "test": TestTasks.code.testSetup,
    ]
  }
  static func of(_ id: String) -> [String: Any] { id == TestTasks.data.id ? data : code }
}
