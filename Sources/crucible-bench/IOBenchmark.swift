import Foundation
import Glibc
import Judge
import Sandbox
import Suites
import Support

/// Standard-input judging throughput: 100 generated tasks x 10 tests
/// (``IOTasks``), each task's correct reference judged on all its tests,
/// `workers` at once, against Python harnesses run by the same interpreter
/// with the same number of workers:
///
/// * a fresh `python3` per test (`subprocess.run` with the input, a
///   timeout, stdout captured, tokens compared), from a pool of threads:
///   the harness the issue names; the interpreter runs as such harnesses
///   run it, with `site` (whatever the host's site-packages make it cost);
/// * the same with `-I -S`: a fresh interpreter per test at the least it
///   can cost, whatever the host;
/// * LiveCodeBench's scheme (`lcb_runner/evaluation`): per sample, a
///   `multiprocessing.Manager` and a forked `Process`; in it the program is
///   compiled once, wrapped in a function, and every test calls it in
///   process with stdin patched (`unittest.mock.patch`) and stdout
///   captured, a `signal.alarm` per test; lines compared as it does. A
///   `ProcessPoolExecutor` of `workers` processes. (APPS's `testing_util`
///   also runs the tests in process, with no process per sample at all.)
///   Neither starts an interpreter per test.
///
/// Each round runs them one after the other, Crucible first; medians of
/// `rounds`. Crucible's sandbox start-up (a warm pool per round) is timed
/// apart; each baseline times its judging, not its own start. Every
/// evaluator must pass all 1000 tests and fail a wrong program, or the
/// benchmark says so and exits non-zero.
enum IOBenchmark {
  static func run(_ args: [String]) async throws {
    // `io [ROUNDS [WORKERS]] [--crucible-only]`: the flag skips the
    // baselines (for profiling Crucible's side; no ratios then).
    let numbers = args.filter { !$0.hasPrefix("--") }
    let rounds = Int(numbers.first ?? "") ?? 3
    let workers = Int(numbers.dropFirst().first ?? "") ?? 2
    let crucibleOnly = args.contains("--crucible-only")
    let tasks = IOTasks.generate()
    let testCount = tasks.reduce(0) { $0 + $1.tests.count }
    let python = try PythonInterpreter.resolve()
    var load = [Double](repeating: 0, count: 3)
    getloadavg(&load, 3)
    print(
      "stdin judging throughput: \(tasks.count) generated tasks, \(testCount) tests, correct references, "
        + "\(workers) workers, median of \(rounds) rounds")
    print(
      "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, "
        + String(format: "load average %.2f %.2f %.2f at start, ", load[0], load[1], load[2])
        + "\(ProcessInfo.processInfo.operatingSystemVersionString), kernel \(kernel())")
    print("interpreter: \(python.executable) \(python.version) (the baselines run it without -I -S)")

    let dir = NSTemporaryDirectory() + "crucible-bench-io-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tasksFile = "\(dir)/tasks.json"
    try writeTasks(tasks, to: tasksFile)
    // The issue's baseline, its floor (an interpreter that skips `site`
    // and the environment: what a fresh interpreter per test costs at the
    // least), and LiveCodeBench's scheme.
    let baselines: [(label: String, source: String, flags: [String])] =
      crucibleOnly
      ? []
      : [
        ("fresh python3 per test (subprocess.run), \(workers) threads", perTestDriver, []),
        ("fresh python3 -I -S per test (its floor), \(workers) threads", perTestDriver, ["-I", "-S"]),
        ("LiveCodeBench scheme, \(workers) processes", liveCodeBenchDriver, []),
      ]
    for (index, baseline) in baselines.enumerated() {
      try baseline.source.write(toFile: "\(dir)/baseline\(index).py", atomically: true, encoding: .utf8)
    }

    var startups: [Double] = []
    var judging: [Double] = []
    var breakdowns: [Breakdown] = []
    var baselineTimes = [[Double]](repeating: [], count: baselines.count)
    var problems: [String] = []
    for round in 0..<rounds {
      let start = DispatchTime.now().uptimeNanoseconds
      let pool = try await SandboxPool.start(.detect(mode: .warm, workers: workers))
      let started = DispatchTime.now().uptimeNanoseconds
      let judge = Judge(pool: pool)
      // As `crucible check` judges references (ReferenceCheck): every
      // test, `workers` jobs in flight; each call timed.
      let judged = try await boundedMap(tasks, workers: workers) { task in
        let before = DispatchTime.now().uptimeNanoseconds
        let judgement = try await judge.judge(task.solution ?? "", for: task, tests: .all)
        return (judgement, Double(DispatchTime.now().uptimeNanoseconds - before) / 1e6)
      }
      let done = DispatchTime.now().uptimeNanoseconds
      startups.append(Double(started - start) / 1e9)
      judging.append(Double(done - started) / 1e9)
      breakdowns.append(Breakdown(judged))
      let results = judged.flatMap(\.0.results)
      let passed = results.filter { $0.verdict == .passed }.count
      if passed != testCount || results.count != testCount {
        let failure = judged.first { !$0.0.allPassed }?.0
        problems.append(
          "crucible round \(round): \(passed)/\(testCount) tests passed; first failure \(failure?.taskID ?? "?"): "
            + "\(failure?.firstFailure.map { "test \($0.index): \($0.verdict.detail)" } ?? "?")")
      }
      if round == 0 {
        // The check is not vacuous: a wrong program fails every test.
        let judgement = try await judge.judge("print('wrong')\n", for: tasks[0], tests: .all)
        if judgement.results.count != tasks[0].tests.count
          || !judgement.results.allSatisfy({ $0.verdict.kind == .wrongAnswer })
        {
          problems.append("crucible passed something of a wrong program: \(judgement.results.map(\.verdict.kind))")
        }
      }
      pool.shutdown()

      for (index, baseline) in baselines.enumerated() {
        let figures = try runDriver(
          python.executable, "\(dir)/baseline\(index).py", [tasksFile, String(workers), dir] + baseline.flags)
        baselineTimes[index].append(figures.seconds)
        if figures.passed != testCount || figures.tests != testCount {
          problems.append("\(baseline.label) round \(round): \(figures.passed)/\(testCount) tests passed")
        }
        if figures.wrongPassed != 0 {
          problems.append("\(baseline.label) passed \(figures.wrongPassed) tests of a wrong program")
        }
      }
    }
    getloadavg(&load, 3)

    let median = { (values: [Double]) in values.sorted()[values.count / 2] }
    let reference = crucibleOnly ? .nan : median(baselineTimes[0])
    let scheme = crucibleOnly ? .nan : median(baselineTimes[2])
    var rows: [(String, Double)] = [
      ("crucible Judge, warm pool (judging)", median(judging)),
      ("crucible Judge, warm pool (with pool start-up)", median(zip(startups, judging).map { $0 + $1 })),
    ]
    for (index, baseline) in baselines.enumerated() { rows.append((baseline.label, median(baselineTimes[index]))) }
    let allPassed = problems.isEmpty ? "yes" : "NO"
    print("")
    print(
      "evaluator".padding(toLength: 56, withPad: " ", startingAt: 0)
        + "seconds     tests/s   x python3/test   x LCB scheme   all passed")
    for (label, seconds) in rows {
      print(
        label.padding(toLength: 56, withPad: " ", startingAt: 0)
          + String(
            format: "%7.2f  %10.1f  %15.2f  %13.2f   ", seconds, Double(testCount) / seconds, reference / seconds,
            scheme / seconds)
          + allPassed)
    }
    print("")
    let rounded = { (values: [Double]) in values.map { String(format: "%.2f", $0) }.joined(separator: " ") }
    print("per round, seconds: crucible \(rounded(judging)) (pool start-up \(rounded(startups)))")
    for (index, baseline) in baselines.enumerated() { print("  \(baseline.label): \(rounded(baselineTimes[index]))") }
    print(breakdowns.sorted { $0.taskMilliseconds < $1.taskMilliseconds }[breakdowns.count / 2].description)
    print(String(format: "load average at end: %.2f %.2f %.2f", load[0], load[1], load[2]))
    guard problems.isEmpty else {
      for problem in problems { print("WRONG: \(problem)") }
      throw BenchmarkError("some evaluator judged wrongly; the figures above do not count")
    }
  }

