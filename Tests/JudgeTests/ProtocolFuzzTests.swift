import Foundation
import Judge
import Sandbox
import Suites
import TestSupport
import Testing
import Verdicts

/// A protocol fuzzer: candidate programs that write random and
/// well-formed-but-hostile frames on their channel to the trusted side, at
/// load, inside calls, from a thread between calls, and again after every
/// restart, and that exit, kill themselves or stall at random. Their own
/// answers and every value they forge are wrong (negative numbers, strings,
/// lists, None: never a square, and no float a Python `==` could take for
/// one), so any `passed` is a forgery.
enum FuzzProgram {
  static func source(seed: Int) -> String {
    Forgery.prelude + """
      import random, threading
      SEED = \(seed)
      try:
          restarts = len(os.listdir("/tmp"))
          open("/tmp/r%d" % restarts, "w").close()
      except OSError:
          restarts = 99
      R = random.Random(SEED * 1000 + restarts)
      KEYS = ["kind", "seq", "value", "status", "test", "outcome", "ms", "type", "message", "line", "reason",
              "event", "nonce", "args", "program", "call", "pid", "signal", "exit_code"]
      KINDS = ["ready", "returned", "raised", "unencodable", "syntax_error", "load_error", "missing", "passed",
               "failed", "test_error", "setup_error", "tamper", "timeout", "died", "start_failed", "", None, 1]
      def wrong(depth=0):
          c = R.randrange(8)
          if depth > 3 or c < 3:
              return R.choice([None, -1, -(2 ** 70), "x", "\\x1b[2J\\n", "\\ud800", "passed", -0.5, float("-inf")])
          if c == 3:
              return [wrong(depth + 1) for _ in range(R.randrange(4))]
          if c == 4:
              return {R.choice(["tuple", "set", "frozenset", "dict", "bytes", "str"]): wrong(depth + 1)}
          if c == 5:
              return {"dict": [[wrong(depth + 1), wrong(depth + 1)] for _ in range(R.randrange(3))]}
          return {R.choice(KEYS): wrong(depth + 1) for _ in range(R.randrange(1, 4))}
      def frame():
          c = R.randrange(12)
          if c == 0:
              return bytes(R.randrange(256) for _ in range(R.randrange(1, 40)))
          if c == 1:
              return struct.pack(">I", R.choice([0, 1, 7, 2 ** 31, 2 ** 32 - 1]))
          obj = {k: wrong() for k in R.sample(KEYS, R.randrange(0, 5))}
          if R.random() < 0.8:
              obj["kind"] = R.choice(KINDS)
          if R.random() < 0.6:
              obj["seq"] = R.randrange(0, 12)
          if R.random() < 0.5:
              obj["value"] = wrong()
          data = json.dumps(obj).encode()
          whole = struct.pack(">I", len(data)) + data
          return whole if R.random() < 0.85 else whole[:R.randrange(len(whole))]
      def act():
          for _ in range(R.randrange(0, 3)):
              raw(frame())
          c = R.randrange(16)
          if c == 0:
              os._exit(R.choice([0, 1, 3]))
          if c == 1:
              time.sleep(R.choice([0.01, 0.2, 1.5]))
          if c == 2:
              os.kill(os.getpid(), 9)
      if R.random() < 0.5:
          act()
      if R.random() < 0.3:
          def loop():
              while True:
                  time.sleep(R.choice([0.001, 0.01, 0.05]))
                  act()
          threading.Thread(target=loop, daemon=True).start()
      def square(x):
          act()
          return R.choice([-1, "no", None, [x], -x * x - 1])
      """
  }
}

@Suite(.timeLimit(.minutes(10))) struct ProtocolFuzzTests {
  @Test(
    "Fuzzed frames from the candidate side: never a pass, never an infrastructure error, escaped text",
    arguments: SandboxConfiguration.Mode.allCases)
  func fuzz(_ mode: SandboxConfiguration.Mode) async throws {
    let judge = Judge(pool: try await Pools.shared.pool(mode), testTimeoutSeconds: 1)
    var outcomes: [TestVerdict.Kind: Int] = [:]
    for seed in 0..<24 {
      let program = FuzzProgram.source(seed: seed)
      for task in TestTasks.both {
        let judgement = try await judge.judge(program, for: task)
        let summary = "seed \(seed) on \(task.id) (\(mode)): \(judgement.results.map(\.verdict.detail))"
        #expect(judgement.results.count == task.tests.count, "\(summary)")
        #expect(judgement.results.allSatisfy { $0.verdict != .passed }, "\(summary)")
        #expect(!judgement.hasInfrastructureError, "\(summary)")
        #expect(judgement.results.allSatisfy { !hasControlCharacters($0.verdict.detail) }, "\(summary)")
        for result in judgement.results { outcomes[result.verdict.kind, default: 0] += 1 }
      }
    }
    // The fuzzer reaches the protocol's checks, not only the comparison.
    #expect(outcomes[.tamper, default: 0] > 0, "\(outcomes)")
    #expect(outcomes[.wrongAnswer, default: 0] > 0, "\(outcomes)")
    #expect(outcomes[.runtimeError, default: 0] > 0, "\(outcomes)")
  }
}
