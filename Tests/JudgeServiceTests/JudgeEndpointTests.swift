import Foundation
import Judge
import JudgeService
import Suites
import TestSupport
import Testing
import Values

/// The verdicts of a /v1/judge result, as `index kind` lines.
func kinds(_ result: [String: Any]) -> [String] {
  (result["tests"] as? [[String: Any]] ?? []).map { "\($0["index"] ?? "?") \($0["verdict"] ?? "?")" }
}

func kinds(_ judgement: Judgement) -> [String] { judgement.results.map { "\($0.index) \($0.verdict.kind.rawValue)" } }

@Suite(.timeLimit(.minutes(15))) struct JudgeEndpointTests {
  @Test("An inline task reads as the same task the suites load", arguments: [TestTasks.data, TestTasks.code])
  func sameTask(_ task: CodingTask) throws {
    let json = try JSON.parse(HTTP.json(InlineTasks.of(task.id)))
    guard case .object(let members) = json else { throw Failure.notAnObject }
    let inline = try Suite.task(members, source: "task")
    #expect(inline.tests == task.tests && inline.publicCount == task.publicCount && inline.testSetup == task.testSetup)
    #expect(inline.entryPoint == task.entryPoint)
  }

  enum Failure: Error { case notAnObject }

  @Test(
    "The tamper suite through HTTP: the judge's own verdicts, no pass, no leak; the controls beside them exact",
    arguments: [TestTasks.data, TestTasks.code])
  func tamper(_ task: CodingTask) async throws {
    // A pool of its own: this table holds both slots for minutes, and the
    // module's other servers must not wait behind it.
    let pool = try await Pools.shared.pool(.warm, own: "tamper")
    let hacks = TamperCase.all + Forgery.cases
    let controls = [task.solution!, "def square(x):\n    return x * x if x > 2 else -x\n"]
    try await withServer(Served.settings { $0.maxCandidates = 100 }, pool: pool) { served in
      let programs = hacks.map(\.program) + controls
      let body = HTTP.json(["task": InlineTasks.of(task.id), "candidates": programs])
      let answer = try await HTTP.post(served.url + "/v1/judge", body, timeout: 900)
      #expect(answer.status == 200, "\(answer.body.prefix(500))")
      let results = answer.json["results"] as? [[String: Any]] ?? []
      #expect(results.map { $0["candidate"] as? Int } == programs.indices.map { $0 })
      #expect(!answer.body.contains(String(TestTasks.marker)) && !answer.body.contains("LEAKED"))
      #expect(HostileText.hidden(in: answer.body).isEmpty)
      let judge = Judge(pool: pool, testTimeoutSeconds: 3)
      for (index, program) in programs.enumerated() where index < results.count {
        let name = index < hacks.count ? hacks[index].name : "control \(index - hacks.count)"
        let reward = results[index]["reward"] as? [String: Any] ?? [:]
        let direct = Reward(try await judge.judge(program, for: task).results)
        // Which test a hack's tampering is charged to, and so the worst
        // way a test failed, can depend on timing (seen under CI load:
        // tamper on one side, a wrong answer on the other); whether the
        // candidate passes cannot.
        #expect(reward["outcome"] as? Bool == direct.outcome, "\(name) on \(task.id)")
        #expect(results[index]["infrastructure_error"] as? Bool == false, "\(name) on \(task.id)")
        #expect(!kinds(results[index]).contains { $0.hasSuffix("infrastructure_error") }, "\(name)")
        if index < hacks.count {
          #expect(!kinds(results[index]).contains { $0.hasSuffix(" passed") }, "\(name) on \(task.id)")
        } else {
          #expect(kinds(results[index]) == kinds(try await judge.judge(program, for: task)), "\(name)")
        }
      }
      #expect(results.last.map(kinds) != results.dropLast().last.map(kinds), "the controls differ")
    }
  }

  @Test("Right and wrong programs: verdicts, reward and grade; the stream gives every candidate, then done")
  func rewards() async throws {
    try await withServer { served in
      let programs = [
        TestTasks.data.solution!, "def square(x):\n    return x + x\n", "def square(x):\n    raise KeyError(x)\n",
        "def square(:\n",
      ]
      let body = HTTP.json(["task": InlineTasks.data, "candidates": programs])
      let answer = try await HTTP.post(served.url + "/v1/judge", body)
      let results = answer.json["results"] as? [[String: Any]] ?? []
      let rewards = results.map { $0["reward"] as? [String: Any] ?? [:] }
      #expect(rewards.map { $0["outcome"] as? Bool } == [true, false, false, false])
      #expect(rewards.map { $0["grade"] as? String } == ["passed", "wrong_answer", "runtime_error", "syntax_error"])
      // x + x == x * x only for 2 and 0: two of eight tests.
      #expect(rewards[1]["fraction"] as? Double == 0.25)
      #expect(answer.json["task_id"] as? String == "square-data")

      let stream = try await HTTP.post(served.url + "/v1/judge/stream", body)
      let lines = stream.body.split(separator: "\n").map {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
      }
      #expect(lines.count == programs.count + 1 && lines.last?["done"] as? Int == programs.count)
      #expect(Set(lines.dropLast().compactMap { $0["candidate"] as? Int }) == Set(programs.indices))
      for line in lines.dropLast() {
        let index = line["candidate"] as? Int ?? -1
        #expect(kinds(line) == kinds(results[index]))
      }
      let publicOnly = try await HTTP.post(
        served.url + "/v1/judge", HTTP.json(["task": InlineTasks.data, "candidate": programs[1], "tests": "public"]))
      #expect(kinds((publicOnly.json["results"] as? [[String: Any]])?.first ?? [:]).count == 3)
    }
  }

  @Test("Bad judge requests name the field and the value")
  func refused() async throws {
    try await withServer(Served.settings { $0.maxCandidates = 2 }) { served in
      let cases: [([String: Any], Int, [String])] = [
        (["candidates": ["x"]], 400, ["task"]),
        (["task": ["task_id": "t"], "candidates": ["x"]], 400, ["shape"]),
        (["task": InlineTasks.data], 400, ["candidates"]),
        (["task": InlineTasks.data, "candidates": ["a", "b", "c"]], 413, ["3 candidates", "at most 2"]),
        (["task": InlineTasks.data, "candidates": [1]], 400, ["candidates[0]"]),
        (["task": InlineTasks.data, "candidates": ["x"], "tests": "secret"], 400, ["tests", "secret"]),
        (["task": InlineTasks.data, "candidates": ["x"], "timeout": 1e6], 400, ["timeout"]),
        (["task": InlineTasks.code, "candidates": ["x"], "tests": "public"], 400, ["no public tests"]),
        (["task": InlineTasks.data, "candidates": ["x"], "timout": 1], 400, ["unknown field timout"]),
      ]
      for (body, status, words) in cases {
        let answer = try await HTTP.post(served.url + "/v1/judge", HTTP.json(body))
        let message = answer.json["error"] as? String ?? ""
        #expect(answer.status == status && words.allSatisfy(message.contains), "\(body.keys.sorted()): \(answer.body)")
      }
    }
  }
}

