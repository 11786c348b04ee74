import Foundation

/// The checkpoint `crucible solve` uses by default: trained by
/// `crucible train` on `tasks/train` and committed as
/// `checkpoints/builtin.json` (README: "Learning" says how to make it
/// again). `CRUCIBLE_CHECKPOINT` names another file.
public enum Shipped {
  public static var path: String {
    if let override = ProcessInfo.processInfo.environment["CRUCIBLE_CHECKPOINT"] { return override }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("checkpoints/builtin.json").path
  }
}
