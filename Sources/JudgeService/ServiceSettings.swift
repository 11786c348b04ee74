import Foundation

/// What a running service allows: where it listens, how much it queues,
/// how large and how long a request may be.
public struct ServiceSettings: Sendable {
  /// The address to bind; loopback unless the operator says otherwise.
  public var host = "127.0.0.1"
  /// The port; 0 asks the kernel for a free one (the service says which).
  public var port = 8080
  /// Sandbox jobs admitted at once, running or waiting for a slot; a
  /// request past it gets 429 with Retry-After, never an unbounded backlog.
  public var queue = 256
  /// The largest request body, bytes (413 past it).
  public var maxBodyBytes = 16 << 20
  /// The most candidates one /v1/judge request may carry.
  public var maxCandidates = 64
  /// The longest `run_timeout` a /run_code request may ask for, seconds.
  public var maxRunSeconds = 60.0
  /// A run's standard output past this many bytes stops it; each fetched
  /// file is at most this large, and all of them four times it: an answer
  /// stays small however a program writes (a control byte is six in JSON).
  public var maxOutputBytes = 1 << 20
  /// CPU seconds per test of a judged function task (a standard-input
  /// task has its own limit), and the most a request may ask for.
  public var testTimeoutSeconds = 5.0
  public var maxTestTimeoutSeconds = 30.0
  /// A request's whole time, queue included, past which its jobs are
  /// cancelled and it is answered 503.
  public var deadlineSeconds = 600.0
  /// Whether a task's own code (HumanEval's `check`, MBPP's asserts) may
  /// run in the warm judge, which serves every request: only when every
  /// client is trusted with every other's results. Otherwise such tasks
  /// are judged on the cold path, a fresh trusted side per job.
  public var trustTaskCode = false
  /// The bearer token every request but the probes must carry; required
  /// when the address is not loopback.
  public var token: String?
  /// Bound beyond loopback without a token, on purpose: a private network
  /// that only trusted clients reach (SandboxFusion's client sends no
  /// header at all).
  public var unauthenticated = false
  /// The name a /run_code response gives as its executor.
  public var executorName: String?

  public init() {}

  /// Whether `host` is a loopback address (or a name that is only ever one).
  public static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// Problems with these settings, one sentence each.
  public func problems() -> [String] {
    var out: [String] = []
    if !(0...65535).contains(port) { out.append("--port must be 0...65535, not \(port)") }
    if queue < 1 { out.append("--queue must be at least 1, not \(queue)") }
    if maxBodyBytes < 1024 { out.append("--max-body must be at least 1024 bytes, not \(maxBodyBytes)") }
    if !(1024...(64 << 20)).contains(maxOutputBytes) {
      out.append("--max-output must be in 1024...\(64 << 20) bytes, not \(maxOutputBytes)")
    }
    if maxCandidates < 1 { out.append("--max-candidates must be at least 1, not \(maxCandidates)") }
    if !(maxRunSeconds > 0 && maxRunSeconds <= 3600) {
      out.append("--max-run-seconds must be in (0, 3600], not \(maxRunSeconds)")
    }
    if !(deadlineSeconds > 0 && deadlineSeconds <= 86_400) {
      out.append("--deadline must be in (0, 86400] seconds, not \(deadlineSeconds)")
    }
    if let token, token.count < 16 || token.contains(where: { $0.isWhitespace }) {
      out.append("the token (CRUCIBLE_SERVE_TOKEN) must be at least 16 characters without spaces")
    }
    if token == nil && !Self.isLoopback(host) && !unauthenticated {
      out.append(
        "--host \(host) is not loopback: set CRUCIBLE_SERVE_TOKEN to a bearer token every request must carry "
          + "(anyone who reaches the port can run code in the sandbox), or say --no-token for a private network")
    }
    return out
  }
}
