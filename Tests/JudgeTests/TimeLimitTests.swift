import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing
import Verdicts

/// A test's time limit is CPU time, measured by the trusted side: a loaded
/// machine does not turn a passing test into a timeout, and no way of
/// spending time (spinning, sleeping, threads, child processes, many quick
/// calls) escapes the limit or its wall-clock backstop.
@Suite(.timeLimit(.minutes(10)), .serialized) struct TimeLimitTests {
  enum Shape: String, Sendable { case call, statement, program }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var shape: Shape
    /// The candidate: a function `f(x)` returning x, or a program printing
    /// its input's number.
    var program: String
    var limit: Double
    var wallFactor: Double
    /// A statement test's check.
    var check = honestCheck
    static let honestCheck = "def check(candidate):\n    assert candidate(7) == 7\n"
    var verdict: TestVerdict.Kind
    /// The test's recorded time, in ms.
    var ms: ClosedRange<Double>
    /// The job ends before this many seconds of wall time: before the
    /// wall-clock backstop, where the CPU time is what decided.
    var wallBelow: Double
    /// The job took at least this many seconds (the case did what it says).
    var wallAbove: Double = 0
    var testDescription: String { "\(shape.rawValue): \(name)" }
  }

  /// Spends `s` seconds of its own CPU time.
  static let busy = """
    import time
    def busy(s):
        t = time.process_time()
        while time.process_time() - t < s:
            pass

    """

  static let cases: [Case] = [
    // Waiting is not computing: a test that sleeps, then computes, passes
    // a limit its wall time is over (as one does on a loaded machine).
    Case(
      name: "0.8 s asleep, then 0.4 s of CPU: passes a 1 s limit", shape: .call,
      program: busy + "def f(x):\n    time.sleep(0.8)\n    busy(0.4)\n    return x\n", limit: 1, wallFactor: 30,
      verdict: .passed, ms: 300...1000, wallBelow: 30, wallAbove: 1.2),
    Case(
      name: "0.8 s asleep, then 0.4 s of CPU: passes a 1 s limit", shape: .statement,
      program: busy + "def f(x):\n    time.sleep(0.8)\n    busy(0.4)\n    return x\n", limit: 1, wallFactor: 30,
      verdict: .passed, ms: 300...1000, wallBelow: 30, wallAbove: 1.2),
    Case(
      name: "0.8 s asleep, then 0.4 s of CPU: passes a 1 s limit", shape: .program,
      program: busy + "time.sleep(0.8)\nbusy(0.4)\nprint(int(input()))\n", limit: 1, wallFactor: 30,
      verdict: .passed, ms: 300...1000, wallBelow: 30, wallAbove: 1.2),
    Case(
      name: "spinning: the CPU limit, long before the wall-clock backstop", shape: .call,
      program: "def f(x):\n    while True:\n        pass\n", limit: 0.5, wallFactor: 30, verdict: .timeout,
      ms: 500...15_000, wallBelow: 12),
    Case(
      name: "spinning: the CPU limit, long before the wall-clock backstop", shape: .program,
      program: "while True:\n    pass\n", limit: 0.5, wallFactor: 30, verdict: .timeout, ms: 500...15_000,
      wallBelow: 12),
    Case(
      name: "sleeping: stopped by the wall-clock backstop (limit x factor)", shape: .call,
      program: "import time\ndef f(x):\n    time.sleep(100)\n", limit: 0.5, wallFactor: 3, verdict: .timeout,
      ms: 1_400...30_000, wallBelow: 30),
    Case(
      name: "sleeping: stopped by the wall-clock backstop (limit x factor)", shape: .program,
      program: "import time\ntime.sleep(100)\n", limit: 0.5, wallFactor: 3, verdict: .timeout, ms: 1_400...30_000,
      wallBelow: 30),
    // Hostile: time spent where a per-process clock would not see it.
    Case(
      name: "the work in a child process, the candidate waiting for it: counted", shape: .call,
      program: "import os\ndef f(x):\n    if os.fork() == 0:\n        while True:\n            pass\n    os.wait()\n",
      limit: 0.5, wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    Case(
      name: "the work in a child process, the program waiting for it: counted", shape: .program,
      program: "import os\nif os.fork() == 0:\n    while True:\n        pass\nos.wait()\n", limit: 0.5,
      wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    Case(
      name: "the work in threads: counted", shape: .call,
      program: """
        import threading
        def spin():
            while True:
                pass
        def f(x):
            for _ in range(3):
                threading.Thread(target=spin, daemon=True).start()
            threading.Event().wait()
        """, limit: 0.5, wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    Case(
      name: "the work in an orphan (a double fork), out of the candidate's tree: the wall-clock backstop",
      shape: .call,
      program: """
        import os, time
        def f(x):
            if os.fork() == 0:
                if os.fork() == 0:
                    while True:
                        pass
                os._exit(0)
            os.wait()
            time.sleep(100)
        """, limit: 0.5, wallFactor: 4, verdict: .timeout, ms: 1_900...30_000, wallBelow: 30),
    Case(
      name: "many quick calls add up: the statement's time and the candidate's, together", shape: .statement,
      program: "def f(x):\n    return x\n", limit: 0.5, wallFactor: 30,
      check: "def check(candidate):\n    for i in range(10 ** 8):\n        assert candidate(i) == i\n",
      verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    // Hostile: more CPU time than wall time, on two cores at once, and an
    // answer before the clock was first read. Where the slot's cgroup holds
    // the job to one core (as here) the clock's reading at the limit stops
    // it; on a host without one, the reading after the answer does.
    Case(
      name: "two processes on two cores, done before the first reading: over the limit all the same",
      shape: .call, program: busy + twoCores + "def f(x):\n    both(0.3)\n    return x\n", limit: 0.5,
      wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    Case(
      name: "two processes on two cores, done before the first reading: over the limit all the same",
      shape: .statement, program: busy + twoCores + "def f(x):\n    both(0.3)\n    return x\n", limit: 0.5,
      wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
    Case(
      name: "two processes on two cores, done before the first reading: over the limit all the same",
      shape: .program, program: busy + twoCores + "both(0.3)\nprint(int(input()))\n", limit: 0.5,
      wallFactor: 30, verdict: .timeout, ms: 500...15_000, wallBelow: 12),
  ]

  /// `both(s)`: `s` seconds of CPU time in this process and as many in a
  /// child, side by side.
  static let twoCores = """
    import os
    def both(s):
        if os.fork() == 0:
            busy(s)
            os._exit(0)
        busy(s)
        os.wait()

    """

  static func task(_ shape: Shape, limit: Double, check: String) -> CodingTask {
    let origin = Origin(file: "memory", format: .crucible)
    switch shape {
    case .call:
      return CodingTask(
        id: "echo", prompt: "Return x.", entryPoint: "f", tests: [.data([.int(7)], .int(7))], publicCount: 1,
        origin: origin)
    case .statement:
      return CodingTask(
        id: "echo", prompt: "def f(x):\n", entryPoint: "f", promptCode: "def f(x):\n",
        tests: [.statement("check(candidate)")],
        testSetup: check,
        publicCount: 0, origin: Origin(file: "memory", format: .humanEval))
    case .program:
      return CodingTask(
        id: "echo", prompt: "Print the number.", entryPoint: "", tests: [.io("7\n", "7\n")], publicCount: 1,
        origin: origin, io: ProgramIO(timeLimitSeconds: limit, memoryLimitMiB: 64, checker: .tokens))
    }
  }

  @Test(
    "Each way of spending time: the verdict, the test's recorded time, and when the job ended",
    arguments: Self.cases, SandboxConfiguration.Mode.allCases)
  func limits(_ c: Case, _ mode: SandboxConfiguration.Mode) async throws {
    var judge = Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: c.limit)
    judge.wallFactor = c.wallFactor
    let task = Self.task(c.shape, limit: c.limit, check: c.check)
    let judgement = try await judge.judge(c.program, for: task)
    let result = try #require(judgement.results.first)
    #expect(result.verdict.kind == c.verdict, "\(result.verdict.detail)")
    let ms = try #require(result.milliseconds)
    #expect(c.ms.contains(ms), "recorded \(ms) ms")
    let wall = Double(judgement.run?.wallMicroseconds ?? .max) / 1e6
    #expect(wall < c.wallBelow && wall >= c.wallAbove, "the job took \(wall) s")
    // The next job on the slot is unaffected.
    let next = try await Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: 5).judge(
      c.shape == .program ? "print(int(input()))\n" : "def f(x):\n    return x\n",
      for: Self.task(c.shape, limit: 5, check: Case.honestCheck))
    #expect(next.allPassed, "\(next.results.map(\.verdict.detail))")
  }

  /// A function task of two tests; the candidate starts an orphan (a double
  /// fork, out of its tree and its clock) in the first, which writes a
  /// heartbeat; the second returns 2 only if no heartbeat comes.
  static let orphanProgram = """
    import os, time
    def beat():
        try:
            with open("beat") as f:
                return f.read()
        except OSError:
            return ""
    def f(x):
        if x == 1:
            if os.fork() == 0:
                if os.fork() == 0:
                    n = 0
                    while True:
                        n += 1
                        if n % 20000 == 0:
                            with open("beat", "w") as out:
                                out.write(str(n))
                os._exit(0)
            os.wait()
            while not beat():
                time.sleep(0.01)
            return 1
        first = beat()
        time.sleep(0.3)
        return 2 if beat() == first else -1

    """

  @Test(
    "An orphan started in one test does not live into the next (function tasks: calls and statements)",
    arguments: [false, true], SandboxConfiguration.Mode.allCases)
  func orphanBetweenTests(_ statements: Bool, _ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: 5)
    let origin = Origin(file: "memory", format: statements ? .humanEval : .crucible)
    let task = CodingTask(
      id: "orphan", prompt: "def f(x):\n", entryPoint: "f", promptCode: statements ? "def f(x):\n" : nil,
      tests: statements
        ? [.statement("assert candidate(1) == 1"), .statement("assert candidate(2) == 2")]
        : [.data([.int(1)], .int(1)), .data([.int(2)], .int(2))],
      publicCount: statements ? 0 : 2, origin: origin)
    let judgement = try await judge.judge(Self.orphanProgram, for: task)
    #expect(judgement.results.map(\.verdict.kind) == [.passed, .passed], "\(judgement.results.map(\.verdict.detail))")
    // The slot is clean for the next job.
    let next = try await judge.judge(
      "def f(x):\n    return x\n", for: Self.task(.call, limit: 5, check: Case.honestCheck))
    #expect(next.allPassed, "\(next.results.map(\.verdict.detail))")
  }

  /// Function tasks of `tests` tests `f(i) == i`, i from 1, each with a
  /// program the sweep after every test must handle: the verdict it must
  /// get, whatever the program's processes and threads do.
  struct Between: CustomTestStringConvertible, Sendable {
    var name: String
    var program: String
    var tests: Int
    var limit: Double
    var verdict: TestVerdict.Kind
    /// The last test's verdict, where it differs.
    var last: TestVerdict.Kind? = nil
    var testDescription: String { name }
    var verdicts: [TestVerdict.Kind] { Array(repeating: verdict, count: tests - 1) + [last ?? verdict] }
  }

  static let between: [Between] = [
    // A thread of the candidate plants an orphan with one clone
    // (CLONE_PARENT: out of the candidate's tree at once) just after an
    // answer, between two tests' sweeps; the orphan writes a heartbeat and
    // the test it was born in. It may live through the next test (out of
    // its clock, to the wall backstop, as any orphan), never past it.
    Between(
      name: "an orphan planted between two tests lives through one test at most",
      program: """
        import ctypes, os, random, threading, time
        libc = ctypes.CDLL(None)
        def beating():
            try:
                return time.time() - os.stat("beat").st_mtime < 0.03
            except OSError:
                return False
        def plant(delay, born):
            end = time.perf_counter() + delay
            while time.perf_counter() < end:
                pass
            if libc.syscall(56, 0x8000 | 17, 0, 0, 0, 0) == 0:
                with open("born", "w") as out:
                    out.write(str(born))
                while True:
                    open("beat", "w").close()
                    time.sleep(0.005)
        def f(x):
            if beating() and int(open("born").read()) < x - 1:
                return -x
            if not beating():
                threading.Thread(target=plant, args=(random.uniform(0.002, 0.007), x), daemon=True).start()
            return x
        """, tests: 40, limit: 1, verdict: .passed),
    // Hostile: every id the slot allows taken by threads, so that the
    // trusted side cannot start one: the judge must still judge.
    Between(
      name: "threads holding every id the slot allows: judged, not an infrastructure error",
      program: """
        import threading
        ev = threading.Event()
        def f(x):
            try:
                while True:
                    threading.Thread(target=ev.wait, daemon=True).start()
            except RuntimeError:
                pass
            return x
        """, tests: 2, limit: 1, verdict: .passed),
    // Honest: a pool made when the program loads, used by every call, is
    // in the candidate's tree: it lives on, and no test pays for loading.
    Between(
      name: "a process pool made at import, 0.6 s of work at import and 0.5 s per call: passes a 1 s limit",
      program: busy + """
        import multiprocessing
        busy(0.6)
        POOL = multiprocessing.Pool(2)
        def f(x):
            busy(0.5)
            return sum(POOL.map(abs, [x]))
        """, tests: 3, limit: 1, verdict: .passed),
    // Hostile: a grandchild works in the first tests (charged to them),
    // then its parent is killed, so that it is reaped out of the tree: its
    // earlier time must not come off the last test, which spends 2.2 s.
    Between(
      name: "a process reaped out of the tree gives the test no credit for its earlier time",
      program: busy + """
        import os
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        M = os.fork()
        if M == 0:
            H = os.fork()
            if H == 0:
                parent = os.getppid()
                while True:
                    c = os.read(r1, 1)
                    if c == b"b":
                        busy(0.8)
                        os.write(w2, b"k")
                    elif c == b"q":
                        while os.getppid() == parent:
                            time.sleep(0.001)
                        os._exit(0)
            os.write(w2, str(H).encode().ljust(16))
            while True:
                time.sleep(1000)
        H = int(os.read(r2, 16))
        def f(x):
            if x < 4:
                os.write(w1, b"b")
                os.read(r2, 1)
                return x
            os.write(w1, b"q")
            os.kill(M, 9)
            os.waitpid(M, 0)
            while True:
                try:
                    os.kill(H, 0)
                    time.sleep(0.001)
                except ProcessLookupError:
                    break
            busy(2.2)
            return x
        """, tests: 4, limit: 1, verdict: .passed, last: .timeout),
    // Honest: a pool that replaces each worker after a task (forking just
    // after an answer) is the candidate's own: the program loads once.
    Between(
      name: "a pool replacing its workers after each task: loaded once",
      program: """
        import multiprocessing
        with open("loads", "a") as out:
            out.write("L")
        pool = multiprocessing.Pool(2, maxtasksperchild=1)
        def f(x):
            # (apply, not map: map divides by the number of workers, which
            # is 0 for a moment while the pool replaces them, a CPython race)
            pool.apply(abs, (-x,))
            loads = len(open("loads").read())
            return x if loads == 1 else -loads
        """, tests: 20, limit: 2, verdict: .passed),
    Between(
      name: "a child started and never waited for (a zombie): passes",
      program: """
        import subprocess, sys
        def f(x):
            subprocess.Popen([sys.executable, "-c", "pass"])
            return x
        """, tests: 4, limit: 2, verdict: .passed),
  ]

  @Test(
    "Processes and threads across tests: the sweep after each test", arguments: Self.between,
    SandboxConfiguration.Mode.allCases)
  func acrossTests(_ c: Between, _ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: c.limit)
    let task = CodingTask(
      id: "across", prompt: "Return x.", entryPoint: "f", tests: (1...c.tests).map { .data([.int($0)], .int($0)) },
      publicCount: c.tests, origin: Origin(file: "memory", format: .crucible))
    let judgement = try await judge.judge(c.program, for: task)
    #expect(judgement.results.count == c.tests)
    #expect(judgement.results.map(\.verdict.kind) == c.verdicts, "\(judgement.results.map(\.verdict.detail))")
    let next = try await judge.judge(
      "def f(x):\n    return x\n", for: Self.task(.call, limit: 5, check: Case.honestCheck))
    #expect(next.allPassed, "\(next.results.map(\.verdict.detail))")
  }
}
