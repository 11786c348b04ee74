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
  /// CLI's code for bad input), not 64.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch CLIFailure.usage(let message) {
      Output.error(message)
      Foundation.exit(ExitStatus.infrastructure)
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.infrastructure)
      }
      exit(withError: error)
    }
  }
}
