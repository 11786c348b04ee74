import Foundation
import Journal
import Judge
import LanguageModel
import Policy
import Search
import Suites
import Synchronization
import TestSupport
import Testing
import Values

@testable import Selection

/// A policy that proposes the programs a test scripts, best first.
final class Scripted: Policy {
  let programs: [String]
  init(_ programs: [String]) { self.programs = programs }
  var name: String { "scripted" }
  var parameters: String { "script" }
  func propose(_ request: ProposeRequest) async throws -> [Candidate] {
    let tried = Set(request.history.map(\.candidateID))
    return programs.enumerated().map {
      Candidate(
        program: $1, score: -Double($0),
        provenance: Provenance(policy: name, parameters: parameters, sampleIndex: $0))
    }
    .filter { !tried.contains($0.id) }.prefix(request.count).map { $0 }
  }
  func revise(_ request: ReviseRequest) async throws -> [Candidate] { [] }
}

/// Sum of the odd numbers: the three public examples hold odd numbers
/// only, so `sum(xs)` passes them, and is the policy's first choice.
let sumOdds = CodingTask(
  id: "sum-odds", prompt: "Return the sum of the odd numbers in xs.", entryPoint: "sum_odds",
  signature: Signature.parse("def sum_odds(xs: list[int]) -> int"),
  tests: [
    .data([.list([.int(1), .int(3)])], .int(4)), .data([.list([])], .int(0)), .data([.list([.int(5)])], .int(5)),
    .data([.list([.int(2), .int(3)])], .int(3)), .data([.list([.int(-3), .int(4), .int(7)])], .int(4)),
  ], publicCount: 3, origin: Origin(file: "memory", format: .crucible))

enum Sums {
  static let cheapWrong = "def sum_odds(xs):\n    return sum(xs)\n"
  static let right = [
    "def sum_odds(xs):\n    return sum(x for x in xs if x % 2 == 1)\n",
    "def sum_odds(xs):\n    return sum([x for x in xs if x % 2])\n",
    "def sum_odds(xs):\n    t = 0\n    for x in xs:\n        if x % 2 != 0:\n            t += x\n    return t\n",
  ]
}

/// The behaviour of a program that returned `value`.
func returned(_ value: Value) -> Behaviour { .returned(digest: Behaviour.digest(Behaviour.rounded(value).exactKey)) }