  static func kernel() -> String {
    var name = utsname()
    uname(&name)
    return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
  }

  /// Where a round's time went, per task (means over the tasks): the
  /// judge's call, the sandbox job within it (clone to last byte), and the
  /// tests within the job as its trusted side timed them (the child's
  /// fork, the program, reading its output).
  struct Breakdown: CustomStringConvertible {
    var taskMilliseconds = 0.0
    var jobMilliseconds = 0.0
    var testsMilliseconds = 0.0
    var tests = 0.0

    init(_ judged: [(Judgement, Double)]) {
      let count = Double(max(1, judged.count))
      for (judgement, milliseconds) in judged {
        taskMilliseconds += milliseconds / count
        jobMilliseconds += Double(judgement.run?.wallMicroseconds ?? 0) / 1000 / count
        testsMilliseconds += judgement.results.reduce(0) { $0 + ($1.milliseconds ?? 0) } / count
        tests += Double(judgement.results.count) / count
      }
    }

    var description: String {
      String(
        format: "crucible per task (means, median round): judge call %.1f ms = sandbox job %.1f ms "
          + "(of which %.0f tests %.1f ms, %.2f ms each; job set-up and the harness's start and end %.1f ms) "
          + "+ outside the job %.1f ms",
        taskMilliseconds, jobMilliseconds, tests, testsMilliseconds, testsMilliseconds / max(1, tests),
        jobMilliseconds - testsMilliseconds, taskMilliseconds - jobMilliseconds)
    }
  }

