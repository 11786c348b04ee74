import Foundation

/// Printing for the CLI: results on stdout, diagnostics on stderr.
enum Output {
  static func error(_ message: String) {
    FileHandle.standardError.write(Data("crucible: \(message)\n".utf8))
  }

  /// JSON with sorted keys, one object per call.
  static func json(_ value: Any) {
    let data =
      (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}

/// Exit codes the CLI documents: 0 ok, 1 the program or check failed,
/// 2 bad input or an infrastructure failure.
enum ExitStatus {
  static let failed: Int32 = 1
  static let infrastructure: Int32 = 2
}
