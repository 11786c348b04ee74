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
    let usageText =
      "usage: crucible-bench rerank REPORT SUITE [--base-url URL --model NAME --api completions|chat] "
      + "[--probe N] [--requests N] [--max-tokens N] [--seed S]"
    let known: Set<String> = ["base-url", "model", "api", "probe", "requests", "max-tokens", "seed"]
    guard positional.count == 2, Set(options.keys).isSubset(of: known) else { throw BenchmarkError(usageText) }
    func number(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
      guard let text = options[key] else { return fallback }
      guard let value = Int(text), range.contains(value) else {
        throw BenchmarkError("--\(key) must be from \(range.lowerBound) to \(range.upperBound) (got '\(text)')")
      }
      return value
    }
    if options["base-url"] == nil,
      let given = ["model", "api", "requests", "max-tokens"].first(where: { options[$0] != nil })
    {
      throw BenchmarkError("--\(given) is for the model that writes codet's tests: give --base-url too")
    }
    let (report, suitePath) = (positional[0], positional[1])
    let tasks = try Suite.load(suitePath).tasks
    let programs: [SampleProgram] = try load("\(report)/samples.jsonl", as: "sample")
    let runs: [SampleRun] = try load("\(report)/attempts.jsonl", as: "run")
    let probe = try number("probe", CandidateSelector.defaultProbeInputs, 1...1_000)
    let requests = try number("requests", 2, 1...20)
    let maxTokens = try number("max-tokens", 256, 16...8_192)
    let seed = UInt64(try number("seed", 0, 0...Int.max))

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
      guard let task = byID[program.taskID] else {
        throw BenchmarkError(
          "\(report)/samples.jsonl: task \(SafeText.visible(program.taskID)) is not in \(suitePath) "
            + "(was the eval of another suite?)")
      }
      guard let run = firstRuns["\(program.taskID)#\(program.sample)"] else {
        throw BenchmarkError(
          "\(report)/attempts.jsonl: no run of sample \(program.sample) of \(SafeText.visible(task.id))")
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
    if let base = options["base-url"] {
      guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https" else {
        throw BenchmarkError("--base-url must be an http(s) URL (got '\(base)')")
      }
      guard let api = ModelAPI(rawValue: options["api"] ?? "completions") else {
        throw BenchmarkError("--api must be completions or chat (got '\(options["api"] ?? "")')")
      }
      var configuration = ServerConfiguration(baseURL: url, model: options["model"] ?? "model", api: api)
      configuration.concurrency = 1
      let sampling = Sampling(temperature: 0.8, topP: 0.95, maxTokens: maxTokens)
      writer = TestWriter(client: ModelClient(configuration), sampling: sampling, requests: requests)
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
    var details: [String] = []
    var tasksWithTests = 0
    // Every task of the suite counts: one without samples (the policy
    // declined it) is wrong for every choice, as in the eval's pass@1.
    let measured = tasks
    for task in measured {
      guard let all = samples[task.id], !all.isEmpty else { continue }
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
      details.append(
        "\(task.id): \(consistent.count) consistent samples, \(distinct.count) programs (right: "
          + "\(correct.enumerated().filter(\.element).map { String($0.offset) }.joined(separator: ",")), weights "
          + "\(weights.map { String(Int($0)) }.joined(separator: ","))); cluster chose \(cluster.order[0]) of "
          + "\(cluster.groups ?? 0) behaviours, codet \(codet.order[0]) on \(written.tests.count) tests")
      tallies["codet", default: Tally()].runs += codet.runs
      tallies["codet", default: Tally()].decided += 1
    }
    await writer?.client.shutdown()

    let n = Double(measured.count)
    func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x / n) }
    print(
      "rerank: \(measured.count) tasks of \(suitePath) (\(samples.count) with samples), samples from \(report)"
        + (writer == nil ? "; codet not run (no --base-url)" : ""))
    print("| selection | pass@1 | tasks right | sandbox runs | tasks where it ran (2+ distinct programs) |")
    print("|---|---|---|---|---|")
    print("| a random sample (the eval's pass@1) | \(percent(randomPass)) | | | |")
    for name in ["first", "cluster"] + (writer == nil ? [] : ["codet"]) {
      let t = tallies[name] ?? Tally()
      print("| \(name) | \(percent(Double(t.correct))) | \(t.correct) | \(t.runs) | \(t.decided) |")
    }
    print(
      "| any sample that passes the public tests (the bound) | \(percent(Double(anyConsistent))) | \(anyConsistent) | | |"
    )
    for line in details { print("  " + line) }
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
