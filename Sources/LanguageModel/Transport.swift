import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Why one try failed, and whether another could help.
struct Fault: Error {
  var code: ModelServerError.Code
  var message: String
  var retryable: Bool
  var status: Int? = nil
  var retryAfter: Double? = nil
  /// A 400 or 422 to a request that asked for a stream: maybe a server
  /// that does not stream.
  var streamRefused = false
  /// The request never left: its connection was closed before a byte of
  /// it was written.
  var unsent = false
}

/// The head of an HTTP answer.
struct ReplyHead: Sendable {
  var status: Int
  var headers: HTTPHeaders

  func header(_ name: String) -> String? { headers.first(name: name) }
  var contentType: String { header("Content-Type")?.lowercased() ?? "" }
}

/// An answer's body as it arrives: each chunk marks the exchange active
/// (for the idle watchdog) and counts against the size cap.
final class BodyReader {
  private var iterator: HTTPClientResponse.Body.AsyncIterator
  private let activity: Activity
  private let cap: Int
  private(set) var bytes = 0

  init(_ body: HTTPClientResponse.Body, activity: Activity, cap: Int) {
    iterator = body.makeAsyncIterator()
    self.activity = activity
    self.cap = cap
  }

  /// The next chunk, nil at the end.
  func next() async throws -> ByteBuffer? {
    guard let chunk = try await iterator.next() else { return nil }
    activity.touch()
    bytes += chunk.readableBytes
    guard bytes <= cap else {
      throw Fault(
        code: .tooLarge, message: "the answer is over the \(cap)-byte cap (\(bytes) bytes read)", retryable: false)
    }
    return chunk
  }

  /// At least the first `count` bytes of the rest of the body (all of it
  /// when shorter), not waiting for more.
  func prefix(_ count: Int) async throws -> Data {
    var data = Data()
    while data.count < count, let chunk = try await next() { data.append(contentsOf: chunk.readableBytesView) }
    return data
  }

  /// The rest of the body, up to the cap.
  func collect() async throws -> Data {
    var data = Data()
    while let chunk = try await next() { data.append(contentsOf: chunk.readableBytesView) }
    return data
  }
}

/// When the last byte came (nil before the first): what the idle watchdog
/// reads.
final class Activity: Sendable {
  private let last = Mutex<ContinuousClock.Instant?>(nil)
  func touch() { last.withLock { $0 = .now } }
  var lastByte: ContinuousClock.Instant? { last.withLock { $0 } }
}

/// HTTP on AsyncHTTPClient: one `HTTPClient` for the whole run (made on
/// the first request, so a client that never asks opens nothing), its
/// pool as large as the concurrency. Each exchange runs beside a watchdog
/// that ends it at the request's deadline, or when an answer that has
/// begun goes `idleTimeout` without a byte; cancelling the calling task
/// cancels the request (AsyncHTTPClient closes its connection).
final class Transport: Sendable {
  let configuration: ServerConfiguration
  private let state = Mutex<(client: HTTPClient?, closed: Bool)>((nil, false))

  init(_ configuration: ServerConfiguration) { self.configuration = configuration }

  deinit {
    // A safety net: the owner shuts down (and waits); should it forget,
    // the client still closes its connections.
    if let client = state.withLock({ $0.client }) { client.shutdown { _ in } }
  }

