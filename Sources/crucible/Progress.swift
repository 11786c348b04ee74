import ArgumentParser
import Foundation
import Synchronization

/// How a command reports progress on stderr: a live bar on a terminal
/// (not with `TERM=dumb`), plain lines otherwise (CI logs), or nothing
/// with `--quiet`.
enum ProgressStyle: Sendable, Equatable {
  case live, plain, quiet

  /// From the command's `--quiet` and the terminal standard error is.
  static func detect(quiet: Bool) -> ProgressStyle {
    if quiet { return .quiet }
    let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
    return isatty(STDERR_FILENO) == 1 && term != "dumb" && !term.isEmpty ? .live : .plain
  }
}

/// The options that choose how much a command says while it works.
struct ProgressOptions: ParsableArguments {
  @Flag(help: "Print no progress: only errors, and the result at the end.") var quiet = false

  var style: ProgressStyle { .detect(quiet: quiet) }
}

/// A progress display. Thread-safe. Item lines and notes are shown with
/// `Output.line`: they carry task ids and verdicts, which candidates wrote.
///
/// Live, the bar is redrawn as items finish and every second in between
/// (with the elapsed time, so a long task is seen to be running), and
/// `finish` ends its line. Plain, every item is a line, or, `terse`, only
/// a heartbeat: a line at each tenth of the work and at least every 30
/// seconds (done, good, rate, ETA), never a line per failure.
final class Progress: Sendable {
  private struct State {
    var done = 0
    var good = 0
    /// The live bar is on screen with no newline after it.
    var barShown = false
    var lastHeartbeat = 0.0
    var finished = false
    /// Items begun and not yet finished, with when they began.
    var running: [String: Double] = [:]
  }
  private let total: Int
  private let label: String
  private let goodLabel: String
  private let started = Date()
  private let state = Mutex(State())
  private let style: ProgressStyle
  private let terse: Bool
  /// More to show at the end of the line (a model's tokens per second).
  private let status: (@Sendable () -> String?)?
  private let ticker = Mutex<Task<Void, Never>?>(nil)

  /// `live` overrides the style (tests): true for live, false for plain.
  init(
    total: Int, label: String, goodLabel: String, terse: Bool = false, live: Bool? = nil,
    style: ProgressStyle = .detect(quiet: false), status: (@Sendable () -> String?)? = nil
  ) {
    self.total = total
    self.label = label
    self.goodLabel = goodLabel
    self.terse = terse
    self.style = live.map { $0 ? .live : .plain } ?? style
    self.status = status
  }

