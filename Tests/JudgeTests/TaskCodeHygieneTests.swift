import Judge
import Sandbox
import Suites
import TestSupport
import Testing

/// The warm judge is long-lived and runs the task's own test code: what
/// that code changes (a thread left running, warnings filters, the
/// recursion limit, the random state, the working directory, a descriptor)
/// must not reach the next task's test code on the slot.
@Suite(.timeLimit(.minutes(5))) struct TaskCodeHygieneTests {
  static func task(_ id: String, _ check: String) -> CodingTask {
    CodingTask(
      id: id, prompt: "def f(x):\n", entryPoint: "f", promptCode: "def f(x):\n    pass\n",
      solution: "def f(x):\n    return x + 1\n", tests: [.statement("check(candidate)")], testSetup: check,
      publicCount: 0, origin: Origin(file: "memory", format: .humanEval))
  }

  static let messy = task(
    "messy",
    """
    def check(candidate):
        import os, random, sys, threading, time, warnings
        warnings.simplefilter("error")
        sys.setrecursionlimit(60)
        random.seed(0)
        os.chdir("/tmp")
        open("/dev/null")
        threading.Thread(target=lambda: (time.sleep(0.3), candidate(1)), daemon=True).start()
        assert candidate(1) == 2
    """)

  /// Fails if the last task's filter (warnings as errors: an invalid escape
  /// in the source), recursion limit or random seed were still in place.
  static let tidy = task(
    "tidy",
    #"""
    import random
    FIRST = random.random()
    def check(candidate):
        def deep(n):
            return 0 if n == 0 else 1 + deep(n - 1)
        assert deep(300) == 300
        assert candidate(1) == 2, "f(1) should match \d+"
    """#)

  @Test("Task code leaves nothing for the next task's test code", arguments: SandboxConfiguration.Mode.allCases)
  func hygiene(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode, workers: 1, own: "hygiene"), testTimeoutSeconds: 5)
    let control = try await judge.judge(Self.tidy.solution!, for: Self.tidy)
    #expect(control.allPassed, "\(control.results.map(\.verdict.detail))")
    for _ in 0..<2 {
      let messy = try await judge.judge(Self.messy.solution!, for: Self.messy)
      #expect(messy.allPassed, "\(messy.results.map(\.verdict.detail))")
      let after = try await judge.judge(Self.tidy.solution!, for: Self.tidy)
      #expect(after.allPassed, "\(after.results.map(\.verdict.detail))")
    }
  }

  /// No candidate can end the trusted side (another user): when it ends
  /// before reporting, the task's own code did, and it is not the
  /// candidate's tamper.
  @Test(
    "Task code that ends the judge is an infrastructure error, not the candidate's",
    arguments: SandboxConfiguration.Mode.allCases)
  func taskEndsJudge(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode, workers: 1, own: "hygiene"), testTimeoutSeconds: 5)
    let exiting = Self.task("exiting", "def check(candidate):\n    import os\n    os._exit(0)\n")
    let judgement = try await judge.judge(exiting.solution!, for: exiting)
    #expect(judgement.results.allSatisfy { $0.verdict.kind == .infrastructureError }, "\(judgement.results)")
    let after = try await judge.judge(Self.tidy.solution!, for: Self.tidy)
    #expect(after.allPassed, "\(after.results.map(\.verdict.detail))")
  }

  @Test(
    "A check that expects the candidate to raise a built-in exception catches it, as in one process",
    arguments: SandboxConfiguration.Mode.allCases)
  func expectedExceptions(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode, workers: 1, own: "hygiene"), testTimeoutSeconds: 5)
    let task = Self.task(
      "raises",
      """
      def check(candidate):
          try:
              candidate(-1)
          except ValueError as error:
              assert "negative" in str(error)
          else:
              raise AssertionError("no ValueError")
          assert candidate(2) == 3
      """)
    let right = "def f(x):\n    if x < 0:\n        raise ValueError('negative')\n    return x + 1\n"
    #expect(try await judge.judge(right, for: task).allPassed)
    let wrong = "def f(x):\n    if x < 0:\n        raise TypeError('negative')\n    return x + 1\n"
    let judgement = try await judge.judge(wrong, for: task)
    #expect(judgement.results.first?.verdict.kind == .runtimeError, "\(judgement.results)")
  }
}
