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

  /// The harness's Python modules, as files of the jail's root under
  /// `/harness`: copied, not bound, so that nothing else of the directory
  /// (tools, the checkout around it) and no host path is in the jail.
  func harnessFiles() throws -> [JailConfiguration.RootFile] {
    let names = try FileManager.default.contentsOfDirectory(atPath: harness).filter { $0.hasSuffix(".py") }.sorted()
    return try names.map { name in
      guard let data = FileManager.default.contents(atPath: "\(harness)/\(name)") else {
        throw SandboxError(.componentMissing, "cannot read the harness file \(harness)/\(name)")
      }
      return JailConfiguration.RootFile(path: "/harness/\(name)", mode: 0o644, contents: Array(data))
    }
  }
}
