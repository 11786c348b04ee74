import Foundation
import Journal
import Judge
import LanguageModel
import Policy
import Sandbox
import Selection
import Suites
import Support

/// `crucible-bench rerank REPORT SUITE [--base-url URL --model NAME --api
/// completions|chat] [--probe 16] [--requests 2] [--max-tokens 256]
/// [--seed 0]`: pass@1 of one program chosen per task from the samples a
/// `crucible eval --samples N` run recorded (REPORT's samples.jsonl and
/// attempts.jsonl), by `first` (the first sample that passes the public
/// tests), `cluster` (behaviour clusters on generated inputs, in the
/// sandbox) and `codet` (dual agreement with tests the model writes; needs
/// the server). No new programs are generated: every selection chooses
/// among the same samples, and whether the chosen one is right is what
/// the eval's run on every test said. Also the model's tokens for the tests.
enum RerankBenchmark {
  static func run(_ args: [String]) async throws {
    var options: [String: String] = [:]
    var positional: [String] = []
    var index = 0
    while index < args.count {
      if args[index].hasPrefix("--"), index + 1 < args.count {
        options[String(args[index].dropFirst(2))] = args[index + 1]
        index += 2
      } else {
        positional.append(args[index])
        index += 1
      }
    }
    guard positional.count == 2 else {
      throw BenchmarkError(
        "usage: crucible-bench rerank REPORT SUITE [--base-url URL --model NAME --api API] [--probe N]")
    }
    let (report, suitePath) = (positional[0], positional[1])
    let tasks = try Suite.load(suitePath).tasks
    let programs: [SampleProgram] = try load("\(report)/samples.jsonl", as: "sample")
    let runs: [SampleRun] = try load("\(report)/attempts.jsonl", as: "run")
    let probe = Int(options["probe"] ?? "") ?? CandidateSelector.defaultProbeInputs
    let seed = UInt64(options["seed"] ?? "") ?? 0

    // Each task's samples in order, with whether each passed its public
    // tests and every test, on its first run.
    struct Sample {
      var program: String
      var passedPublic: Bool
      var passedAll: Bool
    }
    let firstRuns = Dictionary(runs.filter { $0.run == 0 }.map { ("\($0.taskID)#\($0.sample)", $0) }) { a, _ in a }
    var samples: [String: [Sample]] = [:]
    let byID = Dictionary(tasks.map { ($0.id, $0) }) { a, _ in a }
    for program in programs.sorted(by: { ($0.taskID, $0.sample) < ($1.taskID, $1.sample) }) {
      guard let task = byID[program.taskID], let run = firstRuns["\(program.taskID)#\(program.sample)"] else {
        throw BenchmarkError(
          "\(report): sample \(program.sample) of \(program.taskID) has no task in the suite or no run")
      }
      let publicVerdicts = run.verdicts.filter { $0.test < task.publicCount }
      samples[task.id, default: []].append(
        Sample(
          program: program.program,
          passedPublic: publicVerdicts.count == task.publicCount && publicVerdicts.allSatisfy { $0.kind == .passed },
          passedAll: run.passed))
    }

    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 2))
    defer { pool.shutdown() }
    let judge = Judge(pool: pool, testTimeoutSeconds: 3)
    var writer: TestWriter?
    if let base = options["base-url"], let url = URL(string: base) {
      var configuration = ServerConfiguration(baseURL: url, model: options["model"] ?? "model")
      configuration.api = ModelAPI(rawValue: options["api"] ?? "completions") ?? .completions
      configuration.concurrency = 1
      let sampling = Sampling(temperature: 0.8, topP: 0.95, maxTokens: Int(options["max-tokens"] ?? "") ?? 256)
      writer = TestWriter(
        client: ModelClient(configuration), sampling: sampling, requests: Int(options["requests"] ?? "") ?? 2)
    }

    struct Tally {
      var correct = 0
      var runs = 0
      var decided = 0
    }
    var tallies: [String: Tally] = [:]
    var randomPass = 0.0
    var anyConsistent = 0
    var usage = Usage(promptTokens: 0, completionTokens: 0, milliseconds: 0)
    var testsWritten = 0
    var tasksWithTests = 0
    let measured = tasks.filter { samples[$0.id] != nil }
    for task in measured {
      let all = samples[task.id] ?? []
      randomPass += Double(all.filter(\.passedAll).count) / Double(all.count)
      let consistent = all.filter(\.passedPublic)
      if consistent.contains(where: \.passedAll) { anyConsistent += 1 }
      // The distinct consistent programs, weighted by how many samples gave them.
      var distinct: [String] = []
      var weights: [Double] = []
      var correct: [Bool] = []
      for sample in consistent {
        if let at = distinct.firstIndex(of: sample.program) {
          weights[at] += 1
        } else {
          distinct.append(sample.program)
          weights.append(1)
          correct.append(sample.passedAll)
        }
      }
      let firstChoice = (consistent.first ?? all[0]).passedAll
      tallies["first", default: Tally()].correct += firstChoice ? 1 : 0
      guard distinct.count > 1 else {
        for name in ["cluster", "codet"] { tallies[name, default: Tally()].correct += firstChoice ? 1 : 0 }
        continue
      }
      let cluster = try await CandidateSelector(selection: .cluster, judge: judge, probeInputs: probe, seed: seed)
        .rank(distinct, for: task, weights: weights)
      tallies["cluster", default: Tally()].correct += correct[cluster.order[0]] ? 1 : 0
      tallies["cluster", default: Tally()].runs += cluster.runs
      tallies["cluster", default: Tally()].decided += 1
      guard let writer else { continue }
      let written = try await writer.tests(for: TaskView(task), seed: seed)
      usage.promptTokens += written.usage.promptTokens
      usage.completionTokens += written.usage.completionTokens
      usage.milliseconds += written.usage.milliseconds
      testsWritten += written.tests.count
      tasksWithTests += written.tests.isEmpty ? 0 : 1
      let codet = try await CandidateSelector(
        selection: .codet, judge: judge, seed: seed, tests: { _ in written.tests }
      ).rank(distinct, for: task, weights: weights)
      tallies["codet", default: Tally()].correct += correct[codet.order[0]] ? 1 : 0
      tallies["codet", default: Tally()].runs += codet.runs
      tallies["codet", default: Tally()].decided += 1
    }
    await writer?.client.shutdown()

    let n = Double(measured.count)
    func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x / n) }
    print("rerank: \(measured.count) tasks of \(suitePath), samples from \(report)")
    print("| selection | pass@1 | tasks right | sandbox runs | tasks it chose among 2+ programs |")
    print("|---|---|---|---|---|")
    print("| a random sample (the eval's pass@1) | \(percent(randomPass)) | | | |")
    for name in ["first", "cluster"] + (writer == nil ? [] : ["codet"]) {
      let t = tallies[name] ?? Tally()
      print("| \(name) | \(percent(Double(t.correct))) | \(t.correct) | \(t.runs) | \(t.decided) |")
    }
    print(
      "| any sample that passes the public tests (the bound) | \(percent(Double(anyConsistent))) | \(anyConsistent) | | |"
    )
    if writer != nil {
      print(
        "codet's tests: \(testsWritten) asserts for \(tallies["codet"]?.decided ?? 0) tasks (\(tasksWithTests) with at least one); "
          + "\(usage.completionTokens) completion and \(usage.promptTokens) prompt tokens in "
          + String(format: "%.1f", usage.milliseconds / 1000) + " s of model time")
    }
  }

  static func load<T: Decodable>(_ path: String, as what: String) throws -> [T] {
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkError("\(path): cannot be read") }
    do {
      return try JSONLines.decode(String(decoding: data, as: UTF8.self), path: path, as: what)
    } catch {
      throw BenchmarkError("\(error)")
    }
  }
}
