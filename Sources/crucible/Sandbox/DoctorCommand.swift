import ArgumentParser
import Foundation
import Sandbox

struct DoctorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "doctor",
    abstract: "Show which isolation layers this machine offers and whether the sandbox minimum is met.",
    discussion: "Exit 0 when the minimum is met and a test job ran in both the cold and the warm path; 1 otherwise."
  )

  @Flag(help: "Print one JSON object.") var json = false
  @Option(help: "Python interpreter to use (default: $CRUCIBLE_PYTHON or python3 on PATH).")
  var python: String?

  func run() async throws {
    let report = await Doctor.examine(python: python)
    if json {
      Output.json(report.json)
    } else {
      print(report.text)
    }
    if !report.ok { throw ExitCode(ExitStatus.failed) }
  }
}