@Suite(.timeLimit(.minutes(2))) struct ProbeInputTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// The Python type of a value, with the element types of a container.
  static func shape(_ value: Value) -> Set<String> {
    switch value {
    case .list(let xs), .tuple(let xs), .set(let xs), .frozenset(let xs):
      return Set(xs.map { "\(value.typeName)[\($0.typeName)]" })
    case .dict(let entries):
      return Set(entries.map { "dict[\($0.key.typeName), \($0.value.typeName)]" })
    default:
      return [value.typeName]
    }
  }

  @Test("Generated inputs: deterministic under the seed, well-typed, distinct, never a public input")
  func generated() throws {
    let tasks = try Suite.load("\(Self.root)/tasks/eval").tasks + Suite.load("\(Self.root)/tasks/holdout").tasks
    #expect(tasks.count >= 120)
    var total = 0
    for task in tasks {
      let inputs = ProbeInputs.make(task, count: 16, seed: 7)
      total += inputs.count
      #expect(inputs == ProbeInputs.make(task, count: 16, seed: 7), "\(task.id)")
      #expect(inputs.count <= 16 && Set(inputs).count == inputs.count, "\(task.id)")
      let examples: [[Value]] = task.publicTests.compactMap {
        if case .data(let args, _) = $0.body { return args }
        return nil
      }
      #expect(Set(inputs).isDisjoint(with: Set(examples)), "\(task.id): a public input")
      // Each argument has its type in some public example, and a
      // container's elements the types its elements have there.
      for input in inputs {
        #expect(input.count == examples[0].count, "\(task.id)")
        for (position, value) in input.enumerated() {
          let seen = examples.map { $0[position] }
          #expect(seen.contains { $0.typeName == value.typeName }, "\(task.id): \(value.pythonLiteral)")
          let allowed = seen.reduce(into: Set<String>()) { $0.formUnion(Self.shape($1)) }
          #expect(Self.shape(value).isSubset(of: allowed), "\(task.id): \(value.pythonLiteral)")
        }
      }
      if !inputs.isEmpty {
        #expect(ProbeInputs.make(task, count: 16, seed: 8) != inputs, "\(task.id): another seed, the same inputs")
      }
    }
    #expect(total >= 16 * tasks.count * 9 / 10)
  }

  @Test("Extreme public inputs give inputs without a trap, none much larger than a public one")
  func extremes() {
    let big = Value.list((0..<1_000).map { .int($0) })
    let table: [[Value]] = [
      [.int(.min)], [.int(.max)], [.list([.int(.min), .int(.max)])], [.tuple([.int(.min)])],
      [.dict([.init(.int(.min), .list([.int(.max)]))])], [.float(.nan)], [.float(.infinity)],
      [.float(-.greatestFiniteMagnitude)],
      [.bigInt("-99999999999999999999999")], [.tuple([])], [.set([.int(.min)])], [.strCodePoints([0xD800])], [big],
    ]
    for example in table {
      var task = sumOdds
      task.tests = [.data(example, .none), .data(example, .none)]
      task.publicCount = 2
      let inputs = ProbeInputs.make(task, count: 16, seed: 5)
      #expect(inputs == ProbeInputs.make(task, count: 16, seed: 5))
      let limit = 2 * ProbeInputs.size(of: .list(example)) + 16
      #expect(inputs.allSatisfy { ProbeInputs.size(of: .list($0)) <= limit }, "\(example)")
    }
  }

  @Test("Behaviours compare as the judge does: dicts and sets in any order, NaN, float noise; strings by code point")
  func behaviourKeys() {
    let table: [(Value, Value, Bool)] = [
      (
        .dict([.init(.str("a"), .int(1)), .init(.str("b"), .int(2))]),
        .dict([.init(.str("b"), .int(2)), .init(.str("a"), .int(1))]), true
      ),
      (.set([.int(9), .int(1)]), .set([.int(1), .int(9)]), true),
      (.float(.nan), .float(.nan), true), (.float(0.1 + 0.2), .float(0.3), true), (.float(-0.0), .float(0), true),
      (.str("e\u{301}"), .str("\u{e9}"), false), (.int(1), .float(1), false),
      (.list([.int(1)]), .tuple([.int(1)]), false),
      (.dict([.init(.str("a"), .int(1))]), .dict([.init(.str("a"), .int(2))]), false),
    ]
    for (a, b, same) in table {
      #expect((returned(a) == returned(b)) == same, "\(a.pythonLiteral) and \(b.pythonLiteral)")
    }
  }

  @Test("A task with no public data tests gets no inputs")
  func none() {
    var task = sumOdds
    task.tests = [.statement("assert sum_odds([1]) == 1")]
    task.publicCount = 1
    #expect(ProbeInputs.make(task, count: 16, seed: 1).isEmpty)
  }

  @Test("Clusters: the heaviest behaviour first, ties to the policy's order")
  func clusters() {
    let a = [Behaviour.raised("A")]
    let b = [Behaviour.raised("B")]
    #expect(BehaviourClusters.rank([a, b, b, a, b]) == [1, 2, 4, 0, 3])
    #expect(BehaviourClusters.rank([a, b]) == [0, 1])
    #expect(BehaviourClusters.rank([a, b, b], weights: [5, 1, 1]) == [0, 1, 2])
  }

  @Test("Dual agreement: group size times tests passed")
  func agreement() {
    // Two candidates pass tests 0 and 1; one passes all three: 2x2 > 1x3.
    #expect(DualAgreement.rank([[true, true, false], [true, true, true], [true, true, false]]) == [0, 2, 1])
    // One candidate passing three beats one passing two.
    #expect(DualAgreement.rank([[true, true, false], [true, true, true]]) == [1, 0])
    #expect(DualAgreement.rank([[false], [false]]) == [0, 1])
  }

  @Test("Model-written tests are read as data: literal arguments and expected values, nothing else")
  func parsing() {
    let text = """
      assert f(1) == 2
      assert f( 1 ) == 3
      assert g(1) == 2
      assert f([1, 2) == 3
      assert f("a)", (1,), {'k': [None]}) == 'b'  # a comment
      print(f(3))
      assert f(2) == 4
        assert 25 == f(5)
      assert f(6) is True, "six"
      assert f('unterminated) == 1
      assert f(__import__('os').system('id')) == 1
      assert f(7) == __import__('os').getpid()
      assert f(8) == 1; import os
      assert f(x=9) == 1
      assert f(-10, 1e3, 0x10, float('inf')) == -1.5
      """
    let parsed = TestWriter.parse(text, entryPoint: "f", limit: 10, excluding: [[.int(2)]])
    #expect(
      parsed == [
        .data([.int(1)], .int(2)),
        .data([.str("a)"), .tuple([.int(1)]), .dict([.init(.str("k"), .list([.none]))])], .str("b")),
        .data([.int(5)], .int(25)), .data([.int(6)], .bool(true)),
        .data([.int(-10), .float(1000), .int(16), .float(.infinity)], .float(-1.5)),
      ])
    #expect(TestWriter.parse(text, entryPoint: "f", limit: 1) == [.data([.int(1)], .int(2))])
    #expect(TestWriter.parse(text, entryPoint: "f", limit: 10, arity: 1).count == 4)
  }
}