@Suite(.timeLimit(.minutes(5))) struct TaskCodeTests {
  /// HumanEval test code that patches the harness in the process it runs
  /// in: later runs would report exit 0 and a forged output, and every
  /// later job's spec (another client's program) would be kept.
  static let poison = """
    import sys, json
    r = sys.modules["runner"]
    if not hasattr(r, "_stolen"):
        r._stolen = []
        real_judge, real_run = r.judge, r.run_program
        def judge(spec, *a, **k):
            r._stolen.append(json.dumps(spec.get("program")))
            return real_judge(spec, *a, **k)
        def run_program(*a, **k):
            real_run(*a, **k)
            return r.outcome("exited", code=0, stdout="Rk9SR0VE")
        r.judge, r.run_program = judge, run_program
    def check(candidate):
        stolen = getattr(r, "_stolen", [])
        assert not any("victim-secret" in s for s in stolen), "STOLEN " + " | ".join(stolen)

    """

  @Test("A task's own code (HumanEval's test) cannot change or read later jobs of other clients")
  func isolated() async throws {
    // One warm slot: every job goes through the same long-lived judge.
    let pool = try await Pools.shared.pool(.warm, workers: 1)
    try await withServer(pool: pool) { served in
      let task: [String: Any] = [
        "task_id": "HumanEval/poison", "prompt": "def f(x):\n", "entry_point": "f",
        "canonical_solution": "    return x\n", "test": Self.poison,
      ]
      let body = HTTP.json(["task": task, "candidate": "def f(x):\n    return x\n"])
      let first = try await HTTP.post(served.url + "/v1/judge", body)
      #expect(first.status == 200, "\(first.body)")
      let victim = RunCase.python("API_KEY = 'victim-secret-42'\nimport sys\nprint('real')\nsys.exit(7)")
      let run = try await HTTP.post(served.url + "/run_code", HTTP.json(victim))
      let result = run.json["run_result"] as? [String: Any] ?? [:]
      #expect(run.json["status"] as? String == "Failed" && result["return_code"] as? Int == 7, "\(run.body)")
      #expect(result["stdout"] as? String == "real\n", "\(run.body)")
      let again = try await HTTP.post(served.url + "/v1/judge", body)
      #expect(!again.body.contains("victim-secret") && !again.body.contains("STOLEN"), "\(again.body)")
      #expect((again.json["results"] as? [[String: Any]])?.first?["passed"] as? Bool == true, "\(again.body)")
    }
  }
}
