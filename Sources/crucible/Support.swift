import ArgumentParser
import Foundation
import Sandbox
import Search
import Suites
import Support

/// A failure the CLI reports with a message and exit 2.
enum CLIFailure: Error {
  case usage(String)
}

/// Checks of the options several commands share, each naming the flag
/// and the value it refuses.
enum CLIOptions {
  static func checkWorkers(_ workers: Int?) throws {
    if let workers, workers < 1 || workers > 256 {
      throw CLIFailure.usage("--workers must be between 1 and 256 (got \(workers))")
    }
  }

  static func checkTimeout(_ seconds: Double) throws {
    guard seconds > 0, seconds <= 3600 else {
      throw CLIFailure.usage("--timeout must be more than 0 and at most 3600 seconds (got \(seconds))")
    }
  }

  static func budget(_ text: String, flag: String) throws -> SearchBudget {
    do {
      return try SearchBudget.parse(text)
    } catch {
      throw CLIFailure.usage("\(flag): \(error.description)")
    }
  }
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

/// Options of the sandbox that commands which judge share.
struct JailOptions: ParsableArguments {
  @Option(
    name: .customLong("python-package"),
    help: ArgumentHelp(
      "An installed Python package (its import name) the candidates may import; repeat for more. The jail shows the standard library only, otherwise.",
      valueName: "name"))
  var packages: [String] = []
}

/// Starting the sandbox for commands.
enum CLISandbox {
  static func start(mode: SandboxConfiguration.Mode, workers: Int?, jail: JailOptions = JailOptions()) async throws
    -> SandboxPool
  {
    do {
      return try await SandboxPool.start(.detect(mode: mode, workers: workers, packages: jail.packages))
    } catch let error as SandboxError {
      Output.error(error.message)
      throw ExitCode(ExitStatus.infrastructure)
    }
  }
}

/// The exclusive lock on a command's output directory: a second run into
/// it is bad input (exit 2), told which process holds it.
enum CLILock {
  static func take(_ directory: String) throws -> DirectoryLock {
    do {
      return try DirectoryLock(directory)
    } catch {
      throw CLIFailure.usage(error.description)
    }
  }
}
