import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing
import Values

@Suite(.timeLimit(.minutes(10))) struct VerdictTests {
  func judge(_ mode: SandboxConfiguration.Mode = .warm, timeout: Double = 2) async throws -> Judge {
    Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: timeout)
  }

  @Test("Reference solutions pass every test", arguments: SandboxConfiguration.Mode.allCases)
  func references(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = try await judge(mode)
    for task in TestTasks.both {
      let judgement = try await judge.judge(task.solution!, for: task)
      #expect(judgement.allPassed, "\(judgement.results)")
      #expect(judgement.results.count == task.tests.count)
    }
  }

  @Test(
    "A 5 MB argument and a 5 MB answer are judged (they were an infrastructure error past 4 MiB)",
    arguments: SandboxConfiguration.Mode.allCases)
  func largeValues(_ mode: SandboxConfiguration.Mode) async throws {
    let big = String(repeating: "ab", count: 2_500_000)
    let task = CodingTask(
      id: "echo", prompt: "Return s and its length.", entryPoint: "echo",
      tests: [
        .data([.str(big)], .tuple([.str(big), .int(big.count)])), .data([.str("x")], .tuple([.str("x"), .int(1)])),
      ],
      publicCount: 1, origin: Origin(file: "memory", format: .crucible))
    let judge = try await judge(mode, timeout: 30)
    let right = try await judge.judge("def echo(s):\n    return (s, len(s))\n", for: task)
    #expect(right.allPassed, "\(right.results.map(\.verdict.detail))")
    let wrong = try await judge.judge("def echo(s):\n    return (s[1:], len(s))\n", for: task)
    #expect(wrong.results[0].verdict.kind == .wrongAnswer && wrong.results[1].verdict.kind == .wrongAnswer)
  }

  @Test("Wrong answers carry expected and actual, type-strictly")
  func wrongAnswer() async throws {
    let judgement = try await judge().judge("def square(x):\n    return float(x * x)\n", for: TestTasks.data)
    #expect(judgement.results.allSatisfy { $0.verdict.kind == .wrongAnswer })
    #expect(judgement.results[0].verdict == .wrongAnswer(expected: "4", actual: "4.0"))
    let statement = try await judge().judge("def square(x):\n    return x + 1\n", for: TestTasks.code)
    guard case .wrongAnswer(let expected, let actual) = statement.results[0].verdict else {
      Issue.record("\(statement.results)")
      return
    }
    #expect(expected == "check(candidate)")
    #expect(actual.contains("square(12) returned 13"))
  }

  @Test("Runtime errors name type, message and line; per-test, so other tests still pass")
  func runtimeError() async throws {
    let program = "def square(x):\n    if x == 3:\n        raise ValueError('three')\n    return x * x\n"
    let judgement = try await judge().judge(program, for: TestTasks.data)
    #expect(judgement.results[1].verdict == .runtimeError(type: "ValueError", message: "three", line: 3))
    #expect(judgement.results.filter { $0.verdict == .passed }.count == 7)
  }

  @Test("Syntax errors and a missing entry point fail every test")
  func syntaxError() async throws {
    let judgement = try await judge().judge("def square(x)\n    return x\n", for: TestTasks.data)
    #expect(judgement.results.allSatisfy { $0.verdict.kind == .syntaxError })
    #expect(judgement.results[0].verdict == .syntaxError(message: "expected ':'", line: 1))
    let missing = try await judge().judge("def cube(x):\n    return x ** 3\n", for: TestTasks.data)
    #expect(missing.results.allSatisfy { $0.verdict.kind == .runtimeError })
  }

  @Test(
    "A slow input times out alone; the candidate restarts for the next test",
    arguments: SandboxConfiguration.Mode.allCases)
  func perTestTimeout(_ mode: SandboxConfiguration.Mode) async throws {
    let program = "def square(x):\n    while x == 3:\n        pass\n    return x * x\n"
    let judgement = try await judge(mode, timeout: 1).judge(program, for: TestTasks.data)
    #expect(judgement.results[1].verdict == .timeout)
    #expect(
      judgement.results.filter { $0.verdict == .passed }.count == 7, "\(judgement.results.map(\.verdict.detail))")
  }

  @Test(
    "Memory, violations and output: the test that caused it gets the verdict",
    arguments: SandboxConfiguration.Mode.allCases)
  func limits(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = try await judge(mode, timeout: 10)
    let memory =
      "def square(x):\n    if x == 3:\n        b = bytearray(2 << 30)\n        b[::4096] = b'x' * len(b[::4096])\n    return x * x\n"
    // Touching 512 MiB takes a third of a second on an idle machine and
    // many seconds when the other suites load it: a long timeout, so that
    // only the memory limit can decide.
    let m = try await self.judge(mode, timeout: 60).judge(memory, for: TestTasks.data)
    #expect(
      m.results[1].verdict == .memoryLimit,
      "\(m.results.map(\.verdict.detail)) \(String(describing: m.run?.termination)) oom \(m.run?.oomKills ?? 0)")
    #expect(m.results.filter { $0.verdict == .passed }.count == 7)
    let violation =
      "import ctypes\ndef square(x):\n    if x == 3:\n        ctypes.CDLL(None).syscall(101, 16, 1, 0, 0)\n    return x * x\n"
    let v = try await judge.judge(violation, for: TestTasks.data)
    #expect(v.results[1].verdict == .violation("ptrace"), "\(v.results[1])")
    // A forbidden call fails every test that would have passed too.
    #expect(v.results.allSatisfy { $0.verdict == .violation("ptrace") }, "\(v.results.map(\.verdict.detail))")
    let output =
      "import sys\ndef square(x):\n    if x == 3:\n        while True: sys.stdout.write('y' * 65536)\n    return x * x\n"
    let o = try await judge.judge(output, for: TestTasks.data)
    #expect(o.results[1].verdict == .outputLimit, "\(o.results[1])")
    #expect(o.results[0].verdict == .passed)
  }

  @Test("Public runs show the candidate public inputs only")
  func publicOnly() async throws {
    let spy = "import sys\ndef square(x):\n    print('saw', x, file=sys.stderr)\n    return x * x\n"
    let judgement = try await judge().judge(spy, for: TestTasks.data, tests: .publicOnly)
    #expect(judgement.results.map(\.index) == [0, 1, 2])
    #expect(judgement.results.allSatisfy { $0.isPublic && $0.verdict == .passed })
    let seen = judgement.run?.stderr.text ?? ""
    #expect(seen == "saw 2\nsaw 3\nsaw -1\n")
    let hidden = try await judge().judge(spy, for: TestTasks.data, tests: .hiddenOnly)
    #expect(hidden.results.map(\.index) == [3, 4, 5, 6, 7])
    #expect(hidden.results.allSatisfy { !$0.isPublic })
  }

  @Test("Values of every plain type round-trip through the candidate")
  func plainTypes() async throws {
    let values: [Value] = [
      .none, .bool(false), .bigInt("123456789012345678901234567890"), .float(-0.5), .str("é\n"), .bytes([0, 255]),
      .list([.tuple([.int(1)]), .set([.int(2)])]), .frozenset([.str("a")]),
      .dict([.init(.tuple([.int(1), .int(2)]), .list([]))]),
      .float(.infinity),
    ]
    let task = CodingTask(
      id: "identity", prompt: "Return x.", entryPoint: "identity", solution: "def identity(x):\n    return x\n",
      tests: values.map { .data([$0], $0) }, publicCount: 0, origin: Origin(file: "memory", format: .crucible))
    let judgement = try await judge().judge(task.solution!, for: task)
    #expect(judgement.allPassed, "\(judgement.results)")
  }

  @Test("A program too large to judge fails as the candidate's own, without running")
  func tooLarge() async throws {
    let program = "def square(x):\n    return x * x\n#" + String(repeating: "a", count: Judge.programLimit) + "\n"
    let judgement = try await judge().judge(program, for: TestTasks.data)
    #expect(judgement.run == nil)
    #expect(judgement.results.count == TestTasks.data.tests.count)
    #expect(judgement.results.allSatisfy { $0.verdict.kind == .syntaxError }, "\(judgement.results.first!)")
  }

  @Test("A value nested deeper than the judge reads is that test's wrong answer, not the job's tamper")
  func deepValue() async throws {
    let program = """
      def square(x):
          if x != 3:
              return x * x
          value = 0
          for _ in range(190):
              value = {1: value}
          return value
      """
    let judgement = try await judge().judge(program, for: TestTasks.data)
    #expect(judgement.results[1].verdict.kind == .wrongAnswer, "\(judgement.results[1])")
    #expect(judgement.results.filter { $0.verdict == .passed }.count == 7, "\(judgement.results.map(\.verdict.detail))")
  }

  /// The warm judge lives as long as its slot: anything it kept per job (a
  /// descriptor, say; it may hold 256) would end it after a few hundred.
  @Test("Six hundred test jobs on one warm slot, both task shapes: every reference passes")
  func manyJobs() async throws {
    let judge = Judge(pool: try await Pools.shared.pool(.warm, workers: 1), testTimeoutSeconds: 5)
    for round in 0..<300 {
      for task in TestTasks.both {
        let judgement = try await judge.judge(task.solution!, for: task)
        #expect(judgement.allPassed, "job \(round) of \(task.id): \(judgement.results.map(\.verdict.detail))")
        if !judgement.allPassed { return }
      }
    }
  }

  @Test("Answers past the result budget are that test's wrong answer, never an overflowed channel")
  func resultBudget() async throws {
    let task = CodingTask(
      id: "big", prompt: "Return 1.", entryPoint: "f", solution: "def f(x):\n    return 1\n",
      tests: (0..<16).map { .data([.int($0)], .int(1)) }, publicCount: 0,
      origin: Origin(file: "memory", format: .crucible))
    // 16 answers of nearly 4 MiB: more than the 48 MiB the trusted side writes.
    let judgement = try await judge(timeout: 20).judge("def f(x):\n    return 'x' * 3_900_000\n", for: task)
    #expect(judgement.results.count == 16)
    #expect(
      judgement.results.allSatisfy { $0.verdict.kind == .wrongAnswer }, "\(judgement.results.map(\.verdict.kind))")
    #expect(judgement.results.contains { $0.verdict.detail.contains("too large to judge") })
  }

  @Test("A program over what the candidate process loads is a syntax error, not tamper")
  func overLoadLimit() async throws {
    let program = "TABLE = '" + String(repeating: "a", count: 5 << 20) + "'\ndef square(x):\n    return x * x\n"
    for mode in SandboxConfiguration.Mode.allCases {
      let judgement = try await judge(mode).judge(program, for: TestTasks.data)
      #expect(judgement.results.allSatisfy { $0.verdict.kind == .syntaxError }, "\(mode): \(judgement.results[0])")
    }
  }

  @Test(
    "A candidate that keeps stopping every process cannot stop what stops it",
    arguments: SandboxConfiguration.Mode.allCases)
  func unstoppableStop(_ mode: SandboxConfiguration.Mode) async throws {
    // Its helpers stop and kill every process but the candidate itself and
    // each other: whatever the judge sends to stop the candidate after its
    // timeout, and the fresh candidates after it, unless they all go.
    let program = """
      import os, signal, time
      me = os.getpid()
      if not os.path.exists("/tmp/spawned"):
          open("/tmp/spawned", "w").close()
          for _ in range(3):
              if os.fork() == 0:
                  os.setsid()
                  open("/tmp/spawned", "a").write("%d\\n" % os.getpid())
                  while True:
                      spared = {me} | {int(p) for p in open("/tmp/spawned").read().split()}
                      for pid in range(1, 64):
                          if pid not in spared:
                              for sig in (signal.SIGSTOP, signal.SIGKILL):
                                  try:
                                      os.kill(pid, sig)
                                  except OSError:
                                      pass
      def square(x):
          if x == 2:
              time.sleep(100)
          raise ValueError("answered")
      """
    let judgement = try await judge(mode, timeout: 1).judge(program, for: TestTasks.data)
    #expect(judgement.results[0].verdict == .timeout, "\(judgement.results.map(\.verdict.detail))")
    // After the timeout every process of the candidate is gone: the other
    // tests get their own verdicts.
    #expect(
      judgement.results.dropFirst().allSatisfy { $0.verdict.kind == .runtimeError || $0.verdict.kind == .tamper },
      "\(judgement.results.map(\.verdict.detail))")
    #expect(judgement.results.dropFirst().contains { $0.verdict.kind == .runtimeError })
    // Not held to the job's wall limit (20 s here) by a judge that waits on
    // something the candidate stopped.
    #expect((judgement.run?.wallMicroseconds ?? .max) < 15_000_000)
  }
}
