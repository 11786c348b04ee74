import Foundation

/// Where Crucible's runtime files are: the harness the jail runs
/// (`harness/`), the prompt templates (`prompts/`), the shipped checkpoint
/// (`checkpoints/`), and the jail executable. Found from the running
/// executable (`/proc/self/exe`), never from where the sources were
/// compiled, so that a binary works wherever it is installed and fails
/// clearly when something is missing.
///
/// The directory holding `harness/`, `prompts/` and `checkpoints/`:
///
/// - `CRUCIBLE_HOME`, when set;
/// - in an install (`PREFIX/bin/crucible`), `PREFIX/share/crucible`;
/// - in a build tree (`CHECKOUT/.build/debug/crucible`, or a test bundle
///   beside it), the checkout: the nearest directory above the executable
///   that holds `Package.swift` and `harness/`.
///
/// The jail: `CRUCIBLE_JAIL`, else `crucible-jail` beside the executable
/// (a build tree), else `PREFIX/libexec/crucible/crucible-jail`.
public struct RuntimeHome: Sendable, Equatable {
  /// How the home was found.
  public enum Origin: String, Sendable {
    case environment = "CRUCIBLE_HOME"
    case install = "install"
    case checkout = "checkout"
  }

  /// The directory holding `harness/`, `prompts/` and `checkpoints/`.
  public var root: String
  public var origin: Origin
  /// The running executable the home was found from (symlinks resolved).
  public var executable: String
  /// The environment it was found in (for `CRUCIBLE_JAIL`).
  var environment: [String: String]

  /// The running executable, symlinks resolved. When the file was
  /// replaced while it runs (a rebuild, an upgrade), the kernel names it
  /// `PATH (deleted)`: the path it was started from is still where its
  /// home is.
  public static var runningExecutable: String {
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
      return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
    let deleted = " (deleted)"
    return target.hasSuffix(deleted) ? String(target.dropLast(deleted.count)) : target
  }

  /// Finds the home of `executable` (default: the running one).
  public static func locate(
    executable: String = RuntimeHome.runningExecutable,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(RuntimeFileMissing) -> RuntimeHome {
    let bin = (executable as NSString).deletingLastPathComponent
    if let home = environment["CRUCIBLE_HOME"], !home.isEmpty {
      guard isDirectory(home) else {
        throw RuntimeFileMissing(what: "Crucible's runtime directory", looked: ["\(home) (CRUCIBLE_HOME)"])
      }
      return RuntimeHome(root: home, origin: .environment, executable: executable, environment: environment)
    }
    let share = ((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/crucible")
    if isDirectory(share) {
      return RuntimeHome(root: share, origin: .install, executable: executable, environment: environment)
    }
    var directory = bin
    while directory != "/" && !directory.isEmpty {
      let hasPackage = FileManager.default.fileExists(
        atPath: (directory as NSString).appendingPathComponent("Package.swift"))
      if hasPackage && isDirectory((directory as NSString).appendingPathComponent("harness")) {
        return RuntimeHome(root: directory, origin: .checkout, executable: executable, environment: environment)
      }
      directory = (directory as NSString).deletingLastPathComponent
    }
    throw RuntimeFileMissing(
      what: "Crucible's runtime directory (harness/, prompts/, checkpoints/)",
      looked: [
        "CRUCIBLE_HOME (not set)", "\(share) (an install)",
        "a checkout (Package.swift and harness/) above \(bin)",
      ])
  }

  /// `relative` under the root, which must exist as a regular file.
  public func file(_ relative: String, what: String) throws(RuntimeFileMissing) -> String {
    let path = (root as NSString).appendingPathComponent(relative)
    var directory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &directory), !directory.boolValue else {
      throw RuntimeFileMissing(what: what, looked: [path], home: self)
    }
    return path
  }

  /// `relative` under the root, which must be a directory.
  public func directory(_ relative: String, what: String) throws(RuntimeFileMissing) -> String {
    let path = (root as NSString).appendingPathComponent(relative)
    guard Self.isDirectory(path) else { throw RuntimeFileMissing(what: what, looked: [path], home: self) }
    return path
  }

  /// The `crucible-jail` executable: `CRUCIBLE_JAIL`, else beside the
  /// running executable, else `PREFIX/libexec/crucible/`.
  public func jail() throws(RuntimeFileMissing) -> String {
    if let jail = environment["CRUCIBLE_JAIL"], !jail.isEmpty {
      guard FileManager.default.isExecutableFile(atPath: jail) else {
        throw RuntimeFileMissing(what: "the jail executable", looked: ["\(jail) (CRUCIBLE_JAIL)"], home: self)
      }
      return jail
    }
    let bin = (executable as NSString).deletingLastPathComponent
    let candidates = [
      (bin as NSString).appendingPathComponent("crucible-jail"),
      ((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
        "libexec/crucible/crucible-jail"),
    ]
    if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
    throw RuntimeFileMissing(what: "the jail executable crucible-jail", looked: candidates, home: self)
  }

  static func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
  }
}

/// A runtime file or directory that is not where it must be: what was
/// looked for, and every place it was looked for.
public struct RuntimeFileMissing: Error, CustomStringConvertible, Equatable {
  public var what: String
  public var looked: [String]
  /// Where the home was found, when it was.
  public var origin: String?

  /// What to do about it.
  public var hint: String

  public init(
    what: String, looked: [String], home: RuntimeHome? = nil,
    hint: String = "reinstall (scripts/install PREFIX) or set CRUCIBLE_HOME"
  ) {
    self.what = what
    self.looked = looked
    self.origin = home.map { "\($0.root) (\($0.origin.rawValue))" }
    self.hint = hint
  }

  public var description: String {
    var text = "\(what) is missing: looked for \(looked.joined(separator: ", "))"
    if let origin { text += "; runtime directory \(origin)" }
    return text + "; " + hint
  }
}
