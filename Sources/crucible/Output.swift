import Foundation
import Support

/// Printing for the CLI: results on stdout, diagnostics on stderr. Text
/// that may hold what a candidate or a model wrote (verdicts, task ids,
/// error messages) is shown with `SafeText`: no escape sequence or forged
/// line reaches the terminal.
enum Output {
  /// A diagnostic; its own newlines kept (a suite's problems, a line each),
  /// every other control character shown visibly.
  /// After Ctrl-C, nothing: what fails while the run unwinds is the
  /// interruption's doing, and the interruption says so itself.
  static func error(_ message: String) {
    guard Interrupt.signal == nil else { return }
    FileHandle.standardError.write(Data("crucible: \(SafeText.visible(message, singleLine: false))\n".utf8))
  }

  /// A line of information on stderr (a model's totals), made visible.
  static func note(_ message: String) {
    FileHandle.standardError.write(Data("crucible: \(line(message))\n".utf8))
  }

  /// JSON with sorted keys, one object per call; hidden characters in
  /// strings as JSON escapes (the same values).
  static func json(_ value: Any) {
    let data =
      (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    FileHandle.standardOutput.write(SafeText.json(data) + Data("\n".utf8))
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
