import Suites
import Values

/// Two tasks for the judge tests: one with data tests, one HumanEval-style
/// with a check(candidate) function; both ask for the square of an int.
public enum TestTasks {
  public static let inputs = [2, 3, -1, 0, 10, 12, 7, -9]

  public static let data = CodingTask(
    id: "square-data", prompt: "Return x squared.", entryPoint: "square",
    signature: Signature.parse("def square(x: int) -> int"),
    solution: "def square(x):\n    return x * x\n",
    tests: inputs.map { .data([.int($0)], .int($0 * $0)) }, publicCount: 3,
    origin: Origin(file: "memory", format: .crucible))

  /// The hidden check holds a marker that a candidate must never see.
  public static let marker = 987_654_321
  public static let code = CodingTask(
    id: "square-code", prompt: "def square(x: int) -> int:\n    \"\"\"Return x squared.\"\"\"\n", entryPoint: "square",
    promptCode: "def square(x: int) -> int:\n    \"\"\"Return x squared.\"\"\"\n",
    solution: "def square(x: int) -> int:\n    return x * x\n",
    tests: [.statement("check(candidate)")],
    testSetup:
      "def check(candidate):\n    assert candidate(12) == 144\n    assert candidate(-3) == 9\n    assert candidate(\(marker)) == \(marker * marker)\n",
    publicCount: 0, origin: Origin(file: "memory", format: .humanEval))

  public static let both = [data, code]
}
