/// A server-sent events parser (the `text/event-stream` format of
/// streamed OpenAI answers), fed bytes as they arrive, in chunks cut
/// anywhere. Only `data` fields matter here: each event is its data lines
/// joined by newlines. Lines end in LF, CRLF or CR; a line starting with a
/// colon is a comment (keep-alives); an event (its bytes, checked as
/// UTF-8 by whoever decodes them) is dispatched at a blank line. A line longer than `maxLine` bytes is an error, not memory spent.
struct ServerSentEvents {
  struct LineTooLong: Error {
    var limit: Int
  }

  let maxLine: Int
  private var line: [UInt8] = []
  private var data: [UInt8] = []
  private var hasData = false
  private var afterCR = false

  init(maxLine: Int) { self.maxLine = maxLine }

  /// The events completed by `bytes`, in order.
  mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(LineTooLong) -> [[UInt8]] {
    var events: [[UInt8]] = []
    for byte in bytes {
      if afterCR {
        afterCR = false
        if byte == UInt8(ascii: "\n") { continue }
      }
      switch byte {
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        afterCR = byte == UInt8(ascii: "\r")
        if let event = endLine() { events.append(event) }
      default:
        guard line.count < maxLine else { throw LineTooLong(limit: maxLine) }
        line.append(byte)
      }
    }
    return events
  }

  /// Processes the line read; an event when it was blank and data came.
  private mutating func endLine() -> [UInt8]? {
    defer { line.removeAll(keepingCapacity: true) }
    if line.isEmpty {
      guard hasData else { return nil }
      let event = data
      data.removeAll(keepingCapacity: true)
      hasData = false
      return event
    }
    if line.first == UInt8(ascii: ":") { return nil }
    let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
    guard line[..<colon].elementsEqual("data".utf8) else { return nil }
    var value = line[colon...].dropFirst()
    if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
    if hasData { data.append(UInt8(ascii: "\n")) }
    data.append(contentsOf: value)
    hasData = true
    return nil
  }

  /// What a stream that ended without its blank line still held: servers
  /// that close right after their last `data:` line.
  mutating func finish() -> [UInt8]? {
    if !line.isEmpty { _ = endLine() }
    line.removeAll()
    return endLine()
  }
}
