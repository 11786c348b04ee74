import ArgumentParser

struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sandbox",
    abstract: "Inspect the sandbox and run programs in it.",
    subcommands: [DoctorCommand.self, RunCommand.self]
  )
}
