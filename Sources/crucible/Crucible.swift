import ArgumentParser
import Foundation

@main
struct Crucible: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crucible",
    abstract: "A code-solving agent: search over programs, sandboxed tests as reward, learning from success.",
    subcommands: [
      SolveCommand.self, EvalCommand.self, RegressCommand.self, MergeCommand.self, TrainCommand.self, CheckCommand.self,
      SandboxCommand.self,
    ]
  )

  /// Like ArgumentParser's, except that a bad command line exits 2 (the
  /// CLI's code for bad input), not 64, and that Ctrl-C or SIGTERM cancels
  /// the command, which unwinds and exits 130 (143).
  static func main() async {
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
    if case CLIFailure.usage(let message) = error {
      Output.error(message)
      Foundation.exit(ExitStatus.infrastructure)
    }
    let code = exitCode(for: error)
    if code == .validationFailure {
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(ExitStatus.infrastructure)
    }
    exit(withError: error)
  }
}
