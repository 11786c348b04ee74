import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing
import Verdicts

/// Standard-input programs, judged as competitive-programming judges do:
/// every checker, every way a program can fail, and what stays true after.
@Suite(.timeLimit(.minutes(10))) struct ProgramVerdictTests {
  static func task(
    checker: OutputChecker = .tokens, tests: [(String, String)] = [("1 2\n", "3\n"), ("5 -7\n", "-2\n")],
    timeLimit: Double = 1, memoryMiB: Int = 64
  ) -> CodingTask {
    CodingTask(
      id: "sum", prompt: "Print a + b.", entryPoint: "", tests: tests.map { .io($0.0, $0.1) }, publicCount: 1,
      origin: Origin(file: "memory", format: .crucible),
      io: ProgramIO(timeLimitSeconds: timeLimit, memoryLimitMiB: memoryMiB, checker: checker))
  }

  static let sum = "a, b = map(int, input().split())\nprint(a + b)\n"

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var program: String
    var checker: OutputChecker = .tokens
    /// The verdict kind of each test.
    var kinds: [TestVerdict.Kind]
    /// Words the first failing verdict's detail must hold.
    var words: [String] = []
    var testDescription: String { name }
  }

  static let checkerSource = """
    import sys
    n = open(sys.argv[1]).read().split()
    out = open(sys.argv[3], "rb").read().decode("utf-8", "replace").split()
    if len(out) != 2: print("expected two numbers, got %d" % len(out)); sys.exit(1)
    try: x, y = int(out[0]), int(out[1])
    except ValueError: print("not integers"); sys.exit(1)
    if x + y != int(n[0]) + int(n[1]): print("%d + %d is not the sum" % (x, y)); sys.exit(1)
    print("ok")
    """

  static let cases: [Case] = [
    Case(name: "right", program: sum, kinds: [.passed, .passed]),
    Case(
      name: "right, read all at once, with sys.stdout.write",
      program: "import sys\na, b = map(int, sys.stdin.read().split())\nsys.stdout.write(str(a + b))\n",
      kinds: [.passed, .passed]),
    Case(
      name: "wrong answer: the differing token shown", program: "a, b = map(int, input().split())\nprint(a - b)\n",
      kinds: [.wrongAnswer, .wrongAnswer], words: ["expected 3", "got -1"]),
    Case(name: "no output", program: "pass\n", kinds: [.wrongAnswer, .wrongAnswer], words: ["(no output)"]),
    Case(
      name: "tokens: extra spaces and lines pass",
      program: "a, b = map(int, input().split())\nprint('', a + b, '\\n\\n')\n",
      kinds: [.passed, .passed]),
    Case(
      name: "exact: extra spaces are a presentation error",
      program: "a, b = map(int, input().split())\nprint(' ', a + b)\n", checker: .exact,
      kinds: [.presentationError, .presentationError]),
    Case(
      name: "lines: trailing spaces pass, leading do not",
      program: "a, b = map(int, input().split())\nprint(str(a + b) + '   ') if a == 1 else print(' ' + str(a + b))\n",
      checker: .lines, kinds: [.passed, .presentationError]),
    Case(
      name: "float: within 1e-6 passes", program: "a, b = map(int, input().split())\nprint(a + b + 1e-9)\n",
      checker: .float(tolerance: 1e-6), kinds: [.passed, .passed]),
    Case(
      name: "float: off by 1e-3 fails", program: "a, b = map(int, input().split())\nprint(a + b + 1e-3)\n",
      checker: .float(tolerance: 1e-6), kinds: [.wrongAnswer, .wrongAnswer]),
    Case(
      name: "float: nan is not a number within tolerance", program: "print('nan')\n",
      checker: .float(tolerance: 1e-6), kinds: [.wrongAnswer, .wrongAnswer]),
    Case(
      name: "runtime error: type, message, line",
      program: "a, b = map(int, input().split())\nif b == 2: a // 0\nprint(a + b)\n",
      kinds: [.runtimeError, .passed], words: ["ZeroDivisionError", "line 2"]),
    Case(
      name: "exit code 3 is a runtime error even with the right output",
      program: "import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.exit(3)\n",
      kinds: [.runtimeError, .runtimeError], words: ["code 3"]),
    Case(
      name: "sys.exit(0) after the answer passes",
      program: "import sys\na, b = map(int, input().split())\nprint(a + b)\nsys.exit(0)\n", kinds: [.passed, .passed]),
    Case(name: "syntax error", program: "print(1 +\n", kinds: [.syntaxError, .syntaxError]),
    Case(
      name: "slow: the time limit, then the next test runs",
      program: "a, b = map(int, input().split())\nif a == 1:\n    while True: pass\nprint(a + b)\n",
      kinds: [.timeout, .passed]),
    Case(
      name: "sleeping past the limit", program: "import time\ntime.sleep(30)\n", kinds: [.timeout, .timeout]),
    Case(
      name: "reading past the end of the input", program: "a, b = map(int, input().split())\ninput()\n",
      kinds: [.runtimeError, .runtimeError], words: ["EOFError"]),
    Case(
      name: "memory-hungry: the memory limit", program: "x = bytearray(1 << 30)\nprint(len(x))\n",
      kinds: [.memoryLimit, .memoryLimit]),
    Case(
      name: "output flood: the output limit", program: "import sys\nwhile True: sys.stdout.write('x' * 65536)\n",
      kinds: [.outputLimit, .outputLimit]),
    Case(
      name: "killed by a signal", program: "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
      kinds: [.runtimeError, .runtimeError], words: ["signal 11"]),
    Case(
      name: "invalid UTF-8 output is compared as bytes, shown escaped",
      program: "import sys\nsys.stdout.buffer.write(b'\\xff\\x1b[2J\\n')\n", kinds: [.wrongAnswer, .wrongAnswer]),
    // Hostile programs: what they try, and the verdict they get.
    Case(
      name: "a grandchild that keeps stdout open after the answer: not a pass, the time limit",
      program:
        "import os, time\na, b = map(int, input().split())\nprint(a + b, flush=True)\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\n",
      kinds: [.timeout, .timeout]),
    Case(
      name: "killing its parent (the process that forked it)",
      program: "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint(3)\n",
      kinds: [.runtimeError, .runtimeError]),
    Case(
      name: "a forged description of its own crash decides nothing but its own failure",
      program: """
        import os, sys
        forged = b'{"type": "passed", "message": "\\u001b[2J", "line": 1}'
        for fd in range(3, 64):
            try: os.write(fd, forged)
            except OSError: pass
        sys.exit(1)
        """,
      kinds: [.runtimeError, .runtimeError]),
    Case(
      name: "flooding stderr does not block it or reach the verdict",
      program:
        "import sys\nfor _ in range(300): sys.stderr.write('\\x1b[2J' * 1000)\na, b = map(int, input().split())\nprint(a + b)\n",
      kinds: [.passed, .passed]),
    Case(
      name: "the right answer, then SIGKILL of itself",
      program: "import os\nprint(3, flush=True)\nos.kill(os.getpid(), 9)\n",
      kinds: [.runtimeError, .runtimeError], words: ["signal 9"]),
    Case(
      name: "NUL bytes and a terminal escape in the output", program: "print('3\\x00\\x1b]0;pwned\\x07')\n",
      kinds: [.wrongAnswer, .wrongAnswer]),
    Case(
      name: "a checker program accepts any right pair",
      program: "a, b = map(int, input().split())\nprint(a + b - 7, 7)\n", checker: .program(checkerSource),
      kinds: [.passed, .passed]),
    Case(
      name: "a checker program's wrong answer carries its message",
      program: "a, b = map(int, input().split())\nprint(a, b + 1)\n", checker: .program(checkerSource),
      kinds: [.wrongAnswer, .wrongAnswer], words: ["is not the sum"]),
    Case(
      name: "a checker program on garbage output", program: "print('\\x1b[31mhello')\n",
      checker: .program(checkerSource), kinds: [.wrongAnswer, .wrongAnswer], words: ["expected two numbers"]),
    Case(
      name: "a checker that crashes is the task's fault, never a pass", program: sum,
      checker: .program("import sys\nraise RuntimeError('broken checker')\n"),
      kinds: [.infrastructureError, .infrastructureError], words: ["broken checker"]),
    Case(
      name: "a checker that exits 7 is the task's fault", program: sum,
      checker: .program("import sys\nsys.exit(7)\n"), kinds: [.infrastructureError, .infrastructureError]),
    // Found by red-teaming (rt15).
    Case(
      name: "garbage that crashes a sloppy checker is a wrong answer, not the task's fault",
      program: "a, b = map(int, input().split())\nprint(a + b) if a == 1 else print('\\xff\\x1b[2Jhello')\n",
      checker: .program(sloppyChecker), kinds: [.passed, .wrongAnswer], words: ["broke the checker", "ValueError"]),
    Case(
      name: "a checker's sys.exit(\"message\") is exit code 1, a wrong answer",
      program: "a, b = map(int, input().split())\nprint(a + b) if a == 1 else print(a - b)\n",
      checker: .program(sloppyChecker), kinds: [.passed, .wrongAnswer], words: ["not the sum"]),
    Case(
      name: "float: a hex float or a NUL-cut number is no number",
      program:
        "a, b = map(int, input().split())\nprint(float(a + b).hex()) if a == 1 else print(str(a + b) + '\\0junk')\n",
      checker: .float(tolerance: 1e-6), kinds: [.wrongAnswer, .wrongAnswer]),
    Case(
      name: "the work done in a thread after the main program returns is waited for, as python does",
      program: """
        import sys, threading, time
        def main():
            time.sleep(0.2)
            a, b = map(int, sys.stdin.readline().split())
            print(a + b)
        threading.stack_size(1 << 24)
        threading.Thread(target=main).start()
        """,
      kinds: [.passed, .passed]),
    Case(
      name: "an atexit handler runs at the program's end",
      program: "import atexit\na, b = map(int, input().split())\natexit.register(lambda: print(a + b))\n",
      kinds: [.passed, .passed]),
    Case(
      name: "a process that outlives its test (stdio closed) is gone before the next test",
      program: daemon(hop: false), kinds: [.passed, .wrongAnswer], words: ["got -1"]),
    Case(
      name: "a chain of processes, each forking the next and exiting, is gone before the next test",
      program: daemon(hop: true), kinds: [.passed, .wrongAnswer], words: ["got -1"]),
  ]

  /// A checker as people write them in a hurry: it crashes on output it
  /// cannot read.
  static let sloppyChecker = """
    import sys
    a, b = map(int, open(sys.argv[1]).read().split())
    got = int(open(sys.argv[3]).read())
    if got != a + b:
        sys.exit("%d is not the sum" % got)
    """

  /// The first test's program leaves a process behind that keeps a
  /// heartbeat file fresh; the next test's answers right only while it
  /// beats. `hop`: the process forks its successor and exits, again and
  /// again, so that no one pid stays.
  static func daemon(hop: Bool) -> String {
    """
    import os, sys, time
    a, b = map(int, input().split())
    if a == 1:
        print(a + b, flush=True)
        if os.fork() == 0:
            os.setsid()
            for fd in range(64):
                try: os.close(fd)
                except OSError: pass
            end = time.time() + 20
            while time.time() < end:
                if \(hop ? "True" : "False") and os.fork() != 0:
                    os._exit(0)
                open("/tmp/beat", "w").write(str(time.time()))
                time.sleep(0.005)
            os._exit(0)
    else:
        time.sleep(0.3)
        try: beat = float(open("/tmp/beat").read() or 0)
        except (OSError, ValueError): beat = 0
        print(a + b if time.time() - beat < 0.1 else -1)
    """
  }

  @Test(
    "Every checker and every way a program ends: the verdict, and the next job unaffected",
    arguments: cases, SandboxConfiguration.Mode.allCases)
  func verdicts(_ c: Case, mode: SandboxConfiguration.Mode) async throws {
    let pool = try await Pools.shared.pool(mode)
    let judge = Judge(pool: pool, testTimeoutSeconds: 5)
    let task = Self.task(checker: c.checker)
    let judgement = try await judge.judge(c.program, for: task)
    #expect(judgement.results.map(\.verdict.kind) == c.kinds, "\(judgement.results.map(\.verdict.detail))")
    if let failure = judgement.firstFailure {
      for word in c.words { #expect(failure.verdict.detail.contains(word), "\(failure.verdict.detail)") }
      // Nothing the program wrote reaches a verdict unescaped.
      #expect(!failure.verdict.detail.contains("\u{1B}"), "\(failure.verdict.detail)")
    }
    // The next job on the pool is judged as if nothing had happened.
    let after = try await judge.judge(Self.sum, for: Self.task())
    #expect(after.allPassed, "\(after.results.map(\.verdict.detail))")
  }

  @Test("Search stops a program's job at its first failing test; evaluation runs them all")
  func stopAtFirstFailure() async throws {
    let pool = try await Pools.shared.pool(.warm)
    var judge = Judge(pool: pool, testTimeoutSeconds: 5)
    let task = Self.task(tests: [("1 2\n", "3\n"), ("2 2\n", "4\n"), ("3 2\n", "5\n")])
    let slow = "a, b = map(int, input().split())\nif a == 2:\n    while True: pass\nprint(a + b)\n"
    let all = try await judge.judge(slow, for: task)
    #expect(all.results.map(\.verdict.kind) == [.passed, .timeout, .passed])
    judge.stopAtFirstFailure = true
    let stopped = try await judge.judge(slow, for: task)
    #expect(stopped.results.map(\.verdict.kind) == [.passed, .timeout])
  }

  @Test("A large input and output (near 1e6 numbers) are judged, with each test's time")
  func large() async throws {
    let pool = try await Pools.shared.pool(.warm)
    let judge = Judge(pool: pool, testTimeoutSeconds: 5)
    let numbers = (0..<200_000).map { String($0 * 7 % 1_000_003) }
    let input = "\(numbers.count)\n" + numbers.joined(separator: " ") + "\n"
    let output = numbers.reversed().joined(separator: "\n") + "\n"
    let task = Self.task(tests: [(input, output), ("1\n5\n", "5\n")], timeLimit: 5, memoryMiB: 256)
    let program =
      "import sys\ndata = sys.stdin.buffer.read().split()\nsys.stdout.write('\\n'.join(map(bytes.decode, reversed(data[1:]))) + '\\n')\n"
    let judgement = try await judge.judge(program, for: task)
    #expect(judgement.allPassed, "\(judgement.results.map(\.verdict.detail))")
    #expect(judgement.results.allSatisfy { ($0.milliseconds ?? -1) >= 0 })
  }

  /// One bundled task per checker, and four ways to fail it.
  static let bundled = ["canoe-pairs", "hollow-frame", "diamond", "trimmed-mean", "pair-with-sum"]
  static let failing: [(name: String, program: String, kind: TestVerdict.Kind)] = [
    ("wrong", "print(-1)\n", .wrongAnswer),
    ("slow", "while True:\n    pass\n", .timeout),
    ("memory-hungry", "x = [0] * (1 << 30)\nprint(len(x))\n", .memoryLimit),
    ("crashing", "import sys\ndata = sys.stdin.read().split()\nprint(data[10 ** 9])\n", .runtimeError),
  ]

  @Test(
    "tasks/io, a task per checker: the reference passes; wrong, slow, memory-hungry and crashing programs fail as such",
    arguments: bundled)
  func bundledCheckers(_ name: String) async throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let task = try #require(try Suite.load("\(root)/tasks/io/\(name)").tasks.first)
    #expect(task.isProgram)
    let judge = Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 5, stopAtFirstFailure: true)
    let reference = try await judge.judge(try #require(task.solution), for: task)
    #expect(reference.allPassed, "\(reference.results.map(\.verdict.detail))")
    for failing in Self.failing {
      let judgement = try await judge.judge(failing.program, for: task)
      let kinds = judgement.results.map(\.verdict.kind)
      if failing.kind == .wrongAnswer {
        // A wrong answer is decided outside the jail, after the job: every
        // test ran (and "-1" is right where no answer exists).
        #expect(
          kinds.count == task.tests.count && kinds.contains(.wrongAnswer)
            && Set(kinds).isSubset(of: [.wrongAnswer, .passed]), "\(judgement.results.map(\.verdict.detail))")
      } else {
        // The job saw it fail, and stopped there.
        #expect(kinds == [failing.kind], "\(failing.name): \(judgement.results.map(\.verdict.detail))")
      }
    }
  }
}
