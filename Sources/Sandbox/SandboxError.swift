/// A fault of the sandbox itself: it could not start, or could not run a job.
///
/// A program that fails inside the sandbox is not an error: that is a
/// ``SandboxResult`` with its ``Termination``. This type is for the
/// infrastructure: a missing interpreter, a kernel without the layers the
/// minimum requires, a jail that died.
public struct SandboxError: Error, CustomStringConvertible, Sendable {
  /// What kind of fault.
  public enum Code: String, Sendable {
    /// The kernel or the host lacks a layer the minimum requires.
    case minimumNotMet = "minimum-not-met"
    /// No usable Python interpreter.
    case interpreterNotFound = "interpreter-not-found"
    /// A Python package a job was to see is not installed.
    case packageNotFound = "package-not-found"
    /// The jail binary or the harness directory is missing.
    case componentMissing = "component-missing"
    /// A job or a limit is invalid.
    case invalidJob = "invalid-job"
    /// Starting or talking to the jail failed.
    case jailFailed = "jail-failed"
    /// libseccomp refused the policy.
    case policyFailed = "policy-failed"
    /// Cgroup directories could not be created.
    case cgroupFailed = "cgroup-failed"
    /// The pool was shut down.
    case shutDown = "shut-down"
  }

  /// The kind of fault.
  public var code: Code
  /// A sentence for a person: what failed and, where known, how to fix it.
  public var message: String

  /// Creates an error.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// The message, prefixed with the code.
  public var description: String { "\(code.rawValue): \(message)" }
}
