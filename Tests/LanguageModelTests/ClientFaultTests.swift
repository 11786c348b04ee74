import Foundation
import TestSupport
import Testing

@testable import LanguageModel

@Suite(.timeLimit(.minutes(10))) struct ClientFaultTests {
  static func client(_ url: String, api: ModelAPI = .completions, retries: Int = 3, timeout: Double = 5)
    -> ModelClient
  {
    ModelClient(
      ServerConfiguration(
        baseURL: URL(string: url)!, model: "m", api: api, requestTimeout: timeout, retries: retries, concurrency: 2,
        backoff: 0.05, maxBackoff: 2))
  }

  /// A fault, then what the client must make of it.
  enum Expect {
    /// Answered, after this many tries.
    case answered(tries: Int)
    /// Failed, after this many tries, with this in the message.
    case failed(tries: Int, mentioning: String)
  }

  static let cases: [(name: String, script: [FaultServer.Behavior], timeout: Double, expect: Expect)] = [
    ("a clean answer", [], 5, .answered(tries: 1)),
    ("two 500s, then an answer", [.status(500), .status(503)], 5, .answered(tries: 3)),
    ("a 429, then an answer", [.status(429)], 5, .answered(tries: 2)),
    ("a slow answer past the timeout, then a quick one", [.slow(seconds: 3, then: .dynamic)], 1, .answered(tries: 2)),
    ("truncated JSON, then an answer", [.truncated], 5, .answered(tries: 2)),
    ("an HTML page, then an answer", [.malformed], 5, .answered(tries: 2)),
    ("a hang-up, then an answer", [.hangUp], 5, .answered(tries: 2)),
    ("500 every time", Array(repeating: .status(500), count: 4), 5, .failed(tries: 4, mentioning: "HTTP 500")),
    ("HTML every time", Array(repeating: .malformed, count: 4), 5, .failed(tries: 4, mentioning: "not JSON")),
    ("401: asking again will not help", [.status(401)], 5, .failed(tries: 1, mentioning: "HTTP 401")),
    ("404: a wrong model or path", [.status(404)], 5, .failed(tries: 1, mentioning: "HTTP 404")),
  ]

  @Test("Faults of the server: retried when retrying can help, a clear error when it cannot", arguments: cases)
  func faults(_ example: (name: String, script: [FaultServer.Behavior], timeout: Double, expect: Expect)) async throws {
    let server = try FaultServer(script: example.script)
    defer { server.stop() }
    let client = Self.client(server.baseURL, timeout: example.timeout)
    switch example.expect {
    case .answered(let tries):
      let answer = try await client.complete(.prompt("def f():\n"), sampling: Sampling(), seed: 1)
      #expect(answer.tries == tries, "\(example.name)")
      #expect(answer.text == "    return 0\n")
      #expect(answer.usage.completionTokens > 0 && answer.usage.milliseconds > 0)
      #expect(server.requests.count == tries)
    case .failed(let tries, let mentioning):
      let error = await #expect(throws: ModelServerError.self, "\(example.name)") {
        try await client.complete(.prompt("def f():\n"), sampling: Sampling(), seed: 1)
      }
      #expect(error?.tries == tries, "\(example.name)")
      #expect(error?.description.contains(mentioning) == true, "\(String(describing: error))")
      #expect(error?.description.contains(server.baseURL) == true)
      #expect(server.requests.count == tries)
    }
  }

  @Test("429 with Retry-After: the client waits as long as the server asks")
  func retryAfter() async throws {
    let server = try FaultServer(script: [.status(429, headers: ["Retry-After": "1"])])
    defer { server.stop() }
    let started = ContinuousClock.now
    let answer = try await Self.client(server.baseURL).complete(.prompt("x"), sampling: Sampling(), seed: 1)
    #expect(answer.tries == 2)
    #expect(ContinuousClock.now - started >= .milliseconds(950))
  }

  @Test("A refused connection is retried, then named")
  func refused() async throws {
    let port = FaultServer.refusingPort()
    let error = await #expect(throws: ModelServerError.self) {
      try await Self.client("http://127.0.0.1:\(port)/v1", retries: 2).complete(
        .prompt("x"), sampling: Sampling(), seed: 1)
    }
    #expect(error?.tries == 3)
    #expect(error?.description.contains("127.0.0.1:\(port)") == true, "\(String(describing: error))")
  }

  @Test("The request is what the API expects: model, sampling, seed, stop; chat sends messages")
  func requestShape() async throws {
    let server = try FaultServer()
    defer { server.stop() }
    let sampling = Sampling(temperature: 0.2, topP: 0.9, maxTokens: 64, stop: ["\ndef "])
    _ = try await Self.client(server.baseURL).complete(.prompt("def f():\n"), sampling: sampling, seed: 7)
    _ = try await Self.client(server.baseURL, api: .chat).complete(
      .messages([ChatMessage(role: "user", content: "hi")]), sampling: sampling, seed: 8)
    let bodies = server.requests.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(bodies.count == 2)
    #expect(bodies.first?["prompt"] as? String == "def f():\n" && bodies.first?["seed"] as? Int == 7)
    #expect(bodies.first?["max_tokens"] as? Int == 64 && bodies.first?["stop"] as? [String] == ["\ndef "])
    #expect(bodies.first?["temperature"] as? Double == 0.2 && bodies.first?["model"] as? String == "m")
    let messages = bodies.last?["messages"] as? [[String: String]]
    #expect(messages == [["role": "user", "content": "hi"]] && bodies.last?["seed"] as? Int == 8)
  }

  @Test("At most `concurrency` requests are in flight")
  func concurrency() async throws {
    let server = try FaultServer(fallback: .slow(seconds: 0.3, then: .dynamic))
    defer { server.stop() }
    let client = Self.client(server.baseURL)  // concurrency 2
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for seed in 0..<6 {
        group.addTask { _ = try await client.complete(.prompt("x"), sampling: Sampling(), seed: UInt64(seed)) }
      }
      try await group.waitForAll()
    }
    // Six requests of 0.3 s, two at a time: three waves.
    #expect(ContinuousClock.now - started >= .milliseconds(850))
    #expect(server.requests.count == 6)
  }
}
