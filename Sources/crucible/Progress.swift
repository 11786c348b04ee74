import Foundation
import Synchronization

/// A progress display: a live bar on a terminal, a plain line per item
/// otherwise (CI logs). Thread-safe. Item lines and notes are shown with
/// `Output.line`: they carry task ids and verdicts, which candidates wrote.
final class Progress: Sendable {
  private struct State {
    var done = 0
    var good = 0
  }
  private let total: Int
  private let label: String
  private let goodLabel: String
  private let started = Date()
  private let state = Mutex(State())
  private let live: Bool

  /// Plain mode prints only important lines, and a count every tenth.
  private let terse: Bool
  /// More to show at the end of the line (a model's tokens per second).
  private let status: (@Sendable () -> String?)?

  /// `live` defaults to whether standard error is a terminal.
  init(
    total: Int, label: String, goodLabel: String, terse: Bool = false, live: Bool? = nil,
    status: (@Sendable () -> String?)? = nil
  ) {
    self.total = total
    self.label = label
    self.goodLabel = goodLabel
    self.terse = terse
    self.live = live ?? (isatty(STDERR_FILENO) == 1)
    self.status = status
  }

  /// A line about something other than an item (above the bar when live).
  func note(_ line: String) {
    FileHandle.standardError.write(Data(noteText(line).utf8))
  }

  /// What `note` writes.
  func noteText(_ line: String) -> String {
    (live ? "\r\u{1B}[K" : "") + Output.line(line) + "\n"
  }

  /// One item finished; `line` is printed in plain mode (and above the bar
  /// in live mode when `important`).
  func advance(good: Bool, line: String, important: Bool = false) {
    let (done, goodCount) = state.withLock { s in
      s.done += 1
      if good { s.good += 1 }
      return (s.done, s.good)
    }
    let elapsed = Date().timeIntervalSince(started)
    if let text = advanceText(done: done, good: goodCount, line: line, important: important, elapsed: elapsed) {
      FileHandle.standardError.write(Data(text.utf8))
    }
  }

  /// What `advance` writes when `done` items have finished, `good` of them
  /// good, after `elapsed` seconds; nil for nothing.
  func advanceText(done: Int, good: Int, line: String, important: Bool, elapsed: Double) -> String? {
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    let eta = rate > 0 ? Double(total - done) / rate : 0
    let extra = status?().map { ", " + Output.line($0) } ?? ""
    if live {
      let width = 30
      let filled = total > 0 ? width * done / total : width
      let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      var text = "\r\u{1B}[K"
      if important { text += Output.line(line) + "\n" }
      text += String(
        format: "%@ [%@] %d/%d, %d %@, %.1f/s, ETA %.0fs", label, bar, done, total, good, goodLabel, rate, eta)
      text += extra
      if done == total { text += "\n" }
      return text
    } else if !terse || important {
      return "[\(done)/\(total)] \(Output.line(line))\(extra)\n"
    } else if total > 0, done * 10 / total != (done - 1) * 10 / total || done == total {
      return "[\(done)/\(total)] \(label): \(good) \(goodLabel)\(extra)\n"
    }
    return nil
  }
}
