import ArgumentParser
import Foundation
import Sandbox
import Suites

/// A failure the CLI reports with a message and exit 2.
enum CLIFailure: Error {
  case usage(String)
}

/// Loading suites for commands, with every problem printed.
enum CLISuite {
  static func load(_ path: String) throws -> [CodingTask] {
    do {
      return try Suite.load(path).tasks
    } catch {
      Output.error(error.description)
      throw ExitCode(ExitStatus.infrastructure)
    }
  }
}

/// Starting the sandbox for commands.
enum CLISandbox {
  static func start(mode: SandboxConfiguration.Mode, workers: Int?) async throws -> SandboxPool {
    do {
      return try await SandboxPool.start(.detect(mode: mode, workers: workers))
    } catch let error as SandboxError {
      Output.error(error.message)
      throw ExitCode(ExitStatus.infrastructure)
    }
  }
}
