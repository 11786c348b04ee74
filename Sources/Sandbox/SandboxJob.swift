/// One program to run in the sandbox.
///
/// The job's files are written to `/work`, the working directory, before the
/// program starts. The script is a path inside the sandbox: relative paths
/// are under `/work`; `/harness/...` names a file of the harness directory.
public struct SandboxJob: Sendable {
  /// A file placed in `/work`.
  public struct File: Sendable, Equatable {
    /// Relative path under `/work`; no `..`, no leading `/`.
    public var path: String
    /// The contents.
    public var contents: [UInt8]
    /// Permission bits (no set-id bits are honoured).
    public var mode: UInt32

    /// Creates a file.
    public init(path: String, contents: [UInt8], mode: UInt32 = 0o644) {
      self.path = path
      self.contents = contents
      self.mode = mode
    }

    /// Creates a text file.
    public init(path: String, text: String, mode: UInt32 = 0o644) {
      self.init(path: path, contents: Array(text.utf8), mode: mode)
    }
  }

  /// The Python script to run.
  public var script: String
  /// Its arguments (`sys.argv[1:]`).
  public var arguments: [String]
  /// Files written to `/work` first.
  public var files: [File]
  /// Extra environment variables, on top of the fixed allow-list.
  public var environment: [String: String]
  /// Bytes the program reads on stdin (a sealed in-memory file); nil:
  /// `/dev/null`.
  public var stdin: [UInt8]?
  /// The limits of this run.
  public var limits: SandboxLimits
  /// The network the job sees.
  public var network: Network = .none

  /// What a job may do with the network.
  public enum Network: String, Sendable, CaseIterable, Codable {
    /// No INET sockets at all (they fail with EACCES); unix sockets only.
    case none
    /// A network namespace of its own with a loopback interface, for
    /// programs that talk TCP or UDP to themselves. It costs a fresh jail
    /// (the cold path) per job, so that no socket state outlives the job.
    case loopback
  }

  /// The harness's test runner: the only program the jail runs as its
  /// trusted side (it starts the candidate as the candidates' user).
  public static let testRunner = "/harness/run_tests.py"

  /// Whether this job is the harness's test runner.
  var isTestRunner: Bool { script == Self.testRunner && arguments.isEmpty }

  /// Creates a job.
  public init(
    script: String, arguments: [String] = [], files: [File] = [],
    environment: [String: String] = [:], stdin: [UInt8]? = nil, limits: SandboxLimits = SandboxLimits(),
    network: Network = .none
  ) {
    self.script = script
    self.arguments = arguments
    self.files = files
    self.environment = environment
    self.stdin = stdin
    self.limits = limits
    self.network = network
  }

  /// A job that runs `source` as `/work/main.py`.
  public static func python(_ source: String, limits: SandboxLimits = SandboxLimits()) -> SandboxJob {
    SandboxJob(script: "main.py", files: [File(path: "main.py", text: source)], limits: limits)
  }

  /// Problems with this job, one sentence each; empty when valid.
  public func problems() -> [String] {
    var out = limits.problems()
    for file in files {
      let parts = file.path.split(separator: "/", omittingEmptySubsequences: false)
      if file.path.isEmpty || file.path.hasPrefix("/") || parts.contains("..")
        || parts.contains("") || parts.contains(".") || file.path.utf8.contains(0)
      {
        out.append("file path '\(file.path)' must be relative, without '.', '..' or empty parts")
      }
    }
    if script.isEmpty || script.utf8.contains(0) { out.append("script path must not be empty") }
    for (key, value) in environment
    where key.isEmpty || key.contains("=") || key.utf8.contains(0) || value.utf8.contains(0) {
      out.append("environment variable '\(key)' is not valid")
    }
    return out
  }
}
