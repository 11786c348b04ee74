import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What the fault server writes for each behaviour.
extension FaultServer {
  /// Answers one request; true when the connection may serve another.
  func respond(_ connection: Int32, _ behavior: Behavior, body: String) -> Bool {
    let isChat = body.contains("\"messages\"")
    let wantsStream = body.contains("\"stream\":true")
    switch behavior {
    case .answer(let text): return good(connection, text, body: body, stream: wantsStream)
    case .dynamic: return good(connection, answer(body), body: body, stream: wantsStream)
    case .whole: return good(connection, answer(body), body: body, stream: false)
    case .status(let code, let headers, let text):
      return send(connection, code, headers, Array(text.utf8))
    case .slow(let seconds, let then):
      return pause(connection, seconds: seconds) && respond(connection, then, body: body)
    case .hold:
      _ = pause(connection, seconds: 3600)
      return false
    case .truncated:
      let full = Array(Self.completion("    return 0\n", chat: isChat, promptBytes: body.utf8.count).utf8)
      send(connection, 200, [:], Array(full.prefix(full.count / 2)), declaredLength: full.count)
      return false
    case .malformed:
      send(
        connection, 200, ["Content-Type": "text/html", "Connection": "close"],
        Array("<html><body>502 Bad Gateway</body></html>".utf8))
      return false
    case .garbage:
      send(connection, 200, ["Connection": "close"], (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
      return false
    case .invalidUTF8:
      let text = Self.completion("@@@", chat: isChat, promptBytes: 0)
      let parts = text.components(separatedBy: "@@@")
      send(connection, 200, ["Connection": "close"], Array(parts[0].utf8) + [0xFF, 0xFE, 0xC3] + Array(parts[1].utf8))
      return false
    case .missingField:
      send(
        connection, 200, ["Connection": "close"],
        Array(#"{"id": "x", "choices": [{"index": 0, "finish_reason": "stop"}]}"#.utf8))
      return false
    case .hangUp:
      return false
    case .reset:
      var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
      setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
      return false
    case .trickle(let interval):
      let full = Array(Self.completion(answer(body), chat: isChat, promptBytes: body.utf8.count).utf8)
      guard write(connection, head(200, [:], length: full.count)) else { return false }
      for byte in full {
        guard pause(connection, seconds: interval), write(connection, [byte]) else { return false }
      }
      return false
    case .oversize(let bytes):
      let text = String(repeating: "#", count: max(0, bytes))
      send(connection, 200, ["Connection": "close"], Array(Self.completion(text, chat: isChat, promptBytes: 0).utf8))
      return false
    case .redirect(let location):
      send(connection, 307, ["Location": location, "Connection": "close"], [])
      return false
    case .paced(let interval):
      return streamAnswer(connection, answer(body), body: body, stopAfter: nil, interval: interval)
    case .stallMidStream(let after):
      if streamAnswer(connection, answer(body), body: body, stopAfter: after) {
        _ = pause(connection, seconds: 3600)
      }
      return false
    case .holdAfterDone:
      if streamAnswer(connection, answer(body), body: body, stopAfter: nil, terminate: false) {
        _ = pause(connection, seconds: 3600)
      }
      return false
    case .cutMidStream(let after):
      // The body ends cleanly, the answer does not: a generator that died.
      if streamAnswer(connection, answer(body), body: body, stopAfter: after) {
        write(connection, Array("0\r\n\r\n".utf8))
      }
      return false
    }
  }

  /// A good answer: streamed when asked and served so, else whole.
  func good(_ connection: Int32, _ text: String, body: String, stream: Bool) -> Bool {
    if stream && refusesStreams {
      return send(
        connection, 400, [:], Array(#"{"error": {"message": "stream is not supported", "type": "invalid"}}"#.utf8))
    }
    if stream && streams { return streamAnswer(connection, text, body: body, stopAfter: nil) }
    let chat = body.contains("\"messages\"")
    return send(connection, 200, [:], Array(Self.completion(text, chat: chat, promptBytes: body.utf8.count).utf8))
  }

  /// A streamed answer: `text` in chunks of up to three characters (a
  /// token each), a finishing chunk, a usage chunk when asked, `[DONE]`;
  /// chunked transfer encoding. With `stopAfter`, only that many chunks
  /// and no end. False when the client left.
  @discardableResult
  func streamAnswer(
    _ connection: Int32, _ text: String, body: String, stopAfter: Int?, interval: Double? = nil,
    terminate: Bool = true
  ) -> Bool {
    let delay = interval ?? chunkDelay
    let chat = body.contains("\"messages\"")
    var head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    if stopAfter != nil { head += "Connection: close\r\n" }
    head += "Transfer-Encoding: chunked\r\n\r\n"
    guard write(connection, Array(head.utf8)) else { return false }
    var pieces: [String] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      pieces.append(String(rest.prefix(3)))
      rest = rest.dropFirst(3)
    }
    var events = pieces.map { Self.chunk(piece: $0, finish: nil, chat: chat) }
    if let stopAfter {
      events = Array(events.prefix(stopAfter))
    } else {
      events.append(Self.chunk(piece: "", finish: "stop", chat: chat))
      if body.contains("\"include_usage\":true") {
        events.append(
          #"{"id":"x","choices":[],"usage":{"prompt_tokens":\#(body.utf8.count / 4),"completion_tokens":\#(pieces.count)}}"#
        )
      }
      events.append("[DONE]")
    }
    for (index, event) in events.enumerated() {
      if index > 0 && delay > 0 && !pause(connection, seconds: delay) { return false }
      let data = Array("data: \(event)\n\n".utf8)
      guard write(connection, Array(String(data.count, radix: 16).utf8) + [13, 10] + data + [13, 10]) else {
        return false
      }
    }
    guard stopAfter == nil else { return true }
    lock.withLock { streamed += 1 }
    return !terminate || write(connection, Array("0\r\n\r\n".utf8))
  }

  static func chunk(piece: String, finish: String?, chat: Bool) -> String {
    let content = Self.json(piece)
    let reason = finish.map { "\"\($0)\"" } ?? "null"
    return chat
      ? #"{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\#(content)},"finish_reason":\#(reason)}]}"#
      : #"{"id":"x","object":"text_completion","choices":[{"index":0,"text":\#(content),"finish_reason":\#(reason)}]}"#
  }

  static func json(_ text: String) -> String {
    String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
  }

  /// An OpenAI-shaped whole answer.
  static func completion(_ text: String, chat: Bool, promptBytes: Int) -> String {
    let content = json(text)
    let choice =
      chat
      ? #"{"index":0,"message":{"role":"assistant","content":\#(content)},"finish_reason":"stop"}"#
      : #"{"index":0,"text":\#(content),"finish_reason":"stop"}"#
    let usage = #"{"prompt_tokens":\#(promptBytes / 4),"completion_tokens":\#(max(1, text.count / 4))}"#
    return
      #"{"id":"x","object":"\#(chat ? "chat.completion" : "text_completion")","choices":[\#(choice)],"usage":\#(usage)}"#
  }

  func head(_ status: Int, _ headers: [String: String], length: Int) -> [UInt8] {
    var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Injected")\r\n"
    var all = ["Content-Type": "application/json"]
    all.merge(headers) { $1 }
    for (key, value) in all.sorted(by: { $0.key < $1.key }) { head += "\(key): \(value)\r\n" }
    head += "Content-Length: \(length)\r\n\r\n"
    return Array(head.utf8)
  }

  /// A whole answer; true when it was sent.
  @discardableResult
  func send(
    _ connection: Int32, _ status: Int, _ headers: [String: String], _ body: [UInt8], declaredLength: Int? = nil
  ) -> Bool {
    write(connection, head(status, headers, length: declaredLength ?? body.count) + body)
  }
}
