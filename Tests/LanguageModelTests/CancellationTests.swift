import Foundation
import TestSupport
import Testing

@testable import LanguageModel

/// Cancelling the caller cancels the request: it ends at once with
/// `CancellationError`, the connection is closed (the server sees the
/// client leave), and the client serves the next request.
@Suite(.timeLimit(.minutes(3))) struct CancellationTests {
  enum Moment: String, CaseIterable, Sendable {
    /// The server has the request and says nothing.
    case midRequest
    /// The server has streamed part of the answer and says nothing more.
    case midStream
  }

  @Test("Cancelled mid-request and mid-stream, both APIs", arguments: Moment.allCases, ModelAPI.allCases)
  func cancelled(at moment: Moment, api: ModelAPI) async throws {
    let server = try FaultServer(script: [moment == .midRequest ? .hold : .stallMidStream(after: 2)])
    defer { server.stop() }
    // Timeouts far away: only the cancellation can end the request.
    try await ModelClient.with(testConfiguration(server.baseURL, api: api, timeout: 600, idle: 600)) { client in
      let request = Task { try await client.complete(testInput(api), sampling: Sampling(), seed: 1) }
      let reached = await eventually {
        moment == .midRequest ? server.requests.count == 1 : client.meter.snapshot.tokens >= 2
      }
      #expect(reached)
      let cancelled = ContinuousClock.now
      request.cancel()
      let result = await request.result
      #expect(throws: CancellationError.self) { try result.get() }
      #expect(await eventually { server.departures == 1 }, "the client closed the connection")
      // How soon the connection closed, as the server saw it: the cancel
      // reaches AsyncHTTPClient's event loop without waiting for this
      // process's task pool, which other tests may keep busy.
      let departed = try #require(server.lastDepartureTime)
      // Alone it takes milliseconds; beside the rest of the suite on 2
      // cores (a load average of 10 and more) it has taken 5 s. Far less
      // than the request's 600 s: it was the cancel that closed it.
      #expect(departed - cancelled < .seconds(15), "closed \(departed - cancelled) after the cancel")
      let next = try await client.complete(testInput(api), sampling: Sampling(), seed: 2)
      #expect(next.text == "    return 0\n")
      #expect(client.meter.snapshot.answers == 1)
    }
  }

  @Test("A request waiting for a slot stops waiting when cancelled; the one in flight is untouched")
  func gate() async throws {
    let server = try FaultServer(script: [.slow(seconds: 600, then: .dynamic)])
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL, timeout: 600, concurrency: 1)) { client in
      let first = Task { try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1) }
      #expect(await eventually { server.requests.count == 1 })
      let second = Task { try await client.complete(.prompt("x"), sampling: Sampling(), seed: 2) }
      #expect(await eventually { client.gate.counts.waiting == 1 })
      second.cancel()
      await #expect(throws: CancellationError.self) { try await second.value }
      #expect(client.gate.counts.waiting == 0 && client.gate.counts.free == 0)
      #expect(server.requests.count == 1 && server.departures == 0)
      first.cancel()
      await #expect(throws: CancellationError.self) { try await first.value }
      #expect(client.gate.counts.waiting == 0 && client.gate.counts.free == 1)
    }
  }

  @Test("Cancelled before asking: nothing is sent")
  func cancelledFirst() async throws {
    let server = try FaultServer()
    defer { server.stop() }
    try await ModelClient.with(testConfiguration(server.baseURL)) { client in
      let request = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await client.complete(.prompt("x"), sampling: Sampling(), seed: 1)
      }
      await #expect(throws: CancellationError.self) { try await request.value }
    }
    #expect(server.requests.isEmpty)
  }
}
