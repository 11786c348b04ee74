import BuiltinFamily
import Foundation
import Journal
import Judge
import Learning
import LocalFamily
import ModelFamily
import Policy
import Search
import Suites
import Synthesis
import TestSupport
import Testing
import Values

/// Tasks in the suite format, with their intended programs: what a round
/// of search would have found.
enum Solved {
  static func task(_ id: String, _ prompt: String, _ signature: String, _ tests: [TestCase]) -> CodingTask {
    CodingTask(
      id: id, prompt: prompt, entryPoint: Signature.parse(signature)!.name, signature: Signature.parse(signature),
      tests: tests, publicCount: 3, origin: Origin(file: "memory", format: .crucible))
  }

  static func ints(_ xs: [Int]) -> Value { .list(xs.map { .int($0) }) }

  static let tasks: [(CodingTask, String)] = [
    (
      task(
        "sum-evens", "Return the sum of the even numbers of the list `xs`.", "def sum_evens(xs: list[int]) -> int",
        [
          .data([ints([1, 2, 4])], .int(6)), .data([ints([])], .int(0)), .data([ints([3])], .int(0)),
          .data([ints([8, 8])], .int(16)),
        ]), "(sum (filter_ints (even $0) @0))"
    ),
    (
      task(
        "count-big", "Return how many numbers of the list `xs` are greater than `k`.",
        "def count_big(xs: list[int], k: int) -> int",
        [
          .data([ints([1, 5, 9]), .int(4)], .int(2)), .data([ints([]), .int(0)], .int(0)),
          .data([ints([2, 2]), .int(1)], .int(2)), .data([ints([7]), .int(7)], .int(0)),
        ]), "(count_ints (gt $0 @1) @0)"
    ),
    (
      task(
        "shout-words", "Return the words of `s` in upper case.", "def shout_words(s: str) -> list[str]",
        [
          .data([.str("a b")], .list([.str("A"), .str("B")])), .data([.str("")], .list([])),
          .data([.str("hi")], .list([.str("HI")])), .data([.str("x y z")], .list([.str("X"), .str("Y"), .str("Z")])),
        ]), "(map_strs (upper $0) (split @0))"
    ),
  ]

  static func candidate(_ program: String, payload: String, parent: String? = nil) -> Candidate {
    Candidate(
      program: program, score: -10,
      provenance: Provenance(policy: "builtin", parameters: "test", sampleIndex: 0, parent: parent), payload: payload,
      cost: 100)
  }

  static func results(_ task: CodingTask, passed: [Bool], selection: TestSelection) -> [TestResult] {
    Array(selection.indices(task)).map { i in
      TestResult(
        index: i, isPublic: i < task.publicCount,
        verdict: passed[i - selection.indices(task).lowerBound] ? .passed : .wrongAnswer(expected: "1", actual: "2"))
    }
  }

  /// A round in which every task was solved by its intended program; the
  /// first task's solution came from repairing a wrong first try.
  static func experience(round: Int = 0) throws -> Experience {
    var outcomes: [TaskOutcome] = []
    var attempts: [AttemptRecord] = []
    var solutions: [String: Solution] = [:]
    for (index, (task, text)) in tasks.enumerated() {
      let expr = try #require(Expr.parse(text))
      let synthesis = try SynthesisTask(TaskView(task))
      let program = PythonRenderer(constants: synthesis.constants).program(
        expr, entryPoint: task.entryPoint, parameterNames: synthesis.parameterNames)
      var chosen = candidate(program, payload: text)
      if index == 0 {
        let wrong = candidate("def sum_evens(xs):\n    return sum(xs)\n", payload: "(sum @0)")
        attempts.append(
          AttemptRecord(
            taskID: task.id, step: 0, index: 0, candidate: wrong, selection: .publicOnly,
            results: results(task, passed: [false, true, true], selection: .publicOnly), milliseconds: 1))
        chosen = candidate(program, payload: text, parent: wrong.id)
      }
      attempts.append(
        AttemptRecord(
          taskID: task.id, step: index == 0 ? 1 : 0, index: 0, candidate: chosen, selection: .publicOnly,
          results: results(task, passed: [true, true, true], selection: .publicOnly), milliseconds: 1))
      attempts.append(
        AttemptRecord(
          taskID: task.id, step: index == 0 ? 1 : 0, index: 0, candidate: chosen, selection: .hiddenOnly,
          results: results(task, passed: [true], selection: .hiddenOnly), milliseconds: 1))
      outcomes.append(
        TaskOutcome(
          taskID: task.id, solved: true, chosen: chosen, hiddenPassed: 1, hiddenTotal: 1,
          attempts: index == 0 ? 2 : 1, sandboxRuns: index == 0 ? 3 : 2, proposals: 1, wallMilliseconds: 1,
          stop: "passed-public"))
      solutions[task.id] = Solution(taskID: task.id, round: round, program: program, payload: text, cost: 100)
    }
    return Experience(
      round: round, tasks: tasks.map(\.0), outcomes: outcomes, attempts: attempts, solutions: solutions)
  }
}