  /// The tasks as the baselines read them: program, inputs, outputs, time limit.
  static func writeTasks(_ tasks: [CodingTask], to path: String) throws {
    let objects: [[String: Any]] = tasks.map { task in
      var inputs: [String] = []
      var outputs: [String] = []
      for test in task.tests {
        if case .io(let input, let output) = test.body {
          inputs.append(input)
          outputs.append(output)
        }
      }
      return [
        "id": task.id, "program": task.solution ?? "", "inputs": inputs, "outputs": outputs,
        "timeout": Int((task.io ?? ProgramIO()).timeLimitSeconds.rounded(.up)),
      ]
    }
    try JSONSerialization.data(withJSONObject: objects).write(to: URL(fileURLWithPath: path))
  }

  struct DriverFigures {
    var seconds: Double
    var tests: Int
    var passed: Int
    var wrongPassed: Int
  }

  /// Runs a baseline driver (it times its own judging, not its start) and
  /// reads the one JSON line it prints.
  static func runDriver(_ python: String, _ script: String, _ arguments: [String]) throws -> DriverFigures {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let last = output.split(separator: "\n").last.map(String.init) ?? ""
    guard process.terminationStatus == 0,
      let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
      let seconds = object["seconds"] as? Double, let tests = object["tests"] as? Int,
      let passed = object["passed"] as? Int, let wrong = object["wrong_passed"] as? Int
    else {
      throw BenchmarkError("\(script) exited \(process.terminationStatus): \(output.suffix(500))")
    }
    return DriverFigures(seconds: seconds, tests: tests, passed: passed, wrongPassed: wrong)
  }

