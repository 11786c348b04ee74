import Foundation
import Policy
import Sandbox
import Suites
import TestSupport
import Testing

@testable import Synthesis

/// Standard-input tasks for the built-in policy: the layout it reads from
/// the samples (or why not, said at once), and programs it writes that run
/// right in the sandbox on tests it never saw.
@Suite(.timeLimit(.minutes(10))) struct StdinTests {
  static func view(
    _ id: String, prompt: String = "Read the input, print the answer.", _ tests: [(String, String)], publicCount: Int,
    checker: OutputChecker = .tokens
  ) -> TaskView {
    TaskView(
      CodingTask(
        id: id, prompt: prompt, entryPoint: "", tests: tests.map { .io($0.0, $0.1) }, publicCount: publicCount,
        origin: Origin(file: "memory", format: .crucible), io: ProgramIO(checker: checker)))
  }

  // MARK: layouts

  struct LayoutCase: Sendable, CustomTestStringConvertible {
    var name: String
    var samples: [(String, String)]
    var checker = "tokens"
    var fields: [StdinLayout.Field]
    var output: StdinLayout.Output
    var multiTest = false
    /// The examples the samples give: each case's parameters and result.
    var examples: Int
    var testDescription: String { name }
  }

  static let layouts: [LayoutCase] = [
    LayoutCase(
      name: "n, then n integers on a line", samples: [("3\n1 2 3\n", "6\n"), ("1\n-5\n", "-5\n")],
      fields: [.count("n"), .ints("xs", count: "n")], output: .int, examples: 2),
    LayoutCase(
      name: "n, then n integers one per line", samples: [("3\n4\n5\n6\n", "15\n"), ("2\n1\n1\n", "2\n")],
      fields: [.count("n"), .ints("xs", count: "n")], output: .int, examples: 2),
    LayoutCase(
      name: "n and k, then n integers", samples: [("4 2\n1 5 2 7\n", "2\n"), ("2 9\n3 3\n", "0\n")],
      fields: [.count("n"), .int("k"), .ints("xs", count: "n")], output: .int, examples: 2),
    LayoutCase(
      name: "a line of integers of any length", samples: [("3 9 2\n", "9\n"), ("4 1 8 8 0\n", "8\n")],
      fields: [.restInts("xs")], output: .int, examples: 2),
    LayoutCase(
      name: "two integers", samples: [("1 2\n", "3\n"), ("10 -4\n", "6\n")], fields: [.int("a"), .int("b")],
      output: .int, examples: 2),
    LayoutCase(
      name: "one word, a word back", samples: [("hello\n", "olleh\n"), ("ab\n", "ba\n")], fields: [.word("s")],
      output: .word, examples: 2),
    LayoutCase(
      name: "digits with a leading zero are a word", samples: [("0101\n", "2\n"), ("7\n", "1\n")],
      fields: [.word("s")], output: .int, examples: 2),
    LayoutCase(
      name: "t test cases of one integer, YES/NO each", samples: [("3\n4\n7\n10\n", "YES\nNO\nYES\n")],
      fields: [.int("n")], output: .bool(yes: "YES", no: "NO"), multiTest: true, examples: 3),
    LayoutCase(
      name: "t test cases of n and n integers", samples: [("2\n3\n1 2 3\n1\n5\n", "6\n5\n")],
      fields: [.count("n"), .ints("xs", count: "n")], output: .int, multiTest: true, examples: 2),
    LayoutCase(
      name: "n rows of two integers", samples: [("2\n1 4\n3 5\n", "4\n"), ("3\n0 1\n1 2\n2 3\n", "3\n")],
      fields: [.count("n"), .rows("rows", count: "n", width: 2)], output: .int, examples: 2),
    LayoutCase(
      name: "a list back, on a line", samples: [("3\n1 2 3\n", "2 4 6\n"), ("0\n\n", "\n")],
      fields: [.count("n"), .ints("xs", count: "n")], output: .intsLine, examples: 2),
    LayoutCase(
      name: "a list back, one per line, under the lines checker", samples: [("3 1 2 5\n", "1\n2\n3\n5\n")],
      checker: "lines", fields: [.restInts("xs")], output: .intsLines, examples: 1),
    LayoutCase(
      name: "a count of 0 is no list when a word follows in every case",
      samples: [("5 1\nabbaa\n", "3\n"), ("6 0\nababab\n", "1\n")],
      fields: [.int("a"), .int("b"), .word("s")], output: .int, examples: 2),
    LayoutCase(
      name: "n words", samples: [("2\nab cd\n", "cd ab\n"), ("3\nx y z\n", "z y x\n")],
      fields: [.count("n"), .words("words", count: "n")], output: .wordsLine, examples: 2),
  ]

  @Test("The samples' layout: fields read in order, counts not passed, the output's shape", arguments: layouts)
  func layout(_ c: LayoutCase) throws {
    let read = try StdinLayout.read(c.samples.map { (input: $0.0, output: $0.1) }, checker: c.checker)
    #expect(read.layout.fields == c.fields)
    #expect(read.layout.output == c.output)
    #expect(read.layout.multiTest == c.multiTest)
    #expect(read.inputs.count == c.examples && read.outputs.count == c.examples)
    #expect(read.inputs.allSatisfy { $0.count == read.layout.parameters.count })
  }

  struct DeclineCase: Sendable, CustomTestStringConvertible {
    var name: String
    var samples: [(String, String)]
    var checker: OutputChecker = .tokens
    /// Words the reason must hold.
    var words: [String]
    var testDescription: String { name }
  }

  static let declines: [DeclineCase] = [
    DeclineCase(
      name: "a grid of characters", samples: [("2 3\n#.#\n..#\n", "2\n"), ("1 2\n##\n", "0\n")],
      words: ["input layout", "grid of characters"]),
    DeclineCase(
      name: "a grid of digits", samples: [("2 3\n131\n151\n", "9\n"), ("2 4\n9000\n0009\n", "18\n")],
      words: ["grid of characters"]),
    DeclineCase(
      name: "lines of text", samples: [("2\nthe quick brown fox jumps\nover it\n", "7\n")],
      words: ["input layout", "a line of 5 tokens that no number before it counts"]),
    DeclineCase(
      name: "real numbers out", samples: [("2\n1 2\n", "1.500000\n")], words: ["output", "real numbers"]),
    DeclineCase(
      name: "real numbers in", samples: [("2.5 3\n", "7\n"), ("1 1\n", "1\n")], words: ["input", "real numbers"]),
    DeclineCase(
      name: "a float checker", samples: [("1 2\n", "3\n")], checker: .float(tolerance: 1e-6),
      words: ["real numbers", "float checker"]),
    DeclineCase(
      name: "integers past 64 bits", samples: [("2\n99999999999999999999 1\n", "1\n")],
      words: ["beyond 64 bits"]),
    DeclineCase(
      name: "test cases of varying numbers of lines",
      samples: [("2\n2\n1 1\n2\n3 3\n", "2\n6\n"), ("1\n1 1\n", "2\n")],
      words: ["varying numbers of lines"]),
    DeclineCase(
      name: "several lines of several tokens out", samples: [("3\n", "1 2\n3 4\n"), ("2\n", "1\n2 3\n")],
      words: ["output", "several lines, some of several tokens (2, 2 tokens a line)"]),
    DeclineCase(
      name: "a drawing under the exact checker", samples: [("2\n", " *\n***\n")], checker: .exact,
      words: ["not laid out as print() writes", "exact checker"]),
    DeclineCase(name: "no samples shown", samples: [], words: ["no sample tests"]),
  ]

  @Test("Layouts it cannot read or write are declined at once, saying why", arguments: declines)
  func decline(_ c: DeclineCase) throws {
    let policy = SynthesisPolicy()
    let view = Self.view("t", c.samples + [("0\n", "0\n")], publicCount: c.samples.count, checker: c.checker)
    let (declined, seconds) = threadCPUTime { policy.declines(view) }
    let reason = try #require(declined)
    #expect(seconds < 0.2, "\(seconds) s of CPU to decline")
    for word in c.words + ["built-in policy", "a language model policy can try it"] {
      #expect(reason.contains(word), "\(reason)")
    }
  }

  @Test("The bundled io suite: every task attempted or declined at once, each decline with its reason")
  func bundled() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let suite = try Suite.load(root.appendingPathComponent("tasks/io").path)
    let policy = SynthesisPolicy()
    let (declined, seconds) = threadCPUTime {
      var declined: [String: String] = [:]
      for task in suite.tasks { declined[task.id] = policy.declines(TaskView(task)) }
      return declined
    }
    #expect(seconds < 2, "\(seconds) s of CPU to read \(suite.tasks.count) tasks")
    #expect(suite.tasks.count == 45)
    // Grids, real numbers, drawings, lines of text: declined.
    for id in [
      "count-lakes", "mine-hints", "grid-best-path", "cover-circle", "trimmed-mean", "diamond", "hollow-frame",
    ] {
      #expect(declined[id] != nil, "\(id)")
    }
    #expect(declined["count-lakes"]?.contains("grid of characters") == true)
    #expect(declined["trimmed-mean"]?.contains("real numbers") == true)
    // n then n integers, a word, t cases of integers: attempted.
    for id in ["matching-pairs", "fix-palindrome", "make-divisible", "unequal-shares", "hop-to-the-end"] {
      #expect(declined[id] == nil, "\(id): \(declined[id] ?? "")")
    }
  }

  // MARK: programs that run

  struct SolveCase: Sendable, CustomTestStringConvertible {
    var name: String
    var prompt: String
    var tests: [(String, String)]
    var publicCount: Int
    var checker: OutputChecker = .tokens
    var testDescription: String { name }
  }

  static let solvable: [SolveCase] = [
    SolveCase(
      name: "sum of n integers", prompt: "Print the sum of the n numbers.",
      tests: [
        ("3\n1 2 3\n", "6\n"), ("2\n-4 10\n", "6\n"), ("4\n5 5 5 5\n", "20\n"), ("1\n-7\n", "-7\n"), ("0\n\n", "0\n"),
        ("5\n1000000000 1000000000 1000000000 1000000000 1000000000\n", "5000000000\n"),
      ], publicCount: 3),
    SolveCase(
      name: "max of a line", prompt: "Print the largest number of the line.",
      tests: [
        ("3 9 2\n", "9\n"), ("-4 -1 -8 -3\n", "-1\n"), ("5\n", "5\n"), ("1 2 3 4 5 6 7 8 9 10 11\n", "11\n"),
        ("0 0\n", "0\n"),
      ], publicCount: 3),
    SolveCase(
      name: "reverse a word", prompt: "Print the word backwards.",
      tests: [
        ("hello\n", "olleh\n"), ("ab\n", "ba\n"), ("racecar\n", "racecar\n"), ("x\n", "x\n"), ("stop\n", "pots\n"),
      ],
      publicCount: 3),
    SolveCase(
      name: "t cases: is n even", prompt: "For each test case print YES if n is even, else NO.",
      tests: [("4\n4\n7\n10\n1\n", "YES\nNO\nYES\nNO\n"), ("3\n0\n-3\n99\n", "YES\nNO\nNO\n")], publicCount: 1),
    SolveCase(
      name: "each number doubled, one per line", prompt: "Print each number doubled, one per line.",
      tests: [
        ("3\n1 2 3\n", "2\n4\n6\n"), ("2\n-5 0\n", "-10\n0\n"), ("1\n7\n", "14\n"), ("4\n1 1 2 3\n", "2\n2\n4\n6\n"),
      ], publicCount: 2, checker: .lines),
  ]

  @Test(
    "Tiny stdin tasks: the first proposal is a program that passes the hidden tests in the sandbox", arguments: solvable
  )
  func solves(_ c: SolveCase) async throws {
    let view = Self.view("tiny", prompt: c.prompt, c.tests, publicCount: c.publicCount, checker: c.checker)
    let policy = SynthesisPolicy(budget: EnumerationBudget(programs: 200_000, seconds: 60))
    #expect(policy.declines(view) == nil)
    let candidate = try #require(try await policy.propose(ProposeRequest(task: view, count: 1)).first)
    #expect(candidate.program.contains("def solve("))
    #expect(candidate.program.contains("sys.stdin.read().split()"))
    #expect(candidate.program.hasSuffix("\n\nmain()\n"))
    let pool = try await Pools.shared.pool(.warm)
    for (input, expected) in c.tests {
      let run = try await pool.run(
        SandboxJob(
          script: "main.py", files: [.init(path: "main.py", text: candidate.program)], stdin: Array(input.utf8)))
      #expect(run.termination == .exited(0), "\(run.stderr.text)")
      let output = run.stdout.text
      switch c.checker {
      case .lines:
        #expect(output.split(separator: "\n") == expected.split(separator: "\n"), "\(input) -> \(output)")
      default:
        #expect(
          output.split(whereSeparator: \.isWhitespace) == expected.split(whereSeparator: \.isWhitespace),
          "\(input) -> \(output)\n\(candidate.program)")
      }
    }
  }

  @Test("The program around the function reads each layout and writes each output as the samples do")
  func rendering() {
    let layout = StdinLayout(
      multiTest: true, fields: [.count("n"), .int("k"), .ints("xs", count: "n"), .rows("rows", count: "n", width: 2)],
      output: .bool(yes: "Yes", no: "No"))
    let function = "import math\n\n\ndef solve(k, xs, rows):\n    return math.prod(xs) > k\n"
    let program = StdinRenderer(layout: layout).program(around: function)
    #expect(
      program == """
        import math
        import sys


        def solve(k, xs, rows):
            return math.prod(xs) > k


        def main():
            tokens = iter(sys.stdin.read().split())
            out = []
            for _ in range(int(next(tokens))):
                n = int(next(tokens))
                k = int(next(tokens))
                xs = [int(next(tokens)) for _ in range(n)]
                rows = [[int(next(tokens)) for _ in range(2)] for _ in range(n)]
                out.append("Yes" if solve(k, xs, rows) else "No")
            print("\\n".join(out))


        main()

        """)
    let single = StdinRenderer(
      layout: StdinLayout(multiTest: false, fields: [.restWords("words")], output: .wordsLines)
    )
    .program(around: "def solve(words):\n    return sorted(words)\n")
    #expect(single.contains("    words = list(tokens)\n    print(\"\\n\".join(solve(words)))\n"))
  }
}