extension PythonRenderer {
  func program(_ expr: Expr, entryPoint: String, parameterNames: [String]) -> String {
    program(expr, entryPoint: entryPoint, parameters: parameterNames)
  }
}

@Suite(.timeLimit(.minutes(10))) struct LearnerTests {
  @Test("Learning (bc or pg) from solved tasks raises the probability of their programs", arguments: Method.allCases)
  func learningRaisesProbability(method: Method) async throws {
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let learner = BuiltinLearner(
      directory: dir, initial: Prior.model, method: method, searchPrograms: 1000, evalPrograms: 1000)
    let experience = try Solved.experience()
    let update = try await learner.learn(from: experience)
    #expect(!update.line.isEmpty && update.dreamedTasks == 0)
    if method == .bc {
      #expect(update.realTasks == experience.solutions.count, "\(update)")
    } else {
      #expect((1...Solved.tasks.count).contains(update.realTasks), "\(update)")
    }
    let trained = try Checkpoint.load("\(dir)/round-1/checkpoint.json")
    #expect(trained.name == "round-1" && trained.lineage.count == Prior.model.lineage.count + 1)
    for (task, text) in Solved.tasks {
      let synthesis = try SynthesisTask(TaskView(task))
      let program = try #require(Expr.parse(text))
      let before = try #require(Prior.model.logProbability(of: program, in: synthesis))
      let after = try #require(trained.logProbability(of: program, in: synthesis))
      // Under pg too: a task's only candidate is measured against the
      // round's mean reward, so a lone solution still goes up.
      #expect(after > before, "\(task.id): \(before) -> \(after)")
    }
    // For the policy gradient, the wrong first try went down.
    if method == .pg {
      let synthesis = try SynthesisTask(TaskView(Solved.tasks[0].0))
      let wrong = try #require(Expr.parse("(sum @0)"))
      #expect(
        try #require(trained.logProbability(of: wrong, in: synthesis))
          < (try #require(Prior.model.logProbability(of: wrong, in: synthesis))))
    }
  }

  @Test("pg: a task's only candidate is weighed against the round's mean, up when it passed, down when it failed")
  func loneCandidates() async throws {
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // count-big solved by its only candidate; shout-words tried once, wrongly.
    let (solvedTask, solvedText) = Solved.tasks[1]
    let (failedTask, _) = Solved.tasks[2]
    let wrongText = "(split @0)"
    var attempts: [AttemptRecord] = []
    for (task, text, passed) in [(solvedTask, solvedText, true), (failedTask, wrongText, false)] {
      attempts.append(
        AttemptRecord(
          taskID: task.id, step: 0, index: 0, candidate: Solved.candidate("program of \(task.id)", payload: text),
          selection: .publicOnly,
          results: Solved.results(task, passed: [passed, false, passed], selection: .publicOnly), milliseconds: 1))
    }
    let experience = Experience(
      round: 0, tasks: [solvedTask, failedTask], outcomes: [], attempts: attempts, solutions: [:])
    let learner = BuiltinLearner(
      directory: dir, initial: Prior.model, method: .pg, searchPrograms: 1000, evalPrograms: 1000)
    _ = try await learner.learn(from: experience)
    let trained = try Checkpoint.load("\(dir)/round-1/checkpoint.json")
    func change(_ task: CodingTask, _ text: String) throws -> Double {
      let synthesis = try SynthesisTask(TaskView(task))
      let program = try #require(Expr.parse(text))
      return try #require(trained.logProbability(of: program, in: synthesis))
        - (try #require(Prior.model.logProbability(of: program, in: synthesis)))
    }
    #expect(try change(solvedTask, solvedText) > 0)
    #expect(try change(failedTask, wrongText) < 0)
  }

  @Test("With dreams, behavior cloning learns from dreamed tasks beside the solved ones, the same bytes every time")
  func learningWithDreams() async throws {
    var checkpoints: [Data?] = []
    for _ in 0..<2 {
      let dir = try scratch("crucible-learning")
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let learner = BuiltinLearner(
        directory: dir, initial: Prior.model, method: .bc, searchPrograms: 1000, evalPrograms: 1000, dreams: 30)
      #expect(learner.identity["dreams"] == "30")
      let experience = try Solved.experience()
      let update = try await learner.learn(from: experience)
      #expect(update.realTasks == experience.solutions.count)
      #expect((1...30).contains(update.dreamedTasks), "\(update)")
      #expect(update.line.contains("\(update.dreamedTasks) dreamed"), "\(update.line)")
      checkpoints.append(FileManager.default.contents(atPath: "\(dir)/round-1/checkpoint.json"))
    }
    #expect(checkpoints[0] != nil && checkpoints[0] == checkpoints[1])
    // Policy gradient has no reward for a dream: none are made.
    #expect(
      BuiltinLearner(
        directory: "/nonexistent", initial: Prior.model, method: .pg, searchPrograms: 1, evalPrograms: 1,
        dreams: 30
      ).dreams == 0)
  }

  @Test("A trained checkpoint loads and reproduces its results under a seed")
  func checkpointReproduces() async throws {
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let learner = BuiltinLearner(
      directory: dir, initial: Prior.model, method: .bc, searchPrograms: 50_000, evalPrograms: 50_000)
    _ = try await learner.learn(from: try Solved.experience())
    // In memory (what was trained) and from disk (what was saved) are the same model...
    let loaded = try Checkpoint.load("\(dir)/round-1/checkpoint.json")
    let again = try Checkpoint.load("\(dir)/round-1/checkpoint.json")
    #expect(loaded == again)
    // ...and learning again from the same data writes the same bytes.
    let dir2 = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir2) }
    let twin = BuiltinLearner(
      directory: dir2, initial: Prior.model, method: .bc, searchPrograms: 50_000, evalPrograms: 50_000)
    _ = try await twin.learn(from: try Solved.experience())
    #expect(
      FileManager.default.contents(atPath: "\(dir)/round-1/checkpoint.json")
        == FileManager.default.contents(atPath: "\(dir2)/round-1/checkpoint.json"))
    // The policies of the two give the same candidates, in the same order.
    for (task, _) in Solved.tasks {
      let request = ProposeRequest(task: TaskView(task), count: 4, seed: 42)
      let a = try await learner.policy(round: 1, purpose: .evaluation).propose(request)
      let b = try await twin.policy(round: 1, purpose: .evaluation).propose(request)
      #expect(!a.isEmpty && a == b)
    }
  }
}