  /// A fresh interpreter per test, as harnesses that shell out do: the
  /// program written to a file once per task, then per test
  /// `subprocess.run([python, file], input=..., capture_output=True,
  /// timeout=...)` and the output's tokens compared.
  static let perTestDriver = """
    import json
    import os
    import subprocess
    import sys
    import time
    from concurrent.futures import ThreadPoolExecutor


    def judge(python, directory, name, task):
        path = os.path.join(directory, "solution_%s_%d.py" % (name, os.getpid()))
        with open(path, "w") as f:
            f.write(task["program"])
        passed = []
        for data, expected in zip(task["inputs"], task["outputs"]):
            try:
                run = subprocess.run(python + [path], input=data, capture_output=True, text=True,
                                     timeout=task["timeout"])
            except subprocess.TimeoutExpired:
                passed.append(False)
                continue
            passed.append(run.returncode == 0 and run.stdout.split() == expected.split())
        return passed


    def main():
        with open(sys.argv[1]) as f:
            tasks = json.load(f)
        workers, directory = int(sys.argv[2]), sys.argv[3]
        python = [sys.executable] + sys.argv[4:]
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda item: judge(python, directory, item[0], item[1]), enumerate(tasks)))
        seconds = time.perf_counter() - start
        wrong = judge(python, directory, "wrong", dict(tasks[0], program="print('wrong')\\n"))
        print(json.dumps({"seconds": seconds, "tests": sum(map(len, results)), "passed": sum(map(sum, results)),
                          "wrong_passed": sum(wrong)}))


    main()

    """

