import Foundation

/// The real Python interpreter behind `python3` (not a pyenv shim), resolved
/// once, and the host paths the jail must show read-only for it to start.
public struct PythonInterpreter: Sendable, Equatable, Codable {
  /// The interpreter binary, symlinks resolved.
  public var executable: String
  /// `sys.base_prefix`: the installation holding the standard library.
  public var basePrefix: String
  /// `major.minor.micro`.
  public var version: String

  /// Host directories to bind read-only at the same path inside the jail.
  public var mounts: [String] {
    var out: [String] = []
    func add(_ path: String) {
      if path == "/usr" || path.hasPrefix("/usr/") { return }
      if !out.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { out.append(path) }
    }
    add(basePrefix)
    add((executable as NSString).deletingLastPathComponent)
    return out
  }

  /// Resolves `requested` (a path or a command name; default: `$CRUCIBLE_PYTHON`,
  /// else `python3` on PATH) by asking the interpreter itself.
  public static func resolve(_ requested: String? = nil) throws -> PythonInterpreter {
    let environment = ProcessInfo.processInfo.environment
    let name = requested ?? environment["CRUCIBLE_PYTHON"] ?? "python3"
    guard let path = findExecutable(name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
      throw SandboxError(
        .interpreterNotFound,
        "no Python interpreter '\(name)' on PATH; install python3 or set CRUCIBLE_PYTHON")
    }
    let code = """
      import os, sys
      print(os.path.realpath(sys.executable))
      print(sys.base_prefix)
      print("%d.%d.%d" % sys.version_info[:3])
      """
    let (status, output) = try Spawn.capture([path, "-I", "-S", "-c", code])
    let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    guard status == 0, lines.count == 3 else {
      throw SandboxError(.interpreterNotFound, "\(path) did not answer as a Python 3 interpreter")
    }
    let parts = lines[2].split(separator: ".").compactMap { Int($0) }
    guard parts.count == 3, parts[0] == 3, parts[1] >= 8 else {
      throw SandboxError(.interpreterNotFound, "\(lines[0]) is Python \(lines[2]); Crucible needs 3.8 or later")
    }
    return PythonInterpreter(executable: lines[0], basePrefix: lines[1], version: lines[2])
  }

  /// The first executable `name` on `path` (a colon-separated list), or `name` itself when it is a path.
  public static func findExecutable(_ name: String, path: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
