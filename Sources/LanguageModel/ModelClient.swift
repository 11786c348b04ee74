import Foundation
import NIOCore
import Policy
import Support
import Synchronization

/// An OpenAI-compatible HTTP client on AsyncHTTPClient: answers streamed
/// (server-sent events) where the server streams, whole where it does
/// not; at most `concurrency` requests in flight (a wait for a slot ends
/// when the caller is cancelled); a deadline per request and an idle
/// timeout within an answer; retries with jittered exponential backoff,
/// `Retry-After` honoured. Every failure is a `ModelServerError` naming
/// the URL, or `CancellationError` when the caller was cancelled: nothing
/// the server does can trap. Call `shutdown()` when done (or use `with`).
public final class ModelClient: Sendable {
  public let configuration: ServerConfiguration
  /// Tokens and request time so far, for progress lines.
  public let meter = ModelMeter()
  let transport: Transport
  let gate: Gate

  enum StreamSupport: Sendable { case unknown, yes, no }
  private let streams: Mutex<StreamSupport>

  public init(_ configuration: ServerConfiguration) {
    self.configuration = configuration
    transport = Transport(configuration)
    gate = Gate(permits: configuration.concurrency)
    streams = Mutex(configuration.streaming == .off ? .no : .unknown)
  }

  /// Runs `body` with a client, shutting it down after, whether `body`
  /// returned or threw.
  public static func with<T>(_ configuration: ServerConfiguration, _ body: (ModelClient) async throws -> T)
    async throws -> T
  {
    let client = ModelClient(configuration)
    do {
      let result = try await body(client)
      await client.shutdown()
      return result
    } catch {
      await client.shutdown()
      throw error
    }
  }

  /// Closes every connection and waits for the HTTP client to stop. Safe
  /// to call more than once; requests after it fail.
  public func shutdown() async { await transport.shutdown() }

  var endpoint: URL { configuration.endpoint }

  /// Whether this server streams: unknown until an answer says.
  var streamSupport: StreamSupport { streams.withLock { $0 } }

  /// Asks once (retrying faults), with `seed` for reproducible sampling.
  public func complete(_ input: ModelInput, sampling: Sampling, seed: UInt64) async throws -> ModelAnswer {
    try await gate.withPermit { try await ask(input, sampling: sampling, seed: seed) }
  }

  func ask(_ input: ModelInput, sampling: Sampling, seed: UInt64) async throws -> ModelAnswer {
    let started = ContinuousClock.now
    var tries = 0
    while true {
      try Task.checkCancellation()
      tries += 1
      let fault: Fault
      do {
        var answer = try await once(input, sampling: sampling, seed: seed)
        answer.tries = tries
        answer.usage.milliseconds = (ContinuousClock.now - started).milliseconds
        return answer
      } catch let failure as Fault {
        fault = failure
      }
      guard fault.retryable, tries <= configuration.retries else {
        throw ModelServerError(
          code: fault.code, url: endpoint.absoluteString, message: SafeText.visible(fault.message, limit: 400),
          tries: tries, status: fault.status)
      }
      try await Task.sleep(for: .seconds(delay(retry: tries, retryAfter: fault.retryAfter)))
    }
  }

  /// Seconds before retry `retry` (1-based): `Retry-After` when the server
  /// gave one (capped), else full jitter over an exponential backoff.
  func delay(retry: Int, retryAfter: Double?) -> Double {
    if let retryAfter { return min(max(retryAfter, 0), configuration.maxBackoff) }
    let ceiling = min(configuration.maxBackoff, configuration.backoff * pow(2, Double(retry - 1)))
    return Double.random(in: (ceiling / 2)...max(ceiling / 2, ceiling))
  }

  /// One try, streamed unless the server is known not to stream. A server
  /// that refuses a stream request (400, 422) before it ever streamed is
  /// asked the same without; if that answers, it is not asked to stream
  /// again. A request that never left (its pooled connection was closed
  /// by the server while idle) is sent again at once, on a new one.
  func once(_ input: ModelInput, sampling: Sampling, seed: UInt64) async throws -> ModelAnswer {
    var request = Wire.Request(
      model: configuration.model, input: input, sampling: sampling, seed: seed, stream: streamSupport != .no)
    var resent = false
    while true {
      do {
        return try await exchange(request)
      } catch let fault as Fault {
        if fault.unsent && !resent {
          resent = true
        } else if fault.streamRefused && request.stream && streamSupport == .unknown {
          request.stream = false
          request.streamOptions = nil
        } else {
          throw fault
        }
      }
    }
  }

