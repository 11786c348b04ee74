import Foundation
import Support
import Synchronization

/// What the model has produced in this run, for the progress line: answer
/// tokens and the time their requests took, streamed tokens counted as
/// they arrive. Thread-safe.
public final class ModelMeter: Sendable {
  /// The totals at one moment.
  public struct Snapshot: Sendable, Equatable {
    /// Answers received.
    public var answers: Int
    /// Of which streamed.
    public var streamed: Int
    /// Completion tokens, finished answers and those arriving.
    public var tokens: Int
    /// Seconds of requests, from sending to the last byte, summed.
    public var seconds: Double

    /// Tokens per second of a request (per request, not for the run: at
    /// a concurrency of 4 the server makes about four times as many).
    public var tokensPerSecond: Double { seconds > 0 ? Double(tokens) / seconds : 0 }
  }

  private struct Flight {
    var started: ContinuousClock.Instant
    var tokens: Int
  }

  private struct State {
    var answers = 0
    var streamed = 0
    var tokens = 0
    var seconds = 0.0
    var flights: [UInt64: Flight] = [:]
    var nextID: UInt64 = 0
  }

  private let state = Mutex(State())

  public init() {}

  /// A request begins; its id for `received` and `end`.
  func begin() -> UInt64 {
    state.withLock { state in
      state.nextID += 1
      state.flights[state.nextID] = Flight(started: .now, tokens: 0)
      return state.nextID
    }
  }

  /// `count` more tokens of request `id` arrived.
  func received(_ id: UInt64, tokens count: Int) {
    state.withLock { $0.flights[id]?.tokens += count }
  }

  /// Request `id` ended: with an answer of `tokens` tokens, or (nil)
  /// without one, which counts for nothing.
  func end(_ id: UInt64, tokens: Int?, streamed: Bool) {
    state.withLock { state in
      guard let flight = state.flights.removeValue(forKey: id), let tokens else { return }
      state.answers += 1
      if streamed { state.streamed += 1 }
      state.tokens += tokens
      state.seconds += (ContinuousClock.now - flight.started).seconds
    }
  }

  public var snapshot: Snapshot {
    state.withLock { state in
      let now = ContinuousClock.now
      let flying = state.flights.values.filter { $0.tokens > 0 }
      return Snapshot(
        answers: state.answers, streamed: state.streamed, tokens: state.tokens + flying.reduce(0) { $0 + $1.tokens },
        seconds: state.seconds + flying.reduce(0) { $0 + (now - $1.started).seconds })
    }
  }

  /// `61.8 tok/s`, or nil before any token.
  public var rateText: String? {
    let snapshot = snapshot
    guard snapshot.tokens > 0 else { return nil }
    return String(format: "%.1f tok/s", snapshot.tokensPerSecond)
  }

  /// `rateText`, as a function to call at each progress line.
  public var rateProvider: @Sendable () -> String? { { [self] in rateText } }

  /// A closing line: answers, tokens and the rate.
  public var summaryText: String? {
    let snapshot = snapshot
    guard snapshot.answers > 0 else { return nil }
    // Integers interpolated, not through `%d` (32 bits on Linux).
    let rate = String(format: "%.1f", snapshot.tokensPerSecond)
    return
      "model: \(snapshot.answers) answers (\(snapshot.streamed) streamed), \(snapshot.tokens) completion tokens, \(rate) tok/s per request"
  }
}