  private func client() throws(Fault) -> HTTPClient {
    let client = state.withLock { state -> HTTPClient? in
      if state.closed { return nil }
      if let client = state.client { return client }
      var http = HTTPClient.Configuration(
        redirectConfiguration: .disallow,
        timeout: .init(connect: .milliseconds(Int64(min(10, configuration.requestTimeout) * 1000))),
        connectionPool: .init(
          idleTimeout: .seconds(60),
          concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, configuration.concurrency)))
      // A refused connection fails the request now; the client's own
      // retries (with backoff and a count) decide what happens next.
      http.connectionPool.retryConnectionEstablishment = false
      http.decompression = .disabled
      let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: http)
      state.client = client
      return client
    }
    guard let client else {
      throw Fault(code: .unreachable, message: "the model client was shut down", retryable: false)
    }
    return client
  }

  /// Closes every connection and waits for the client to stop; requests
  /// after this fail. Safe to call more than once.
  func shutdown() async {
    let client = state.withLock { state -> HTTPClient? in
      state.closed = true
      defer { state.client = nil }
      return state.client
    }
    try? await client?.shutdown()
  }

  /// POSTs `body` as JSON to `url` and hands the answer to `handle`, within
  /// the deadline and the idle timeout. Throws a `Fault`, or
  /// `CancellationError` when the calling task was cancelled.
  func post<T: Sendable>(
    _ url: URL, body: Data, accept: String,
    handle: @escaping @Sendable (ReplyHead, BodyReader) async throws -> T
  ) async throws -> T {
    let http = try client()
    var request = HTTPClientRequest(url: url.absoluteString)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Accept", value: accept)
    if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
    request.body = .bytes(ByteBuffer(bytes: body))
    let prepared = request
    let activity = Activity()
    let timeout = configuration.requestTimeout
    let idle = configuration.idleTimeout
    let cap = configuration.maxAnswerBytes
    do {
      return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
          // AsyncHTTPClient's own deadline is a backstop: the watchdog's
          // comes first and says what happened.
          let response = try await http.execute(prepared, timeout: .milliseconds(Int64((timeout + 5) * 1000)))
          let head = ReplyHead(status: Int(response.status.code), headers: response.headers)
          return try await handle(head, BodyReader(response.body, activity: activity, cap: cap))
        }
        group.addTask {
          try await Self.watch(activity, timeout: timeout, idle: idle)
          return nil
        }
        defer { group.cancelAll() }
        while let result = try await group.next() {
          if let result { return result }
        }
        throw CancellationError()
      }
    } catch let fault as Fault {
      if Task.isCancelled { throw CancellationError() }
      throw fault
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw Self.fault(for: error, began: activity.lastByte != nil)
    }
  }

  /// Returns only when cancelled; throws a `Fault` at the deadline, or when
  /// bytes have stopped coming for `idle` seconds.
  static func watch(_ activity: Activity, timeout: Double, idle: Double) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
    let idleness = Duration.milliseconds(Int64(idle * 1000))
    while true {
      let now = clock.now
      if now >= deadline {
        throw Fault(
          code: .timeout, message: "no complete answer within the request timeout (\(seconds(timeout)))",
          retryable: true)
      }
      let last = activity.lastByte
      if let last, now - last >= idleness {
        throw Fault(
          code: .stalled, message: "the answer stalled: no byte for \(seconds(idle)) (the idle timeout)",
          retryable: true)
      }
      // Before the first byte, looks again every `idle` (bytes may begin).
      try await Task.sleep(until: min(deadline, (last ?? now) + idleness), clock: clock)
    }
  }

  static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }

  /// What a transport error means to a user; `began` when bytes of the
  /// answer had come.
  static func fault(for error: any Error, began: Bool) -> Fault {
    if let error = error as? HTTPClientError {
      switch error {
      case .connectTimeout:
        return Fault(code: .unreachable, message: "could not connect (connect timeout)", retryable: true)
      case .remoteConnectionClosed:
        return Fault(
          code: .connectionLost,
          message: began ? "the connection was closed before the answer ended" : "the server closed the connection",
          retryable: true)
      case .deadlineExceeded, .readTimeout:
        return Fault(code: .timeout, message: "no complete answer within the request timeout", retryable: true)
      case .cancelled:
        return Fault(code: .connectionLost, message: "the request was cancelled", retryable: true)
      default:
        return Fault(code: .connectionLost, message: "HTTP error: \(error)", retryable: true)
      }
    }
    if let errno = errnoCode(error) {
      switch errno {
      case ECONNREFUSED: return Fault(code: .unreachable, message: "connection refused", retryable: true)
      case ECONNRESET, EPIPE:
        return Fault(code: .connectionLost, message: "the connection was reset", retryable: true)
      case EHOSTUNREACH, ENETUNREACH, ETIMEDOUT:
        return Fault(code: .unreachable, message: "the host cannot be reached", retryable: true)
      default:
        return Fault(
          code: .connectionLost, message: "connection error: \(String(cString: strerror(errno)))", retryable: true)
      }
    }
    if let error = error as? ChannelError, case .ioOnClosedChannel = error {
      return Fault(
        code: .connectionLost, message: "the server had closed the connection", retryable: true, unsent: true)
    }
    if let error = error as? NIOConnectionError, error.dnsAError != nil || error.dnsAAAAError != nil {
      return Fault(code: .unreachable, message: "host not found: \(error.host)", retryable: true)
    }
    if let error = error as? HTTPParserError, error == .invalidEOFState {
      return Fault(code: .connectionLost, message: "the connection was closed before the answer ended", retryable: true)
    }
    if error is HTTPParserError {
      return Fault(code: .malformed, message: "the answer is not valid HTTP (\(error))", retryable: true)
    }
    return Fault(code: .connectionLost, message: "connection error: \(error)", retryable: true)
  }

  /// The errno behind a NIO error, where there is one.
  static func errnoCode(_ error: any Error) -> Int32? {
    if let error = error as? IOError { return error.errnoCode }
    if let error = error as? NIOConnectionError {
      return error.connectionErrors.lazy.compactMap { errnoCode($0.error) }.first
    }
    if let error = error as? ChannelError, case .connectTimeout = error { return ETIMEDOUT }
    return nil
  }
}