  /// One HTTP exchange: the answer, or the `Fault` that kept it from being one.
  func exchange(_ request: Wire.Request) async throws -> ModelAnswer {
    let api = configuration.api
    let meter = meter
    let id = meter.begin()
    do {
      let answer = try await transport.post(
        endpoint, body: request.encoded(),
        accept: request.stream ? "text/event-stream, application/json" : "application/json"
      ) { head, body in
        try await Self.read(head, body, api: api, streamed: request.stream) { meter.received(id, tokens: $0) }
      }
      meter.end(id, tokens: answer.usage.completionTokens, streamed: answer.streamed)
      if request.stream || streamSupport == .unknown {
        streams.withLock { $0 = answer.streamed ? .yes : .no }
      }
      return answer
    } catch {
      meter.end(id, tokens: nil, streamed: false)
      throw error
    }
  }

  /// The answer in a reply: a stream of events, a whole JSON body, or a
  /// status that is a fault.
  static func read(
    _ head: ReplyHead, _ body: BodyReader, api: ModelAPI, streamed: Bool, tokens: @Sendable (Int) -> Void
  ) async throws -> ModelAnswer {
    let status = head.status
    switch status {
    case 200..<300:
      // An event stream is read as one even if none was asked for.
      if head.contentType.hasPrefix("text/event-stream") {
        return try await readStream(body, api: api, tokens: tokens)
      }
      let data = try await body.collect()
      var parts = AnswerParts()
      do {
        try parts.add(try Wire.decode(Wire.Response.self, from: data), api: api, streamed: false)
      } catch {
        throw Fault(
          code: .malformed,
          message: "HTTP \(status) (\(head.contentType.isEmpty ? "no type" : head.contentType)): "
            + error.message, retryable: true, status: status)
      }
      return parts.answer(milliseconds: 0, streamed: false)
    case 300..<400:
      throw Fault(
        code: .redirect,
        message: "HTTP \(status), a redirect to \(head.header("Location") ?? "nowhere"), not followed: "
          + "--base-url should be the API root itself", retryable: false, status: status)
    default:
      let excerpt = try await body.prefix(300)
      let retryable = status == 408 || status == 425 || status == 429 || status >= 500
      let note =
        status == 429
        ? " (rate limited)"
        : status == 404 ? " (no such path or model; --base-url is the API root, as in http://host:8000/v1)" : ""
      throw Fault(
        code: .status, message: "HTTP \(status)\(note): \(Wire.excerpt(excerpt))",
        retryable: retryable, status: status, retryAfter: retryAfter(head.header("Retry-After")),
        streamRefused: streamed && (status == 400 || status == 422))
    }
  }

  /// Events until `[DONE]` (or the end, after a `finish_reason`).
  static func readStream(_ body: BodyReader, api: ModelAPI, tokens: @Sendable (Int) -> Void) async throws
    -> ModelAnswer
  {
    var events = ServerSentEvents(maxLine: 1 << 20)
    var parts = AnswerParts()
    var done = false
    func take(_ event: [UInt8]) throws(Fault) {
      if event.elementsEqual("[DONE]".utf8) {
        done = true
        return
      }
      let before = parts.textChunks
      do {
        try parts.add(try Wire.decode(Wire.Response.self, from: Data(event)), api: api, streamed: true)
      } catch {
        throw Fault(code: .malformed, message: "HTTP 200, streamed: \(error.message)", retryable: true, status: 200)
      }
      if parts.textChunks > before { tokens(parts.textChunks - before) }
    }
    while !done, let chunk = try await body.next() {
      let completed: [[UInt8]]
      do {
        completed = try events.feed(chunk.readableBytesView)
      } catch {
        throw Fault(
          code: .malformed, message: "HTTP 200, streamed: an event line over \(error.limit) bytes", retryable: true,
          status: 200)
      }
      for event in completed where !done { try take(event) }
    }
    // After [DONE] nothing more is read: the answer is whole, and a server
    // that keeps the body open after it must not turn it into a stall.
    // (AsyncHTTPClient closes a connection whose body was left unread.)
    if !done, let last = events.finish() {
      try take(last)
    }
    guard done || parts.finishReason != nil else {
      throw Fault(
        code: .connectionLost,
        message: "the stream ended before the answer did (no [DONE], no finish_reason, \(body.bytes) bytes)",
        retryable: true)
    }
    guard parts.sawChoice else {
      throw Fault(code: .malformed, message: "HTTP 200, streamed: no event held a choice", retryable: true, status: 200)
    }
    return parts.answer(milliseconds: 0, streamed: true)
  }

  /// `Retry-After` in seconds: a number, or an HTTP date.
  static func retryAfter(_ value: String?) -> Double? {
    guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    if let seconds = Double(value), seconds.isFinite { return max(0, seconds) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
  }
}