  /// LiveCodeBench's evaluation of a standard-input sample, rewritten
  /// here step for step (not its code): `check_correctness` (a Manager,
  /// a Process, a join with a global timeout), `run_test` and `grade_stdio`
  /// (the reliability guard; the program without its `if __name__` block,
  /// wrapped in a function after the star-imports prelude; per test an
  /// alarm, faulthandler, stdout captured, stdin patched by five
  /// `unittest.mock.patch`es entered in the order its stacked decorators
  /// enter them; stripped lines compared, then as decimals), all under a
  /// `ProcessPoolExecutor`. The evaluator imports numpy, as
  /// `testing_util` does, when it is installed.
  static let liveCodeBenchDriver = """
    import ast
    import builtins
    import faulthandler
    import json
    import multiprocessing
    import os
    import signal
    import sys
    import time
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from contextlib import ExitStack
    from decimal import Decimal
    from io import StringIO
    from types import ModuleType
    from unittest.mock import mock_open, patch

    try:
        import numpy  # noqa: F401  (testing_util imports it)
    except ImportError:
        pass

    MODULES = ["string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math", "random", "statistics",
               "itertools", "functools", "operator", "io", "sys", "json", "builtins", "typing"]
    PRELUDE = ("".join("from %s import *\\n" % m for m in MODULES)
               + "".join("import %s\\n" % m for m in MODULES[:-2]) + "sys.setrecursionlimit(50000)\\n")


    class Timeout(Exception):
        pass


    def on_alarm(signum, frame):
        raise Timeout()


    def without_main_block(code):
        try:
            tree = ast.parse(code)
            last = tree.body[-1]
            if isinstance(last, ast.If) and ast.unparse(last.test).strip() == "__name__ == '__main__'":
                code = ast.unparse(tree.body[:-1]) + "\\n" + ast.unparse(last.body)
        except Exception:
            pass
        return code


    def wrapped(code):
        try:
            tree = ast.parse(code)
            imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
            rest = [s for s in tree.body if not isinstance(s, (ast.Import, ast.ImportFrom))]
            function = ast.FunctionDef(name="wrapped_function", args=ast.arguments(
                posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]), body=rest, decorator_list=[],
                lineno=-1)
            return PRELUDE + "\\n" + ast.unparse(imports) + "\\n" + ast.unparse(function)
        except Exception:
            return code


    def guard():
        import shutil
        import subprocess

        faulthandler.disable()
        builtins.exit = None
        builtins.quit = None
        os.environ["OMP_NUM_THREADS"] = "1"
        for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
                     "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown",
                     "chmod", "chown", "chroot", "lchown", "getcwd", "chdir"):
            setattr(os, name, None)
        shutil.rmtree = shutil.move = shutil.chown = None
        subprocess.Popen = None


    def call(function, data):
        lines = iter(data.split("\\n"))
        with ExitStack() as stack:
            stack.enter_context(patch("sys.stdin.read", lambda *a: data))
            stack.enter_context(patch("sys.stdin.readlines", lambda *a: data.split("\\n")))
            stack.enter_context(patch("sys.stdin.readline", lambda *a: next(lines)))
            stack.enter_context(patch("sys.stdin", StringIO(data)))
            stack.enter_context(patch("builtins.open", mock_open(read_data=data)))
            try:
                return function()
            except SystemExit:
                pass


    def decimals(line):
        try:
            return True, [Decimal(token) for token in line.split()]
        except Exception:
            return False, []


    def same(actual, expected):
        actual = [line.strip() for line in actual.strip().split("\\n")]
        expected = [line.strip() for line in expected.strip().split("\\n")]
        if len(actual) != len(expected):
            return False
        for a, e in zip(actual, expected):
            if a == e:
                continue
            ok_a, dec_a = decimals(a)
            ok_e, dec_e = decimals(e)
            if not (ok_a and ok_e and dec_a == dec_e):
                return False
        return True


    def run_sample(sample, program, timeout, results):
        signal.signal(signal.SIGALRM, on_alarm)
        guard()
        tests = json.loads(sample)
        code = wrapped(without_main_block(program))
        signal.alarm(timeout)
        try:
            module = ModuleType("tmp_sol", "")
            exec(code, module.__dict__)
            function = module.wrapped_function
        except BaseException:
            results.append([-4])
            return
        finally:
            signal.alarm(0)
        outcome = []
        for data, expected in zip(tests["inputs"], tests["outputs"]):
            signal.alarm(timeout)
            faulthandler.enable()
            saved, captured = sys.stdout, StringIO()
            sys.stdout = captured
            try:
                call(function, data)
                signal.alarm(0)
            except Exception as error:
                outcome.append(-3 if isinstance(error, Timeout) else -4)
                break
            finally:
                sys.stdout = saved
                signal.alarm(0)
                faulthandler.disable()
            if not same(captured.getvalue(), expected):
                outcome.append(-2)
                break
            outcome.append(True)
        results.append(outcome)


    def check_correctness(sample, program, timeout):
        manager = multiprocessing.Manager()
        results = manager.list()
        process = multiprocessing.Process(target=run_sample, args=(sample, program, timeout, results))
        process.start()
        process.join(timeout=(timeout + 1) * len(json.loads(sample)["inputs"]) + 5)
        if process.is_alive():
            process.kill()
        if not results:
            return [-1] * len(json.loads(sample)["inputs"])
        return list(results[0])


    def evaluate(programs, sample, timeout):
        return [check_correctness(sample, program, timeout) for program in programs]


    def judge_all(tasks, workers, programs):
        results = [None] * len(tasks)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(evaluate, [programs[i]], task["sample"], task["timeout"]): i
                       for i, task in enumerate(tasks)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()[0]
        return results


    def main():
        with open(sys.argv[1]) as f:
            tasks = json.load(f)
        workers = int(sys.argv[2])
        for task in tasks:
            task["sample"] = json.dumps({"inputs": task["inputs"], "outputs": task["outputs"]})
        start = time.perf_counter()
        results = judge_all(tasks, workers, [task["program"] for task in tasks])
        seconds = time.perf_counter() - start
        wrong = judge_all(tasks[:1], 1, ["print('wrong')\\n"])[0]
        print(json.dumps({"seconds": seconds, "tests": sum(len(t["inputs"]) for t in tasks),
                          "passed": sum(sum(1 for r in result if r is True) for result in results),
                          "wrong_passed": sum(1 for r in wrong if r is True)}))


    if __name__ == "__main__":
        main()

    """
}
