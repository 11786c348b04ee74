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
  /// Where the interpreter finds installed packages (site-packages,
  /// dist-packages): hidden in the jail, which shows the standard library
  /// only, so that no package's data (an answer key) is readable.
  public var packageDirectories: [String] = []

  public init(executable: String, basePrefix: String, version: String, packageDirectories: [String] = []) {
    self.executable = executable
    self.basePrefix = basePrefix
    self.version = version
    self.packageDirectories = packageDirectories
  }

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

  /// Directories to hide inside the jail, among those it shows at `shown`:
  /// every package directory, and `/usr/local` (where a host installs its
  /// own tools and packages) unless the interpreter lives there.
  public func masks(within shown: [String]) -> [String] {
    func inside(_ path: String) -> Bool { shown.contains { path == $0 || path.hasPrefix($0 + "/") } }
    // The system's Python packages too (Debian's dist-packages), whichever
    // interpreter runs.
    var system: [String] = []
    for lib in ["/usr/lib", "/usr/lib64"] {
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? [] where entry.hasPrefix("python3") {
        for name in ["site-packages", "dist-packages"] {
          var isDirectory: ObjCBool = false
          let path = "\(lib)/\(entry)/\(name)"
          if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            system.append(path)
          }
        }
      }
    }
    // Debian's wheels of pip and setuptools, importable from a zip.
    for wheels in ["/usr/share/python-wheels"] where FileManager.default.fileExists(atPath: wheels) {
      system.append(wheels)
    }
    var out = Array(Set(packageDirectories + system)).filter(inside)
    let local = "/usr/local"
    if inside(local) && !executable.hasPrefix(local + "/") && !basePrefix.hasPrefix(local + "/") && basePrefix != local
    {
      out.removeAll { $0.hasPrefix(local + "/") }
      out.append(local)
    }
    return out.sorted()
  }

  /// Resolves `requested` (a path or a command name; default: `$CRUCIBLE_PYTHON`,
  /// else `python3` on PATH) by asking the interpreter itself.
  public static func resolve(_ requested: String? = nil) throws -> PythonInterpreter {
    let environment = ProcessInfo.processInfo.environment
    let name = requested ?? environment["CRUCIBLE_PYTHON"] ?? "python3"
    guard let path = findExecutable(name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
      throw SandboxError(
        .interpreterNotFound,
        name.contains("/")
          ? "no executable Python interpreter at \(name)"
          : "no Python interpreter '\(name)' on PATH; install python3 or set CRUCIBLE_PYTHON")
    }
    let code = """
      import os, site, sys, sysconfig
      print(os.path.realpath(sys.executable))
      print(sys.base_prefix)
      print("%d.%d.%d" % sys.version_info[:3])
      dirs = site.getsitepackages() + [site.getusersitepackages()]
      dirs += [sysconfig.get_paths()[k] for k in ("purelib", "platlib")]
      for d in sorted(set(os.path.realpath(d) for d in dirs if os.path.isdir(d))):
          print(d)
      """
    let (status, output) = try Spawn.capture([path, "-I", "-S", "-c", code])
    let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    guard status == 0, lines.count >= 3 else {
      throw SandboxError(.interpreterNotFound, "\(path) did not answer as a Python 3 interpreter")
    }
    let parts = lines[2].split(separator: ".").compactMap { Int($0) }
    guard parts.count == 3, parts[0] == 3, parts[1] >= 8 else {
      throw SandboxError(.interpreterNotFound, "\(lines[0]) is Python \(lines[2]); Crucible needs 3.8 or later")
    }
    return PythonInterpreter(
      executable: lines[0], basePrefix: lines[1], version: lines[2], packageDirectories: Array(lines.dropFirst(3)))
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

extension PythonInterpreter {
  /// Where installed packages named by import name live on the host: each
  /// package's directory or module file, and the other top-level entries
  /// of its distribution (`numpy.libs` beside `numpy`). A job that needs a
  /// package gets these, read-only, under `/packages`, and nothing else of
  /// site-packages.
  public func packageLocations(_ names: [String]) throws -> [(name: String, path: String)] {
    guard !names.isEmpty else { return [] }
    let code = """
      import importlib.metadata, importlib.util, json, os, sys
      for name in sys.argv[1:]:
          try:
              spec = importlib.util.find_spec(name)
          except (ImportError, ValueError):
              spec = None
          if spec is None or "." in name:
              print(json.dumps({"name": name, "paths": None}))
              continue
          paths = set()
          if spec.submodule_search_locations:
              paths |= {os.path.realpath(p) for p in spec.submodule_search_locations}
          elif spec.origin:
              paths.add(os.path.realpath(spec.origin))
          for dist in importlib.metadata.packages_distributions().get(name, []):
              for f in importlib.metadata.distribution(dist).files or []:
                  parts = f.parts
                  if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith(".dist-info"):
                      continue
                  paths.add(os.path.realpath(os.path.join(str(f.locate())[: -len(str(f))], parts[0])))
          print(json.dumps({"name": name, "paths": sorted(p for p in paths if os.path.exists(p))}))
      """
    let (status, output) = try Spawn.capture([executable, "-I", "-c", code] + names)
    guard status == 0 else {
      throw SandboxError(.interpreterNotFound, "\(executable) could not look up the packages \(names)")
    }
    var out: [(String, String)] = []
    for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let name = object["name"] as? String
      else { continue }
      guard let paths = object["paths"] as? [String], !paths.isEmpty else {
        throw SandboxError(
          .packageNotFound,
          "no installed Python package '\(name)' for \(executable) (a top-level import name, as in `import \(name)`)")
      }
      out += paths.map { (name, $0) }
    }
    return out
  }
}
