import ArgumentParser
import Evaluation
import Foundation
import Learning
import Reports
import Sandbox
import Search
import Store
import Suites
import Support

@main
struct Crucible: AsyncParsableCommand {
  /// `crucible --version`: the release, and the formats it writes.
  static let version =
    "crucible 0.6.0 (results.json v\(EvalResults.version), run store schema v7, curve.json v1)"

  static let configuration = CommandConfiguration(
    commandName: "crucible",
    abstract: "A code-solving agent: search over programs, sandboxed tests as reward, learning from success.",
    version: Crucible.version,
    subcommands: [
      SolveCommand.self, EvalCommand.self, RegressCommand.self, MergeCommand.self, TrainCommand.self, CheckCommand.self,
      ShowCommand.self, SandboxCommand.self, ServeCommand.self,
    ]
  )

  /// Like ArgumentParser's, except that every error goes through `failure`
  /// (a bad command line exits 2, the CLI's code for bad input, not 64),
  /// and that Ctrl-C or SIGTERM cancels the command, which unwinds and
  /// exits 130 (143).
  static func main() async {
    // A reader of our output that goes away (`| head -1`) loses the rest of
    // it; the run goes on, and what it records is kept.
    signal(SIGPIPE, SIG_IGN)
    let work = Task<Void, any Error> {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    }
    Interrupt.install { work.cancel() }
    let result = await work.result
    if let signal = Interrupt.signal { Interrupt.exit(signal) }
    guard case .failure(let error) = result else { return }
    switch failure(error) {
    case .exit(let status, let message):
      if let message { Output.error(message) }
      Foundation.exit(status)
    case .commandLine:
      Output.write((fullMessage(for: error) + "\n"))
      Foundation.exit(ExitStatus.infrastructure)
    case .argumentParser:
      exit(withError: error)
    }
  }

  /// What an error does to the process.
  enum Failure: Equatable {
    /// Print the message (once, as `crucible: ...`), exit with the status.
    case exit(Int32, String?)
    /// A bad command line: ArgumentParser's message and usage, exit 2.
    case commandLine
    /// ArgumentParser's own (help, version): as it does them.
    case argumentParser
  }

  /// The one mapping from errors to exit codes: 2 for bad input and for an
  /// infrastructure failure, the status of an `ExitCode` a command threw
  /// (1 where its contract says so: a regression, a failed check). A
  /// `Noted` error's note is added to the message of an infrastructure
  /// failure (where what was recorded is, how to resume).
  static func failure(_ error: any Error) -> Failure {
    let bad = ExitStatus.infrastructure
    switch error {
    case let noted as Noted:
      let inner = failure(noted.error)
      guard case .exit(let status, let message?) = inner, !(noted.error is LearningError) else { return inner }
      return .exit(status, "\(message); \(noted.note)")
    case let code as ExitCode where !code.isSuccess:
      return .exit(code.rawValue, nil)
    case CLIFailure.usage(let message), CLIFailure.infrastructure(let message):
      return .exit(bad, message)
    case let error as SandboxError:
      return .exit(bad, error.message)
    case let fault as SearchFault:
      return .exit(bad, "infrastructure failure: \(fault.description)")
    case is CancellationError:
      return .exit(bad, "cancelled")
    case let error as PolicyFamilyError: return .exit(bad, error.description)
    case let error as SuiteError: return .exit(bad, error.description)
    case let error as DirectoryLockError: return .exit(bad, error.description)
    case let error as StoreError: return .exit(bad, error.description)
    case let error as EvalError: return .exit(bad, error.description)
    case let error as ShardError: return .exit(bad, error.description)
    case let error as SolveMerge.Failure: return .exit(bad, error.description)
    case let error as LearningError: return .exit(bad, error.description)
    default:
      let code = exitCode(for: error)
      if code == .validationFailure { return .commandLine }
      if code.isSuccess { return .argumentParser }
      return .exit(bad, "infrastructure failure: \(error)")
    }
  }
}

/// An error with what the command adds to its message when it is an
/// infrastructure failure: where what was recorded is, how to resume.
struct Noted: Error {
  var error: any Error
  var note: String
}

/// Runs `body`, noting `note` on what it throws.
func noting<T>(_ note: String, _ body: () async throws -> T) async throws -> T {
  do {
    return try await body()
  } catch {
    throw Noted(error: error, note: note)
  }
}
