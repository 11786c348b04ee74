import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A small HTTP/1.1 server on loopback that answers like an
/// OpenAI-compatible model server, or fails the way real ones do. Each
/// request takes a behaviour: `choose` decides from the request's body when
/// it is given and says, else the next scripted one, else `fallback`. Good
/// answers are streamed (server-sent events, chunked) when the request asks
/// for a stream and the server `streams`, else whole; connections are kept
/// alive after an answer and closed after a fault. One thread per
/// connection. The answers and faults are in `FaultServer+Answers.swift`.
public final class FaultServer: @unchecked Sendable {
  public indirect enum Behavior: Sendable {
    /// 200 with this completion (the chat message's content too).
    case answer(String)
    /// 200 with the completion `answer(body)` makes.
    case dynamic
    /// 200 with a whole JSON answer even when a stream was asked for.
    case whole
    case status(Int, headers: [String: String] = [:], body: String = "{\"error\": \"injected\"}")
    /// Waits, then behaves as the next one (the wait ends if the client leaves).
    case slow(seconds: Double, then: Behavior)
    /// Reads the request and never answers, until the client leaves or the server stops.
    case hold
    /// 200 with a JSON body cut in half: the connection closes mid-body.
    case truncated
    /// 200 with an HTML page.
    case malformed
    /// 200, `application/json`, with bytes that are nothing.
    case garbage
    /// 200 with JSON whose text holds bytes that are not UTF-8.
    case invalidUTF8
    /// 200 with JSON whose choice has no text and no message.
    case missingField
    /// Closes the connection without a word.
    case hangUp
    /// Resets the connection (RST) without a word.
    case reset
    /// The answer one byte every `interval` seconds.
    case trickle(interval: Double)
    /// A valid answer whose text makes the body `bytes` long.
    case oversize(bytes: Int)
    /// 307 to `location`.
    case redirect(String)
    /// A good answer streamed one chunk every `interval` seconds.
    case paced(interval: Double)
    /// A stream that sends `after` text chunks, then nothing, the
    /// connection open (until the client leaves or the server stops).
    case stallMidStream(after: Int)
    /// A whole stream, `[DONE]` and all, then the body kept open.
    case holdAfterDone
    /// A stream whose connection closes after `after` text chunks.
    case cutMidStream(after: Int)
  }

  public let port: UInt16
  public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
  /// Whether a request that asks for a stream gets one.
  public let streams: Bool
  /// Whether a request that asks for a stream gets a 400 (a server that
  /// knows no streaming and says so).
  public let refusesStreams: Bool
  /// Seconds between the chunks of a streamed answer.
  public let chunkDelay: Double
  let listener: Int32
  let lock = NSCondition()
  var script: [Behavior]
  let fallback: Behavior
  let choose: (@Sendable (String) -> Behavior?)?
  let answer: @Sendable (String) -> String
  /// Whether request bodies are kept (`requests`); a soak only counts them.
  let keepsBodies: Bool
  var bodies: [String] = []
  var received = 0
  var departed = 0
  var lastDeparture: ContinuousClock.Instant?
  var streamed = 0
  var open: Set<Int32> = []
  var stopped = false