@Suite(.timeLimit(.minutes(10))) struct ExportTests {
  @Test("SFT export: chat JSONL that reads back equal and matches the schema, repair turns included")
  func roundTrip() throws {
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let records = SFTExport.records(try Solved.experience(round: 2), prompts: try Prompts.shipped())
    #expect(records.count == 3)
    let path = "\(dir)/sft.jsonl"
    try SFTExport.write(records, to: path)
    let read = try SFTExport.read(path)
    #expect(read == records)
    // Plain JSON, one object per line, with the documented fields.
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    for line in lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(Set(object.keys) == ["task_id", "round", "source", "messages"])
      let messages = try #require(object["messages"] as? [[String: String]])
      #expect(messages.allSatisfy { Set($0.keys) == ["role", "content"] })
    }
    // The repaired task: proposal, the wrong program, its feedback, the fix.
    let repaired = try #require(read.first { $0.taskID == "sum-evens" })
    #expect(repaired.messages.map(\.role) == ["system", "user", "assistant", "user", "assistant"])
    #expect(repaired.messages[1].content.contains("Return the sum of the even numbers"))
    #expect(repaired.messages[1].content.contains("assert sum_evens([1, 2, 4]) == 6"))
    #expect(repaired.messages[2].content.contains("return sum(xs)"))
    #expect(repaired.messages[3].content.contains("wrong_answer"))
    #expect(repaired.messages[4].content.contains("x % 2 == 0"))
    #expect(read.first { $0.taskID == "count-big" }?.messages.count == 3)
  }

  static let badLines: [(String, String)] = [
    ("not json", "not an SFT record"),
    (#"{"task_id": "t", "round": 0, "source": "crucible", "messages": []}"#, "roles"),
    (
      #"{"task_id": "t", "round": 0, "source": "crucible", "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]}"#,
      "roles"
    ),
    (
      #"{"task_id": "t", "round": 0, "source": "crucible", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}, {"role": "assistant", "content": "no code here"}]}"#,
      "fenced"
    ),
    (#"{"task_id": "t", "round": 0, "messages": []}"#, "not an SFT record"),
  ]

  @Test("SFT files that break the schema are refused with the line", arguments: badLines.indices)
  func badRecords(_ index: Int) throws {
    let (line, mentions) = Self.badLines[index]
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = "\(dir)/bad.jsonl"
    try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: LearningError.self) { try SFTExport.read(path) }
    #expect(error?.description.contains("\(path):1") == true)
    #expect(error?.description.contains(mentions) == true, "\(String(describing: error))")
  }

  @Test("The exemplar memory keeps one exemplar per task and retrieves the most similar prompts")
  func exemplars() throws {
    let dir = try scratch("crucible-learning")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var memory = ExemplarMemory()
    memory.add([
      Exemplar(taskID: "a", prompt: "Return the sum of the odd numbers of the list.", program: "p1", round: 0),
      Exemplar(taskID: "b", prompt: "Return the string in upper case.", program: "p2", round: 0),
      Exemplar(taskID: "c", prompt: "Return the largest number of the list.", program: "p3", round: 0),
    ])
    memory.add([Exemplar(taskID: "b", prompt: "Return the string in upper case.", program: "p2b", round: 1)])
    #expect(memory.exemplars.count == 3)
    let near = memory.nearest(to: "Return the sum of the even numbers of the list `xs`.", excluding: "x", count: 2)
    #expect(near.map(\.taskID) == ["a", "c"])
    #expect(memory.nearest(to: "upper case please", excluding: "b", count: 3).allSatisfy { $0.taskID != "b" })
    try memory.save("\(dir)/exemplars.jsonl")
    #expect(try ExemplarMemory.load("\(dir)/exemplars.jsonl").exemplars == memory.exemplars)
    #expect(try ExemplarMemory.load("\(dir)/exemplars.jsonl").exemplars.first { $0.taskID == "b" }?.program == "p2b")
  }
}

