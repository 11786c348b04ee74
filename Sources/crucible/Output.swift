import Foundation
import Glibc
import Support

/// Printing for the CLI: results on stdout, diagnostics on stderr. Text
/// that may hold what a candidate or a model wrote (verdicts, task ids,
/// error messages) is shown with `SafeText`: no escape sequence or forged
/// line reaches the terminal.
enum Output {
  /// Writes to stderr (2) or stdout (1), whole, and ignores a reader that
  /// went away: `crucible solve ... 2>&1 | head -1` must not stop the run
  /// (SIGPIPE is ignored at start; FileHandle.write would trap on EPIPE).
  static func write(_ text: String, to fd: Int32 = STDERR_FILENO) { write(Data(text.utf8), to: fd) }

  static func write(_ data: Data, to fd: Int32) {
    data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      guard var base = buffer.baseAddress else { return }
      var left = buffer.count
      while left > 0 {
        let written = Glibc.write(fd, base, left)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        left -= written
        base += written
      }
    }
  }

  /// A diagnostic; its own newlines kept (a suite's problems, a line each),
  /// every other control character shown visibly.
  /// After Ctrl-C, nothing: what fails while the run unwinds is the
  /// interruption's doing, and the interruption says so itself.
  static func error(_ message: String) {
    guard Interrupt.signal == nil else { return }
    Output.write("crucible: \(SafeText.visible(message, singleLine: false))\n")
  }

  /// A line of information on stderr (a model's totals), made visible.
  static func note(_ message: String) {
    Output.write("crucible: \(line(message))\n")
  }

  /// JSON with sorted keys, one object per call; hidden characters in
  /// strings as JSON escapes (the same values).
  static func json(_ value: Any) {
    let data =
      (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    Output.write(SafeText.json(data) + Data("\n".utf8), to: STDOUT_FILENO)
  }

  /// The most of a line's text shown (in scalars): a verdict's text can be
  /// long.
  static let lineLimit = 2000

  /// `text` as one line for the terminal: controls and hidden characters
  /// visible, at most `lineLimit` scalars of it.
  static func line(_ text: String) -> String { SafeText.visible(text, limit: lineLimit) }
}

/// Exit codes the CLI documents: 0 ok, 1 the program or check failed,
/// 2 bad input or an infrastructure failure.
enum ExitStatus {
  static let failed: Int32 = 1
  static let infrastructure: Int32 = 2
}
