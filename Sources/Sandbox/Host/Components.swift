import Foundation
import Support

/// Where the jail binary and the harness directory are on this host.
public struct Components: Sendable, Equatable {
  /// The `crucible-jail` executable.
  public var jail: String
  /// The `harness/` directory, shown read-only as `/harness` in the jail.
  public var harness: String

  /// The harness's modules: the jail runs these and nothing else of
  /// `harness/` (its tools stay outside).
  public static let harnessModules = [
    "candidate.py", "channel.py", "judge_server.py", "plainvalues.py", "run_checker.py", "run_script.py",
    "run_tests.py", "runner.py", "testclock.py", "zygote.py",
  ]

  /// Finds both through the runtime home (`RuntimeHome`: `CRUCIBLE_HOME`,
  /// an install's `share/crucible`, or the checkout a build tree is in);
  /// every harness module must be there.
  public static func locate(_ given: RuntimeHome? = nil) throws -> Components {
    do throws(RuntimeFileMissing) {
      let home: RuntimeHome
      if let given { home = given } else { home = try RuntimeHome.locate() }
      let jail = try home.jail()
      let harness = try home.directory("harness", what: "the harness directory")
      for module in harnessModules {
        _ = try home.file("harness/\(module)", what: "the harness file \(module)")
      }
      return Components(jail: jail, harness: harness)
    } catch {
      throw SandboxError(.componentMissing, error.description)
    }
  }

  /// The harness's Python modules, as files of the jail's root under
  /// `/harness`: copied, not bound, so that nothing else of the directory
  /// (tools, the checkout around it) and no host path is in the jail.
  func harnessFiles() throws -> [JailConfiguration.RootFile] {
    try Self.harnessModules.map { name in
      guard let data = FileManager.default.contents(atPath: "\(harness)/\(name)") else {
        throw SandboxError(.componentMissing, "cannot read the harness file \(harness)/\(name)")
      }
      return JailConfiguration.RootFile(path: "/harness/\(name)", mode: 0o644, contents: Array(data))
    }
  }
}