  /// Starts redrawing the bar (live) or the heartbeat (plain, terse) while
  /// nothing finishes.
  func start() {
    guard style != .quiet else { return }
    let task = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(1))
        guard let self, !Task.isCancelled else { return }
        self.tick()
      }
    }
    ticker.withLock { $0 = task }
  }

  /// Ends the display: the live bar's line is finished, so what follows
  /// starts on a line of its own; the ticker stops.
  func finish() {
    ticker.withLock {
      $0?.cancel()
      $0 = nil
    }
    let text: String? = state.withLock { s in
      guard !s.finished else { return nil }
      s.finished = true
      // A bar on screen without its newline (the work stopped short of the
      // total: a resumed run, a failure) is ended here.
      guard style == .live, s.barShown else { return nil }
      s.barShown = false
      return "\r\u{1B}[K" + bar(done: s.done, good: s.good, elapsed: Date().timeIntervalSince(started)) + "\n"
    }
    if let text { Output.write(text) }
  }

  /// An item began (shown while it runs long); `advance(item:)` ends it.
  func begin(_ item: String) {
    let now = Date().timeIntervalSince(started)
    state.withLock { $0.running[item] = now }
  }

  /// The item that has run longest, when it has run 5 s or more:
  /// `, running power-of-two 45 s`.
  private func longest(_ s: State, elapsed: Double) -> String {
    guard let (item, began) = s.running.min(by: { $0.value < $1.value }), elapsed - began >= 5 else { return "" }
    return ", running \(Output.line(item)) \(Int(elapsed - began)) s"
  }

  /// A line about something other than an item (above the bar when live).
  func note(_ line: String) {
    guard style != .quiet else { return }
    Output.write(noteText(line))
  }

  /// A line about one item's detail: shown above a live bar, or in plain
  /// mode when not terse (a heartbeat says enough in a log).
  func detail(_ line: String) {
    guard style == .live || (style == .plain && !terse) else { return }
    note(line)
  }

  /// What `note` writes.
  func noteText(_ line: String) -> String {
    (style == .live ? "\r\u{1B}[K" : "") + Output.line(line) + "\n"
  }

  /// One item finished; `line` is printed in plain mode (and above the bar
  /// in live mode when `important`).
  func advance(good: Bool, line: String, important: Bool = false, item: String? = nil) {
    let elapsed = Date().timeIntervalSince(started)
    let text: String? = state.withLock { s in
      if let item { s.running[item] = nil }
      s.done += 1
      if good { s.good += 1 }
      let text = advanceText(
        done: s.done, good: s.good, line: line, important: important, elapsed: elapsed,
        sinceHeartbeat: elapsed - s.lastHeartbeat)
      if style == .plain, text != nil { s.lastHeartbeat = elapsed }
      if style == .live { s.barShown = s.done < total }
      return text
    }
    if let text { Output.write(text) }
  }

  func tick() {
    let elapsed = Date().timeIntervalSince(started)
    let text: String? = state.withLock { s in
      guard !s.finished else { return nil }
      switch style {
      case .live:
        s.barShown = true
        return "\r\u{1B}[K" + bar(done: s.done, good: s.good, elapsed: elapsed) + longest(s, elapsed: elapsed)
      case .plain where elapsed - s.lastHeartbeat >= 30 && (terse || !longest(s, elapsed: elapsed).isEmpty):
        // Off a terminal, a line at least every 30 s while something runs
        // long, so a log shows the run is alive and on what.
        s.lastHeartbeat = elapsed
        return heartbeat(done: s.done, good: s.good, elapsed: elapsed, running: longest(s, elapsed: elapsed))
      default:
        return nil
      }
    }
    if let text { Output.write(text) }
  }

  /// What `advance` writes when `done` items have finished, `good` of them
  /// good, after `elapsed` seconds; nil for nothing.
  func advanceText(
    done: Int, good: Int, line: String, important: Bool, elapsed: Double, sinceHeartbeat: Double = 0
  ) -> String? {
    switch style {
    case .quiet:
      return nil
    case .live:
      var text = "\r\u{1B}[K"
      if important { text += Output.line(line) + "\n" }
      text += bar(done: done, good: good, elapsed: elapsed)
      if done == total { text += "\n" }
      return text
    case .plain where !terse:
      return "[\(done)/\(total)] \(Output.line(line))\(extra)\n"
    case .plain:
      let tenth = total > 0 && (done * 10 / total != (done - 1) * 10 / total || done == total)
      return tenth || sinceHeartbeat >= 30 ? heartbeat(done: done, good: good, elapsed: elapsed) : nil
    }
  }

  private var extra: String { status?().map { ", " + Output.line($0) } ?? "" }

  private func rates(done: Int, elapsed: Double) -> (rate: Double, eta: Double) {
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    return (rate, rate > 0 ? Double(max(0, total - done)) / rate : 0)
  }

  private func bar(done: Int, good: Int, elapsed: Double) -> String {
    let (rate, eta) = rates(done: done, elapsed: elapsed)
    let width = 30
    let filled = total > 0 ? min(width, width * done / total) : width
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    return String(
      format: "%@ [%@] %d/%d, %d %@, %.1f/s, %.0fs, ETA %.0fs", label, bar, done, total, good, goodLabel, rate,
      elapsed, eta) + extra
  }

  private func heartbeat(done: Int, good: Int, elapsed: Double, running: String = "") -> String {
    let (rate, eta) = rates(done: done, elapsed: elapsed)
    return String(
      format: "[%d/%d] %@: %d %@, %.1f/s, %.0fs elapsed, ETA %.0fs", done, total, label, good, goodLabel, rate,
      elapsed, eta) + extra + running + "\n"
  }
}
