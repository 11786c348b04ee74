import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A small HTTP/1.1 server on loopback that answers like an
/// OpenAI-compatible model server, or fails the way real ones do: each
/// request takes the next scripted behaviour, then `fallback`. One thread
/// per connection; every answer closes its connection.
public final class FaultServer: @unchecked Sendable {
  public enum Behavior: Sendable {
    /// 200 with a completion (`text` for the completions API and as the
    /// chat message's content).
    case answer(String)
    /// 200 with whatever the body is (`answer(for:)` decides per request).
    case dynamic
    case status(Int, headers: [String: String] = [:], body: String = "{\"error\": \"injected\"}")
    /// Waits, then behaves as the next one.
    indirect case slow(seconds: Double, then: Behavior)
    /// 200 with a JSON body cut in half.
    case truncated
    /// 200 with an HTML page.
    case malformed
    /// Closes the connection without a word.
    case hangUp
  }

  public let port: UInt16
  public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
  let listener: Int32
  let lock = NSLock()
  var script: [Behavior]
  let fallback: Behavior
  let answer: @Sendable (String) -> String
  var bodies: [String] = []
  var stopped = false

  /// `answer` makes the completion for a request body when a behaviour is
  /// `.dynamic`.
  public init(
    script: [Behavior] = [], fallback: Behavior = .dynamic,
    answer: @escaping @Sendable (String) -> String = { _ in "    return 0\n" }
  ) throws {
    self.script = script
    self.fallback = fallback
    self.answer = answer
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw POSIXError(.EMFILE) }
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(listener, 64) == 0 else {
      close(listener)
      throw POSIXError(.EADDRINUSE)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    self.listener = listener
    port = UInt16(bigEndian: address.sin_port)
    let thread = Thread { [self] in acceptLoop() }
    thread.start()
  }

  /// A loopback port with nothing listening: connections are refused.
  public static func refusingPort() -> UInt16 {
    guard let server = try? FaultServer() else { return 9 }
    server.stop()
    return server.port
  }

  /// Request bodies received so far.
  public var requests: [String] { lock.withLock { bodies } }

  /// Replaces what the next requests get.
  public func script(_ behaviors: [Behavior]) { lock.withLock { script = behaviors } }

  public func stop() {
    let first = lock.withLock { () -> Bool in
      defer { stopped = true }
      return !stopped
    }
    guard first else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  deinit { stop() }

  func acceptLoop() {
    while true {
      let connection = accept(listener, nil, nil)
      if connection < 0 {
        if lock.withLock({ stopped }) { return }
        continue
      }
      Thread { [self] in serve(connection) }.start()
    }
  }

  func serve(_ connection: Int32) {
    defer { close(connection) }
    guard let body = readRequest(connection) else { return }
    let behavior = lock.withLock { () -> Behavior in
      bodies.append(body)
      return script.isEmpty ? fallback : script.removeFirst()
    }
    respond(connection, behavior, body: body)
  }

  func respond(_ connection: Int32, _ behavior: Behavior, body: String) {
    switch behavior {
    case .answer(let text): send(connection, 200, [:], Self.completion(text, body: body))
    case .dynamic: send(connection, 200, [:], Self.completion(answer(body), body: body))
    case .status(let code, let headers, let text): send(connection, code, headers, text)
    case .slow(let seconds, let then):
      Thread.sleep(forTimeInterval: seconds)
      respond(connection, then, body: body)
    case .truncated:
      let full = Self.completion("    return 0\n", body: body)
      send(connection, 200, [:], String(full.prefix(full.count / 2)), declaredLength: full.utf8.count)
    case .malformed: send(connection, 200, ["Content-Type": "text/html"], "<html><body>502 Bad Gateway</body></html>")
    case .hangUp: return
    }
  }

  /// An OpenAI-shaped answer: chat if the request had messages.
  static func completion(_ text: String, body: String) -> String {
    let isChat = body.contains("\"messages\"")
    let choice: [String: Any] =
      isChat
      ? ["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]
      : ["index": 0, "text": text, "finish_reason": "stop"]
    let object: [String: Any] = [
      "id": "x", "object": isChat ? "chat.completion" : "text_completion", "choices": [choice],
      "usage": ["prompt_tokens": body.count / 4, "completion_tokens": max(1, text.count / 4)],
    ]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  func readRequest(_ connection: Int32) -> String? {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    var expected: Int?
    while true {
      if let headerEnd = data.range(of: Data("\r\n\r\n".utf8)) {
        if expected == nil {
          let headers = String(decoding: data[..<headerEnd.lowerBound], as: UTF8.self).lowercased()
          let length =
            headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
          expected = headerEnd.upperBound + length
        }
        if let expected, data.count >= expected {
          return String(decoding: data[headerEnd.upperBound..<expected], as: UTF8.self)
        }
      }
      let count = recv(connection, &buffer, buffer.count, 0)
      if count <= 0 { return nil }
      data.append(contentsOf: buffer[0..<count])
    }
  }

  func send(_ connection: Int32, _ status: Int, _ headers: [String: String], _ body: String, declaredLength: Int? = nil)
  {
    var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Injected")\r\n"
    var all = ["Content-Type": "application/json", "Connection": "close"]
    all.merge(headers) { $1 }
    for (key, value) in all.sorted(by: { $0.key < $1.key }) { head += "\(key): \(value)\r\n" }
    head += "Content-Length: \(declaredLength ?? body.utf8.count)\r\n\r\n"
    let bytes = Array((head + body).utf8)
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { return }
      sent += n
    }
  }
}
