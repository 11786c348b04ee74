import Foundation

/// Where the jail binary and the harness directory are on this host.
public struct Components: Sendable, Equatable {
  /// The `crucible-jail` executable.
  public var jail: String
  /// The `harness/` directory, shown read-only as `/harness` in the jail.
  public var harness: String

  /// Finds both: `$CRUCIBLE_JAIL` or next to the running executable;
  /// `$CRUCIBLE_HARNESS` or the source checkout this binary was built from.
  public static func locate() throws -> Components {
    let environment = ProcessInfo.processInfo.environment
    let executableDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
      .deletingLastPathComponent().path
    let jail = environment["CRUCIBLE_JAIL"] ?? "\(executableDirectory)/crucible-jail"
    guard FileManager.default.isExecutableFile(atPath: jail) else {
      throw SandboxError(
        .componentMissing,
        "the jail binary \(jail) is missing; run `swift build` (it builds crucible-jail) or set CRUCIBLE_JAIL")
    }
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let harness = environment["CRUCIBLE_HARNESS"] ?? checkout.appendingPathComponent("harness").path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: "\(harness)/judge_server.py", isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw SandboxError(
        .componentMissing, "the harness directory \(harness) is missing; set CRUCIBLE_HARNESS")
    }
    return Components(jail: jail, harness: harness)
  }
}
