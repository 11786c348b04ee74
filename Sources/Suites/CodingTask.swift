import Values

/// A programming task: what the policy reads, and the tests that judge a
/// candidate program.
public struct CodingTask: Sendable, Identifiable {
  /// Unique within a suite.
  public var id: String
  /// What the policy reads: a description in words, or (HumanEval) the code
  /// of the signature and docstring to complete.
  public var prompt: String
  /// The function the tests call; empty for a standard-input program.
  public var entryPoint: String
  /// The typed signature, where known.
  public var signature: Signature?
  /// Trusted code the task provides (HumanEval's prompt: helpers, the
  /// signature and docstring). The test side runs it before the tests, so
  /// tests can use its helpers; a candidate cannot replace them there.
  public var promptCode: String?
  /// A complete reference program, when the task has one.
  public var solution: String?
  /// The tests, in order: the first ``publicCount`` are public.
  public var tests: [TestCase]
  /// Code the test side runs once before the statement tests (HumanEval's
  /// `test` with `check`, MBPP's `test_setup_code`).
  public var testSetup: String
  /// How many leading tests the policy may see.
  public var publicCount: Int
  public var tags: [String]
  /// Difficulty: 1 one operation, 2 two composed, 3 loops, recursion or several steps.
  public var level: Int?
  /// Where the task came from.
  public var origin: Origin
  /// Set for a standard-input task (tests of ``TestCase/Body/io(input:output:)``):
  /// the whole program runs once per test, within these limits, and its
  /// output is checked by this checker.
  public var io: ProgramIO?

  /// A whole program reading standard input, not a function.
  public var isProgram: Bool { io != nil }

  /// Whether judging the task runs code of its own on the judge's trusted
  /// side: statement tests (HumanEval's `check`, MBPP's asserts), the
  /// prompt's code or test setup. (A checker program runs as a job of its
  /// own, like a candidate.)
  public var runsOwnCode: Bool {
    promptCode != nil || !testSetup.isEmpty
      || tests.contains { if case .statement = $0.body { true } else { false } }
  }

  public init(
    id: String, prompt: String, entryPoint: String, signature: Signature? = nil, promptCode: String? = nil,
    solution: String? = nil, tests: [TestCase], testSetup: String = "", publicCount: Int, tags: [String] = [],
    level: Int? = nil, origin: Origin, io: ProgramIO? = nil
  ) {
    self.id = id
    self.prompt = prompt
    self.entryPoint = entryPoint
    self.signature = signature
    self.promptCode = promptCode
    self.solution = solution
    self.tests = tests
    self.testSetup = testSetup
    self.publicCount = publicCount
    self.tags = tags
    self.level = level
    self.origin = origin
    self.io = io
  }

  /// The tests the policy may see.
  public var publicTests: ArraySlice<TestCase> { tests.prefix(publicCount) }
  /// The tests that decide.
  public var hiddenTests: ArraySlice<TestCase> { tests.dropFirst(publicCount) }

  /// The default number of public tests when a task does not say: half the
  /// tests, at most 3, and none when there is only one (so that something
  /// is always hidden).
  public static func defaultPublicCount(testCount: Int) -> Int {
    testCount >= 2 ? min(3, testCount / 2) : 0
  }
}

/// One test of a task.
public struct TestCase: Sendable, Equatable {
  /// What the test does.
  public enum Body: Sendable, Equatable {
    /// Call the entry point with these arguments; the trusted side compares
    /// the returned value with `expected`, type-strictly.
    case data(args: [Value], expected: Value)
    /// Run this Python statement on the test side, with `candidate` (and the
    /// entry point's name) bound to the candidate: it passes when it raises
    /// nothing (`check(candidate)`, `assert f(1) == 2`).
    case statement(String)
    /// Run the whole program with `input` on its standard input; what it
    /// writes to standard output is checked against `output` outside the
    /// sandbox (which `output` never enters), by the task's checker.
    case io(input: String, output: String)
  }

  public var body: Body

  public init(_ body: Body) { self.body = body }

  public static func data(_ args: [Value], _ expected: Value) -> TestCase {
    TestCase(.data(args: args, expected: expected))
  }
  public static func statement(_ code: String) -> TestCase { TestCase(.statement(code)) }
  public static func io(_ input: String, _ output: String) -> TestCase { TestCase(.io(input: input, output: output)) }
}

/// How a standard-input task's program is run and its output checked.
public struct ProgramIO: Sendable, Equatable {
  /// Wall-clock seconds per test.
  public var timeLimitSeconds: Double
  /// Memory of the program, MiB, per test.
  public var memoryLimitMiB: Int
  public var checker: OutputChecker

  public static let defaultTimeLimit = 2.0
  public static let defaultMemoryLimit = 256

  public init(
    timeLimitSeconds: Double = Self.defaultTimeLimit, memoryLimitMiB: Int = Self.defaultMemoryLimit,
    checker: OutputChecker = .tokens
  ) {
    self.timeLimitSeconds = timeLimitSeconds
    self.memoryLimitMiB = memoryLimitMiB
    self.checker = checker
  }
}

/// How a program's output is compared with the expected output.
public enum OutputChecker: Sendable, Equatable {
  /// Whitespace-separated tokens equal (what most judges do).
  case tokens
  /// Byte for byte.
  case exact
  /// Line by line, trailing whitespace of each line and trailing blank lines ignored.
  case lines
  /// Tokens equal, numbers within an absolute or a relative tolerance.
  case float(tolerance: Double)
  /// The task's own checker program (the source of `checker.py`), run as
  /// `checker.py INPUT EXPECTED ACTUAL`: exit 0 accepted, 1 wrong answer,
  /// 2 presentation error, anything else the checker's own failure.
  case program(String)

  public static let defaultTolerance = 1e-6

  /// The name a task file uses.
  public var name: String {
    switch self {
    case .tokens: "tokens"
    case .exact: "exact"
    case .lines: "lines"
    case .float: "float"
    case .program: "checker.py"
    }
  }
}

/// Where a task was read from.
public struct Origin: Sendable, Equatable, CustomStringConvertible {
  /// The shape the task was written in.
  public enum Format: String, Sendable {
    case directory
    case humanEval = "humaneval"
    case mbpp, crucible
    case apps
    case codeContests = "codecontests"
    case liveCodeBench = "livecodebench"
  }
  public var file: String
  /// Line in a JSONL file.
  public var line: Int?
  public var format: Format

  public init(file: String, line: Int? = nil, format: Format) {
    self.file = file
    self.line = line
    self.format = format
  }

  public var description: String { line.map { "\(file):\($0)" } ?? file }
}