@Suite(.timeLimit(.minutes(2))) struct LoRAExampleTests {
  @Test(
    "LoRA examples: the proposal and the repair turn that found each verified program, completion only, split by task"
  )
  func examples() throws {
    var experience = try Solved.experience(round: 1)
    let prompts = try Prompts.shipped()
    // A completions model's programs: the code prompt, then the body it wrote.
    for i in experience.outcomes.indices {
      let task = try #require(experience.tasks.first { $0.id == experience.outcomes[i].taskID })
      experience.outcomes[i].chosen?.program = Prompts.codePrompt(of: TaskView(task)) + "    return 42\n"
    }
    // Not verified: never an example.
    experience.outcomes[2].solved = false
    let examples = LoRAExamples.make(experience, prompts: prompts)
    // sum-evens: found by a revision (proposal and repair turn); count-big: by a proposal.
    #expect(examples.map(\.taskID) == ["sum-evens", "sum-evens", "count-big"])
    #expect(examples.allSatisfy { $0.completion == "    return 42\n" })
    let sumEvens = try #require(experience.tasks.first { $0.id == "sum-evens" })
    #expect(examples[0].prompt == prompts.completion(for: TaskView(sumEvens)))
    // The repair turn shows the failed program as context, never as what to learn.
    #expect(examples[1].prompt.contains("# A wrong version:") && examples[1].prompt.contains("return sum(xs)"))
    #expect(examples.allSatisfy { !$0.completion.contains("sum(xs)") })
    // One split per task, the same every time.
    #expect(examples[0].split == examples[1].split)
    #expect(examples.allSatisfy { $0.split == LoRAExamples.split(of: $0.taskID) })
    let splits = (0..<200).map { LoRAExamples.split(of: "task-\($0)") }
    let validation = splits.filter { $0 == "validation" }.count
    #expect((20...60).contains(validation), "\(validation) of 200 for validation")

    // A program that does not continue its prompt (the model rewrote the
    // signature) is no completion of it: skipped.
    experience.outcomes[1].chosen?.program = "def count_big(xs, k):\n    return 0\n"
    #expect(LoRAExamples.make(experience, prompts: prompts).map(\.taskID) == ["sum-evens", "sum-evens"])
  }

  @Test("A round with nothing verified yet trains nothing: the next round is the base again")
  func nothingVerified() async throws {
    let dir = try scratch("crucible-lora")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var experience = try Solved.experience(round: 0)
    for i in experience.outcomes.indices { experience.outcomes[i].solved = false }
    try FileManager.default.createDirectory(atPath: "\(dir)/round-0", withIntermediateDirectories: true)
    let learner = LoRALearner(
      directory: dir, modelFile: "/nonexistent/base.gguf",
      served: ServedModel(modelFile: "/nonexistent/base.gguf", threads: 1, options: ModelOptions()),
      prompts: try Prompts.shipped(), settings: FinetuneTool.Settings(),
      tool: FinetuneTool(script: "/nonexistent/finetune"))
    let update = try await learner.learn(from: experience)
    #expect(update.realTasks == 0 && update.line.contains("base again"), "\(update.line)")
    #expect(FileManager.default.fileExists(atPath: "\(dir)/round-1/no-adapter"))
    #expect(!FileManager.default.fileExists(atPath: "\(dir)/round-1/adapter.gguf"))
    #expect(learner.checkpoint(round: 1) == nil)
  }
}
