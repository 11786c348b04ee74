import ArgumentParser

@main
struct Crucible: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crucible",
    abstract: "A code-solving agent: search over programs, sandboxed tests as reward, learning from success.",
    subcommands: [SandboxCommand.self]
  )
}
