import Foundation
import TestSupport
import Testing

@testable import LanguageModel

/// Settings the client tests share: quick backoff, short timeouts.
func testConfiguration(
  _ url: String, api: ModelAPI = .completions, retries: Int = 3, timeout: Double = 30, idle: Double = 10,
  concurrency: Int = 2, streaming: StreamingMode = .auto, maxAnswerBytes: Int = 1 << 20
) -> ServerConfiguration {
  ServerConfiguration(
    baseURL: URL(string: url)!, model: "m", api: api, requestTimeout: timeout, idleTimeout: idle, retries: retries,
    concurrency: concurrency, backoff: 0.05, maxBackoff: 2, streaming: streaming, maxAnswerBytes: maxAnswerBytes)
}

/// What to ask in `api`'s form.
func testInput(_ api: ModelAPI) -> ModelInput {
  api == .chat ? .messages([ChatMessage(role: "user", content: "def f():")]) : .prompt("def f():\n")
}

@Suite(.timeLimit(.minutes(5))) struct ClientFaultTests {
  /// A fault, then what the client must make of it.
  enum Expect: Sendable {
    /// Answered, after this many tries.
    case answered(tries: Int)
    /// Failed after this many tries, with this code and this in the message.
    case failed(tries: Int, code: ModelServerError.Code, mentioning: String)
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var script: [FaultServer.Behavior]
    var expect: Expect
    var retries = 3
    // Far away unless the case is about them: other tests can keep this
    // process's task pool busy for seconds.
    var timeout = 30.0
    var idle = 10.0
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "a clean answer", script: [], expect: .answered(tries: 1)),
    Case(name: "two 500s, then an answer", script: [.status(500), .status(503)], expect: .answered(tries: 3)),
    Case(name: "a 429, then an answer", script: [.status(429)], expect: .answered(tries: 2)),
    Case(
      name: "a 503 with Retry-After 0, then an answer", script: [.status(503, headers: ["Retry-After": "0"])],
      expect: .answered(tries: 2)),
    Case(
      name: "a slow answer past the timeout, then a quick one", script: [.slow(seconds: 30, then: .dynamic)],
      expect: .answered(tries: 2), timeout: 3),
    Case(name: "closed mid-body, then an answer", script: [.truncated], expect: .answered(tries: 2)),
    Case(name: "an HTML page, then an answer", script: [.malformed], expect: .answered(tries: 2)),
    Case(name: "garbage, then an answer", script: [.garbage], expect: .answered(tries: 2)),
    Case(name: "a hang-up, then an answer", script: [.hangUp], expect: .answered(tries: 2)),
    Case(name: "a reset, then an answer", script: [.reset], expect: .answered(tries: 2)),
    Case(
      name: "a stream cut mid-answer, then an answer", script: [.cutMidStream(after: 1)], expect: .answered(tries: 2)),
    Case(
      name: "a stream stalled mid-answer, then an answer", script: [.stallMidStream(after: 1)],
      expect: .answered(tries: 2), idle: 2),
    // Red team: the answer was whole at [DONE], but the client read on
    // and called it a stall.
    Case(
      name: "a whole stream, then the body held open after [DONE]: answered", script: [.holdAfterDone],
      expect: .answered(tries: 1), idle: 2),
    Case(
      name: "500 every time", script: Array(repeating: .status(500), count: 4),
      expect: .failed(tries: 4, code: .status, mentioning: "HTTP 500")),
    Case(
      name: "HTML every time", script: Array(repeating: .malformed, count: 4),
      expect: .failed(tries: 4, code: .malformed, mentioning: "text/html")),
    Case(
      name: "garbage every time", script: Array(repeating: .garbage, count: 2),
      expect: .failed(tries: 2, code: .malformed, mentioning: "UTF-8"), retries: 1),
    Case(
      name: "invalid UTF-8", script: [.invalidUTF8], expect: .failed(tries: 1, code: .malformed, mentioning: "UTF-8"),
      retries: 0),
    Case(
      name: "a missing field", script: [.missingField],
      expect: .failed(tries: 1, code: .malformed, mentioning: "has no choices[0]."), retries: 0),
    Case(
      name: "reset every time", script: Array(repeating: .reset, count: 2),
      expect: .failed(tries: 2, code: .connectionLost, mentioning: "reset"), retries: 1),
    Case(
      name: "closed mid-stream every time", script: Array(repeating: .cutMidStream(after: 2), count: 2),
      expect: .failed(tries: 2, code: .connectionLost, mentioning: "stream ended"), retries: 1),
    Case(
      name: "stalled mid-stream: caught by the idle timeout, not the request timeout",
      script: [.stallMidStream(after: 2)], expect: .failed(tries: 1, code: .stalled, mentioning: "idle timeout"),
      retries: 0, timeout: 60, idle: 2),
    Case(
      name: "trickling bytes: the request timeout", script: [.trickle(interval: 0.05)],
      expect: .failed(tries: 1, code: .timeout, mentioning: "request timeout"), retries: 0, timeout: 1),
    Case(
      name: "a body over the cap: not asked again", script: [.oversize(bytes: 2 << 20)],
      expect: .failed(tries: 1, code: .tooLarge, mentioning: "cap")),
    Case(
      name: "a redirect: not followed, not asked again", script: [.redirect("http://127.0.0.1:1/elsewhere")],
      expect: .failed(tries: 1, code: .redirect, mentioning: "http://127.0.0.1:1/elsewhere")),
    Case(
      name: "401: asking again will not help", script: [.status(401)],
      expect: .failed(tries: 1, code: .status, mentioning: "HTTP 401")),
    Case(
      name: "404: a wrong model or path", script: [.status(404)],
      expect: .failed(
        tries: 1, code: .status, mentioning: "HTTP 404 (no such path or model; --base-url is the API root")),
  ]

  @Test(
    "Faults of the server, both APIs: retried when retrying can help, a clear error naming the URL when it cannot",
    arguments: cases, [ModelAPI.completions, .chat])
  func faults(_ example: Case, api: ModelAPI) async throws {
    let server = try FaultServer(script: example.script)
    defer { server.stop() }
    let configuration = testConfiguration(
      server.baseURL, api: api, retries: example.retries, timeout: example.timeout, idle: example.idle)
    try await ModelClient.with(configuration) { client in
      switch example.expect {
      case .answered(let tries):
        let answer = try await client.complete(testInput(api), sampling: Sampling(), seed: 1)
        #expect(answer.tries == tries, "\(example.name)")
        #expect(answer.text == "    return 0\n")
        #expect(answer.usage.completionTokens > 0 && answer.usage.milliseconds > 0)
        #expect(server.requests.count == tries)
      case .failed(let tries, let code, let mentioning):
        let error = await #expect(throws: ModelServerError.self, "\(example.name)") {
          try await client.complete(testInput(api), sampling: Sampling(), seed: 1)
        }
        #expect(error?.tries == tries, "\(example.name)")
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.description.contains(mentioning) == true, "\(String(describing: error))")
        #expect(error?.description.contains(configuration.endpoint.absoluteString) == true)
        #expect(error.map { !$0.description.contains("\n") } == true)
        #expect(server.requests.count == tries)
      }
    }
  }

  @Test(
    "Retry-After, in seconds or as a date, is waited for; without it the backoff is short",
    arguments: [("429", 429, "1"), ("503", 503, "1"), ("a date", 503, "date")])
  func retryAfter(_ name: String, status: Int, after: String) async throws {
    let value = after == "date" ? Self.httpDate(secondsFromNow: 2) : after
    let server = try FaultServer(script: [.status(status, headers: ["Retry-After": value])])
    defer { server.stop() }
    let started = ContinuousClock.now
    let answer = try await ModelClient.with(testConfiguration(server.baseURL)) {
      try await $0.complete(.prompt("x"), sampling: Sampling(), seed: 1)
    }
    #expect(answer.tries == 2)
    // A date has one-second precision: at least a second of the two.
    #expect(ContinuousClock.now - started >= .milliseconds(950), "\(name)")
  }

  static func httpDate(secondsFromNow: Double) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: Date().addingTimeInterval(secondsFromNow))
  }

  @Test("A refused connection is retried, then named")
  func refused() async throws {
    let port = FaultServer.refusingPort()
    let error = await #expect(throws: ModelServerError.self) {
      try await ModelClient.with(testConfiguration("http://127.0.0.1:\(port)/v1", retries: 2)) {
        try await $0.complete(.prompt("x"), sampling: Sampling(), seed: 1)
      }
    }
    #expect(error?.tries == 3 && error?.code == .unreachable)
    #expect(error?.description.contains("127.0.0.1:\(port)") == true, "\(String(describing: error))")
    #expect(error?.description.contains("connection refused") == true, "\(String(describing: error))")
  }

  @Test("The request is what the API expects: model, sampling, seed, stop, stream; chat sends messages")
  func requestShape() async throws {
    let server = try FaultServer()
    defer { server.stop() }
    let sampling = Sampling(temperature: 0.2, topP: 0.9, maxTokens: 64, stop: ["\ndef "])
    try await ModelClient.with(testConfiguration(server.baseURL)) { client in
      _ = try await client.complete(.prompt("def f():\n"), sampling: sampling, seed: 7)
    }
    try await ModelClient.with(testConfiguration(server.baseURL, api: .chat, streaming: .off)) { client in
      _ = try await client.complete(.messages([ChatMessage(role: "user", content: "hi")]), sampling: sampling, seed: 8)
    }
    let bodies = server.requests.compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(bodies.count == 2)
    #expect(bodies.first?["prompt"] as? String == "def f():\n" && bodies.first?["seed"] as? Int == 7)
    #expect(bodies.first?["max_tokens"] as? Int == 64 && bodies.first?["stop"] as? [String] == ["\ndef "])
    #expect(bodies.first?["temperature"] as? Double == 0.2 && bodies.first?["model"] as? String == "m")
    #expect(bodies.first?["stream"] as? Bool == true)
    #expect((bodies.first?["stream_options"] as? [String: Bool]) == ["include_usage": true])
    let messages = bodies.last?["messages"] as? [[String: String]]
    #expect(messages == [["role": "user", "content": "hi"]] && bodies.last?["seed"] as? Int == 8)
    #expect(bodies.last?["stream"] as? Bool == false && bodies.last?["stream_options"] == nil)
  }

  @Test("At most `concurrency` requests are in flight, over a pool of kept-alive connections")
  func concurrency() async throws {
    let server = try FaultServer(fallback: .slow(seconds: 0.3, then: .dynamic))
    defer { server.stop() }
    let started = ContinuousClock.now
    try await ModelClient.with(testConfiguration(server.baseURL, concurrency: 2)) { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for seed in 0..<6 {
          group.addTask { _ = try await client.complete(.prompt("x"), sampling: Sampling(), seed: UInt64(seed)) }
        }
        try await group.waitForAll()
      }
      // Six requests of 0.3 s, two at a time: three waves, two connections.
      #expect(ContinuousClock.now - started >= .milliseconds(850))
      #expect(server.openConnections <= 2)
    }
    #expect(server.requests.count == 6)
    #expect(await eventually { server.openConnections == 0 }, "shutdown closes the pool's connections")
  }
}