  /// `answer` makes the completion for a request body when a behaviour is
  /// `.dynamic`; `choose` picks a behaviour from the body (nil: the script's).
  public init(
    script: [Behavior] = [], fallback: Behavior = .dynamic, streams: Bool = true, refusesStreams: Bool = false,
    chunkDelay: Double = 0, keepsBodies: Bool = true, choose: (@Sendable (String) -> Behavior?)? = nil,
    answer: @escaping @Sendable (String) -> String = { _ in "    return 0\n" }
  ) throws {
    self.script = script
    self.fallback = fallback
    self.streams = streams
    self.refusesStreams = refusesStreams
    self.chunkDelay = chunkDelay
    self.keepsBodies = keepsBodies
    self.choose = choose
    self.answer = answer
    let (listener, port) = try Self.bind(listening: true)
    self.listener = listener
    self.port = port
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// A socket on a free loopback port; listening or not.
  static func bind(listening: Bool) throws -> (Int32, UInt16) {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw POSIXError(.EMFILE) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, !listening || listen(socket, 128) == 0 else {
      close(socket)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
    }
    return (socket, UInt16(bigEndian: address.sin_port))
  }

  /// A loopback port where connections are refused: bound and never
  /// listened on, and held (for the life of the process) so that no other
  /// server can take it.
  public static func refusingPort() -> UInt16 {
    (try? bind(listening: false))?.1 ?? 9
  }

  /// Request bodies received so far (none kept without `keepsBodies`).
  public var requests: [String] { lock.withLock { bodies } }
  /// Requests received so far.
  public var requestCount: Int { lock.withLock { received } }
  /// Times a client left while its request was held, stalled or trickled.
  public var departures: Int { lock.withLock { departed } }
  /// When the server last saw a client leave (on its own thread, so a busy
  /// test process does not delay the reading).
  public var lastDepartureTime: ContinuousClock.Instant? { lock.withLock { lastDeparture } }
  /// Answers sent as streams.
  public var streamedAnswers: Int { lock.withLock { streamed } }
  /// Connections open now.
  public var openConnections: Int { lock.withLock { open.count } }

  /// Replaces what the next requests get.
  public func script(_ behaviors: [Behavior]) { lock.withLock { script = behaviors } }

  /// Stops listening and ends every connection. The accept thread closes
  /// the listener itself: a descriptor closed here could be reused by
  /// another server's socket before that thread called accept again.
  /// (Descriptors are shut down and closed under the lock, so none is
  /// touched after its number could have been reused.)
  public func stop() {
    lock.withLock {
      guard !stopped else { return }
      stopped = true
      lock.broadcast()
      shutdown(listener, Int32(SHUT_RDWR))
      for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
    }
  }

  deinit { stop() }

  var isStopped: Bool { lock.withLock { stopped } }

  func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        let done = lock.withLock { () -> Bool in
          if stopped { _ = close(listener) }
          return stopped
        }
        if done { return }
        continue
      }
      let admitted = lock.withLock { () -> Bool in
        if stopped { return false }
        open.insert(connection)
        return true
      }
      guard admitted else {
        close(connection)
        continue
      }
      Thread { [self] in serve(connection) }.start()
    }
  }

  func serve(_ connection: Int32) {
    defer {
      lock.withLock {
        open.remove(connection)
        _ = close(connection)
      }
    }
    var pending = [UInt8]()
    while let body = readRequest(connection, &pending) {
      let behavior = lock.withLock { () -> Behavior in
        if keepsBodies { bodies.append(body) }
        received += 1
        if let chosen = choose?(body) { return chosen }
        return script.isEmpty ? fallback : script.removeFirst()
      }
      guard respond(connection, behavior, body: body), !isStopped else { return }
    }
  }

  /// Waits `seconds`, or until the server stops or the client leaves;
  /// false when the client left (counted) or the server stopped.
  func pause(_ connection: Int32, seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if isStopped { return false }
      var poller = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, Int32(min(50, max(1, deadline.timeIntervalSinceNow * 1000))))
      if ready > 0 {
        var byte: UInt8 = 0
        if recv(connection, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) <= 0 {
          lock.withLock {
            departed += 1
            lastDeparture = .now
          }
          return false
        }
      }
    }
    return !isStopped
  }

  /// The body of the next request on the connection (nil at its end),
  /// `pending` holding bytes read past it.
  func readRequest(_ connection: Int32, _ pending: inout [UInt8]) -> String? {
    var buffer = [UInt8](repeating: 0, count: 65536)
    let separator: [UInt8] = Array("\r\n\r\n".utf8)
    while true {
      if let end = pending.firstRange(of: separator) {
        let headers = String(decoding: pending[..<end.lowerBound], as: UTF8.self).lowercased()
        let length =
          headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
          .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        if pending.count >= end.upperBound + length {
          let body = String(decoding: pending[end.upperBound..<(end.upperBound + length)], as: UTF8.self)
          pending.removeFirst(end.upperBound + length)
          return body
        }
      }
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { return nil }
      pending.append(contentsOf: buffer[0..<count])
    }
  }

  /// Writes all of `bytes`; false when the connection is gone.
  @discardableResult
  func write(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { return false }
      sent += n
    }
    return true
  }
}
