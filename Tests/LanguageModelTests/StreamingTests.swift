import Foundation
import TestSupport
import Testing

@testable import LanguageModel

@Suite(.timeLimit(.minutes(3))) struct StreamingTests {
  static func body(_ text: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
  }

  @Test(
    "Answers are streamed by default, both APIs: the text assembled, the usage chunk's counts",
    arguments: ModelAPI.allCases)
  func streamed(api: ModelAPI) async throws {
    let text = "    return sorted(xs)[::-1]\n"
    let server = try FaultServer(answer: { _ in text })
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, api: api)) { client in
      let answer = try await client.complete(testInput(api), sampling: Sampling(), seed: 1)
      #expect(answer.streamed && answer.text == text && answer.finishReason == "stop")
      // Chunks of three characters, a token each, as the server counted.
      #expect(answer.usage.completionTokens == (text.count + 2) / 3 && answer.usage.promptTokens > 0)
      #expect(client.streamSupport == .yes)
      let snapshot = client.meter.snapshot
      #expect(snapshot.answers == 1 && snapshot.streamed == 1 && snapshot.tokens == answer.usage.completionTokens)
    }
    #expect(server.streamedAnswers == 1)
  }

  @Test(
    "A server that does not stream is detected and served without it: it ignores the ask, or refuses it",
    arguments: [false, true])
  func notStreaming(refuses: Bool) async throws {
    let server = try FaultServer(streams: false, refusesStreams: refuses)
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL)) { client in
      let first = try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1)
      #expect(!first.streamed && first.tries == 1 && first.text == "    return 0\n")
      #expect(client.streamSupport == .no)
      let second = try await client.complete(.prompt("x"), sampling: Sampling(), seed: 2)
      #expect(!second.streamed && second.text == "    return 0\n")
    }
    let streamAsked = server.requests.map { Self.body($0)?["stream"] as? Bool }
    // Refused: asked with a stream, then at once without; then never again.
    #expect(streamAsked == (refuses ? [true, false, false] : [true, false]))
    #expect(server.streamedAnswers == 0)
  }

  @Test("--stream off: never asked for")
  func off() async throws {
    let server = try FaultServer()
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, streaming: .off)) { client in
      let answer = try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1)
      #expect(!answer.streamed)
    }
    #expect(server.requests.allSatisfy { Self.body($0)?["stream"] as? Bool == false })
  }

  @Test("A streamed answer's tokens count as they arrive, before the answer ends")
  func countedOnArrival() async throws {
    // Three chunks, then nothing: what is counted came before any end.
    let server = try FaultServer(script: [.stallMidStream(after: 3)])
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, timeout: 600, idle: 600)) { client in
      let request = Task { try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1) }
      #expect(await eventually { client.meter.snapshot.tokens >= 3 })
      #expect(client.meter.snapshot.answers == 0, "the answer has not ended")
      request.cancel()
      await #expect(throws: CancellationError.self) { try await request.value }
    }
  }

  @Test("The closing totals print counts past 32 bits as they are")
  func bigTotals() {
    let meter = ModelMeter()
    for _ in 0..<3 { meter.end(meter.begin(), tokens: Int(Int32.max), streamed: true) }
    #expect(meter.summaryText?.contains("3 answers (3 streamed), 6442450941 completion tokens") == true)
  }

  @Test("Tokens per second: the rate is completion tokens over request time")
  func meter() async throws {
    // Ten chunks 0.1 s apart.
    let server = try FaultServer(chunkDelay: 0.1, answer: { _ in String(repeating: "abc", count: 9) })
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL)) { client in
      let finished = try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1)
      #expect(finished.usage.completionTokens == 9)
      let snapshot = client.meter.snapshot
      #expect(snapshot.tokens == 9 && snapshot.seconds >= 0.9)
      #expect(snapshot.tokensPerSecond > 0 && snapshot.tokensPerSecond <= 10)
      #expect(client.meter.rateText?.hasSuffix(" tok/s") == true)
      #expect(client.meter.summaryText?.contains("1 answers (1 streamed), 9 completion tokens") == true)
    }
  }
}
