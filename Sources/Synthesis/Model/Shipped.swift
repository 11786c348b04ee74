import Foundation
import Support

/// The checkpoint `crucible solve` uses by default: trained by
/// `crucible train` on `tasks/train` and shipped as
/// `checkpoints/builtin.json` in the runtime home (`RuntimeHome`; README:
/// "Learning" says how to make it again). `CRUCIBLE_CHECKPOINT` names
/// another file.
public enum Shipped {
  /// The checkpoint's path; a shipped one that is missing is an error
  /// naming where it was looked for.
  public static func path() throws(RuntimeFileMissing) -> String {
    if let override = ProcessInfo.processInfo.environment["CRUCIBLE_CHECKPOINT"] { return override }
    return try RuntimeHome.locate().file("checkpoints/builtin.json", what: "the shipped checkpoint builtin.json")
  }
}