@Suite(.timeLimit(.minutes(5))) struct ChoiceTests {
  func judge() async throws -> Judge { Judge(pool: try await Pools.shared.pool(.warm), testTimeoutSeconds: 3) }

  func solve(_ task: CodingTask, _ programs: [String], choice: (any ConsistentChoice)?, runs: Int = 8) async throws
    -> (TaskOutcome, MemoryJournal)
  {
    let journal = MemoryJournal()
    let solver = Solver(
      policy: Scripted(programs), judge: try await judge(), journal: journal, strategy: .sample,
      budget: SearchBudget(proposals: 16, runs: runs, seconds: 300), choice: choice)
    return (try await solver.solve(task).outcome, journal)
  }

  @Test("Cluster picks the majority behaviour where the cheapest consistent program is wrong; first does not")
  func clusterBeatsFirst() async throws {
    let programs = [Sums.cheapWrong] + Sums.right
    let (first, _) = try await solve(sumOdds, programs, choice: nil)
    #expect(!first.solved && first.chosen?.program == Sums.cheapWrong && first.attempts == 1)
    let selector = CandidateSelector(selection: .cluster, judge: try await judge(), consistent: 4)
    let (clustered, _) = try await solve(sumOdds, programs, choice: selector)
    #expect(clustered.solved && clustered.hiddenPassed == 2)
    #expect(Sums.right.contains(clustered.chosen?.program ?? ""))
    // Four public runs, one probe run each, one hidden run.
    #expect(clustered.attempts == 4 && clustered.sandboxRuns == 9)
    // The probes found two behaviours.
    let counted = Mutex(0)
    let ranking = try await selector.rank(programs, for: sumOdds) { counted.withLock { $0 += 1 } }
    #expect(counted.withLock { $0 } == 4 && ranking.runs == 4)
    #expect(ranking.groups == 2 && ranking.probes == 16 && Sums.right.indices.map { $0 + 1 }.contains(ranking.order[0]))
  }

  @Test("Search keeps back the runs the choice needs, and chooses among what it has")
  func budgetBound() async throws {
    let selector = CandidateSelector(selection: .cluster, judge: try await judge(), consistent: 4)
    // Four runs: two candidates searched, two probes; one against one is
    // a tie, which goes to the policy's first.
    let programs = [Sums.cheapWrong, Sums.right[0], Sums.right[1], Sums.right[2]]
    let (tie, _) = try await solve(sumOdds, programs, choice: selector, runs: 4)
    #expect(tie.attempts == 2 && tie.sandboxRuns == 4 + 1 && tie.chosen?.program == Sums.cheapWrong && !tie.solved)
    // Six runs: three searched, three probes; two right ones outweigh one wrong.
    let (won, _) = try await solve(sumOdds, programs, choice: selector, runs: 6)
    #expect(won.attempts == 3 && won.sandboxRuns == 6 + 1 && won.solved)
  }

  @Test("The choice has only the task's seconds: probes that would run past them leave the policy's first")
  func deadline() async throws {
    // Both pass the public tests and loop on every other input.
    let looping = [
      "def sum_odds(xs):\n    if xs in ([1, 3], [], [5]):\n        return sum(xs)\n    while True: pass\n",
      "def sum_odds(xs):\n    if xs in ([1, 3], [], [5]):\n        return sum(x for x in xs)\n    while True: pass\n",
    ]
    var judge = try await judge()
    judge.testTimeoutSeconds = 1
    let solver = Solver(
      policy: Scripted(looping), judge: judge, journal: MemoryJournal(), strategy: .sample,
      budget: SearchBudget(proposals: 4, runs: 8, seconds: 3),
      choice: CandidateSelector(selection: .cluster, judge: judge, consistent: 2))
    let outcome = try await solver.solve(sumOdds).outcome
    // Unbounded, the probes alone would take 2 x 16 s of CPU time, and
    // both would count: the runs say they were cut, with no clock in the
    // test. At most two public runs and one hidden (on a loaded machine
    // the deadline can cut search itself), and a probe that ended before
    // the cut counts, one cut short does not.
    #expect(outcome.chosen?.program == looping[0])
    #expect(outcome.sandboxRuns <= 4, "\(outcome.sandboxRuns) runs: the probes were not cut")
  }

  @Test("Equal answers in another order are one behaviour: three right programs outweigh two identical wrong ones")
  func orderFree() async throws {
    let task = CodingTask(
      id: "counts", prompt: "Count each word of s.", entryPoint: "counts",
      signature: Signature.parse("def counts(s: str) -> dict[str, int]"),
      tests: [
        .data([.str("a b")], .dict([.init(.str("a"), .int(1)), .init(.str("b"), .int(1))])),
        .data([.str("")], .dict([])),
        .data([.str("x x x x")], .dict([.init(.str("x"), .int(4))])),
      ], publicCount: 2, origin: Origin(file: "memory", format: .crucible))
    let wrong =
      "def counts(s):\n    d = {}\n    for w in sorted(s.split(), reverse=True):\n        d[w] = min(2, d.get(w, 0) + 1)\n    return d\n"
    let right = [
      "def counts(s):\n    d = {}\n    for w in s.split():\n        d[w] = d.get(w, 0) + 1\n    return d\n",
      "def counts(s):\n    return {w: s.split().count(w) for w in sorted(set(s.split()))}\n",
      "def counts(s):\n    return {w: s.split().count(w) for w in sorted(set(s.split()), reverse=True)}\n",
    ]
    let selector = CandidateSelector(selection: .cluster, judge: try await judge(), consistent: 5)
    let (outcome, _) = try await solve(task, [wrong, wrong + "\n"] + right, choice: selector, runs: 12)
    #expect(outcome.solved && right.contains(outcome.chosen?.program ?? ""))
  }

  @Test(
    "Model-written tests rank, and never decide solved",
    arguments: [
      // Tests the wrong program agrees with: codet chooses it; not solved.
      ("assert sum_odds([2, 4]) == 6\nassert sum_odds([1, 2]) == 3", false),
      // Tests the right programs agree with: solved.
      ("assert sum_odds([2, 4]) == 0\nassert sum_odds([1, 2]) == 1", true),
      // Tests every program fails, and code that is not a test: no agreement, the first; not solved.
      ("assert sum_odds([2]) == 99\nassert sum_odds([1]) == __import__('sys').exit(0)", false),
    ])
  func codet(written: String, solved: Bool) async throws {
    let tests = TestWriter.parse(written, entryPoint: "sum_odds", limit: 20)
    let selector = CandidateSelector(
      selection: .codet, judge: try await judge(), consistent: 2, tests: { _ in tests })
    let (outcome, journal) = try await solve(sumOdds, [Sums.cheapWrong, Sums.right[0]], choice: selector)
    #expect(outcome.solved == solved)
    #expect(outcome.chosen?.program == (solved ? Sums.right[0] : Sums.cheapWrong))
    // The hidden tests decided, and only the task's own tests were recorded.
    #expect(outcome.hiddenTotal == 2 && outcome.hiddenPassed == (solved ? 2 : 0))
    let attempts = await journal.attempts()
    #expect(attempts.count == 3)
    for attempt in attempts {
      let expected = Array(attempt.selection.indices(sumOdds))
      #expect(attempt.results.map(\.index) == expected)
    }
  }

  @Test("A probe reads only the trusted side's records: what a candidate prints or raises cannot make it agree")
  func hostileProbe() async throws {
    var judge = try await judge()
    judge.testTimeoutSeconds = 1
    let args = ProbeInputs.make(sumOdds, count: 4, seed: 3)
    let inputs = args.map { TestCase.Body.data(args: $0, expected: .none) }
    func sum(_ input: [Value], odd: Bool) -> Value {
      guard case .list(let xs) = input[0] else { return .none }
      return .int(xs.reduce(0) { total, x in if case .int(let n) = x, !odd || n % 2 != 0 { total + n } else { total } })
    }
    let honest = try await judge.probe(Sums.right[0], for: sumOdds, inputs: inputs)
    #expect(honest == args.map { returned(sum($0, odd: true)) })
    let table: [(String, ([Value], Behaviour) -> Bool)] = [
      // Prints what a record of other answers might look like, then returns its own.
      (
        "import sys\ndef sum_odds(xs):\n    print('{\"outcome\": \"returned\", \"value\": 0}')\n"
          + "    sys.stdout.flush()\n    return sum(xs)\n",
        { $1 == returned(sum($0, odd: false)) }
      ),
      ("def sum_odds(xs):\n    raise ValueError('\\x1b[31mred')\n", { $1 == .raised("ValueError") }),
      ("def sum_odds(xs):\n    while True: pass\n", { $1 == .timeout }),
      ("import os\ndef sum_odds(xs):\n    os._exit(0)\n", { if case .failed = $1 { true } else { false } }),
    ]
    for (program, expected) in table {
      let behaviours = try await judge.probe(program, for: sumOdds, inputs: Array(inputs.prefix(2)))
      #expect(behaviours.count == 2, "\(program)")
      for (input, behaviour) in zip(args, behaviours) {
        #expect(expected(input, behaviour), "\(program): \(behaviour)")
      }
      // The slot is clean afterwards: the honest program probes the same.
      #expect(try await judge.probe(Sums.right[0], for: sumOdds, inputs: inputs) == honest)
    }
  }
}
