import Foundation
import Testing
import Values

@testable import Suites

/// The importers of APPS, CodeContests and LiveCodeBench rows, on the
/// hand-written samples in tasks/examples.
@Suite(.timeLimit(.minutes(5))) struct DatasetShapeTests {
  static let examples =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/tasks/examples"

  @Test("APPS: standard input, fn_name functions, LeetCode classes; ids, tests, public count, reference")
  func apps() throws {
    let suite = try Suite.load("\(Self.examples)/apps-shape.jsonl")
    #expect(suite.tasks.map(\.id) == ["APPS/90001", "APPS/90002", "APPS/90003"])

    let sunrise = try #require(suite["APPS/90001"])
    #expect(sunrise.isProgram && sunrise.entryPoint.isEmpty)
    #expect(sunrise.prompt.hasPrefix("A street has $n$ houses") && sunrise.prompt.hasSuffix("Output\n3\n"))
    #expect(sunrise.io == ProgramIO(timeLimitSeconds: 4, memoryLimitMiB: 256, checker: .tokens))
    #expect(
      sunrise.tests == [
        .io("5\n1 3 2 5 4\n", "3\n"), .io("1\n7\n", "1\n"), .io("3\n3 3 3\n", "1\n"), .io("6\n1 2 3 4 5 6\n", "6\n"),
      ])
    #expect(sunrise.publicCount == 2)
    #expect(sunrise.solution?.hasPrefix("n = int(input())\n") == true)
    #expect(sunrise.tags == ["introductory"])
    #expect(sunrise.origin == Origin(file: "\(Self.examples)/apps-shape.jsonl", line: 1, format: .apps))

    let parity = try #require(suite["APPS/90002"])
    #expect(!parity.isProgram && parity.entryPoint == "split_parity")
    #expect(parity.signature?.description == "def split_parity(numbers)")
    #expect(parity.tests.count == 5 && parity.publicCount == 2)
    #expect(
      parity.tests[0]
        == .statement("assert as_lists(split_parity([1, 2, 3, 4])) in ([[[2, 4], [1, 3]]], [[2, 4], [1, 3]])"))
    #expect(parity.tests[2] == .statement("assert as_lists(split_parity([7])) == [[], [7]]"))
    #expect(parity.testSetup.contains("def as_lists(value"))
    #expect(parity.solution?.hasPrefix("def split_parity(numbers):") == true)
    #expect(parity.prompt.contains("Starter code:\n```python\ndef split_parity(numbers):\n```"))

    let run = try #require(suite["APPS/90003"])
    #expect(run.entryPoint == "longestRun")
    #expect(run.signature?.description == "def longestRun(s: str) -> int")
    #expect(run.tests[0] == .statement("assert as_lists(longestRun('aabbbc')) in ([3], 3)"))
    #expect(run.tests[1] == .statement("assert as_lists(longestRun('z')) == 1"))
    #expect(run.solution?.hasSuffix("\n\n\ndef longestRun(*args):\n    return Solution().longestRun(*args)\n") == true)
    #expect(run.prompt.contains("as a function of the module"))
    #expect(run.tags == ["interview"])
  }

  @Test("CodeContests: public, private, generated tests in order; limits; the first Python 3 solution")
  func codeContests() throws {
    let suite = try Suite.load("\(Self.examples)/codecontests-shape.jsonl")
    #expect(suite.tasks.map(\.id) == ["4242_A. Candle Shelves", "4242_B. Even Letters"])

    let shelves = try #require(suite["4242_A. Candle Shelves"])
    #expect(shelves.isProgram && shelves.prompt.hasPrefix("Each shelf of a shop holds at most k candles."))
    #expect(
      shelves.tests == [
        .io("3\n5 2\n4 4\n1 10\n", "3\n1\n1\n"), .io("2\n1000000000 1\n7 3\n", "1000000000\n3\n"),
        .io("1\n1 1\n", "1\n"),
        .io("1\n9 9\n", "1\n"), .io("1\n10 9\n", "2\n"),
        .io("2\n999999999 1000000000\n1000000000 999999999\n", "1\n2\n"),
      ])
    #expect(shelves.publicCount == 1)
    #expect(shelves.io == ProgramIO(timeLimitSeconds: 1.5, memoryLimitMiB: 256, checker: .tokens))
    #expect(shelves.solution?.hasPrefix("import sys\n") == true)  // Python 3, not the C++ or Python 2 ones
    #expect(shelves.tags == ["math"])
    #expect(shelves.origin.format == .codeContests && shelves.origin.line == 1)

    let letters = try #require(suite["4242_B. Even Letters"])
    #expect(letters.tests.count == 5 && letters.publicCount == 2)
    #expect(letters.io?.timeLimitSeconds == ProgramIO.defaultTimeLimit)  // time_limit null
    #expect(letters.io?.memoryLimitMiB == ProgramIO.defaultMemoryLimit)  // memory_limit_bytes 0
    #expect(letters.solution?.hasPrefix("from collections import Counter") == true)
    #expect(letters.tags == ["implementation", "strings"])
  }

  @Test("LiveCodeBench: stdin rows, compressed private tests, functional LeetCode rows")
  func liveCodeBench() throws {
    let suite = try Suite.load("\(Self.examples)/livecodebench-shape.jsonl")
    #expect(suite.tasks.map(\.id) == ["LCB/abc900_a", "LCB/9101", "LCB/2999_B"])

    let three = try #require(suite["LCB/abc900_a"])
    #expect(three.isProgram && three.prompt.hasPrefix("You are given a positive integer N."))
    // Two public tests, then the four decoded from base64(zlib(pickle(json))).
    #expect(
      three.tests == [
        .io("33\n", "Yes\n"), .io("13\n", "No\n"), .io("3\n", "Yes\n"), .io("9\n", "No\n"),
        .io("999999993\n", "Yes\n"), .io("1000000000\n", "No\n"),
      ])
    #expect(three.publicCount == 2)
    #expect(three.io == ProgramIO(timeLimitSeconds: 6, memoryLimitMiB: 256, checker: .tokens))
    #expect(three.tags == ["atcoder", "easy"])
    #expect(three.solution?.hasPrefix("N = int(input())") == true)

    let peaks = try #require(suite["LCB/9101"])
    #expect(!peaks.isProgram && peaks.entryPoint == "highPeaks")
    #expect(peaks.signature?.description == "def highPeaks(nums: list[int], minHeight: int) -> list[int]")
    #expect(peaks.tests.count == 5 && peaks.publicCount == 2)
    #expect(peaks.tests[0] == .statement("assert as_lists(highPeaks([1, 3, 2, 4, 1], 1)) == [1, 3]"))
    #expect(peaks.tests[4] == .statement("assert as_lists(highPeaks([3, 1, 4, 1, 5, 9, 2, 6], 5)) == [5]"))
    #expect(peaks.solution?.hasSuffix("def highPeaks(*args):\n    return Solution().highPeaks(*args)\n") == true)
    #expect(peaks.tags == ["leetcode", "easy"])

    let total = try #require(suite["LCB/2999_B"])
    #expect(total.tests.count == 3 && total.publicCount == 1)
    #expect(total.tests[0] == .io("2\n4\n1 2 3 17\n1\n100\n", "-15\n100\n"))
  }

  @Test("A directory of the samples: every shape is detected per line, next to the others")
  func mixed() throws {
    let suite = try Suite.load(Self.examples)
    let formats = Set(suite.tasks.map(\.origin.format.rawValue))
    #expect(formats.isSuperset(of: ["apps", "codecontests", "livecodebench", "humaneval", "mbpp", "crucible"]))
  }

  @Test("Python literals of plain JSON: no tagged values, names no function can shadow, int keys when asked")
  func literals() throws {
    func literal(_ text: String, integerKeys: Bool = false) throws -> String {
      DatasetShapes.pythonLiteral(try JSON.parse(text), integerKeys: integerKeys)
    }
    #expect(
      try literal(#"[1, 2.5, "it's", null, true, {"tuple": [1]}]"#) == #"[1, 2.5, "it's", None, True, {'tuple': [1]}]"#)
    #expect(try literal("[NaN, Infinity, -Infinity, 1e999, 1E2]") == "[(1e999 - 1e999), 1e999, (-1e999), 1e999, 100.0]")
    #expect(try literal("123456789012345678901234567890") == "123456789012345678901234567890")
    #expect(try literal(#"{"1": "a", " -2 ": {"3": 4}}"#, integerKeys: true) == "{1: 'a', -2: {'3': 4}}")
    #expect(try literal(#"{"1": "a", "b": 2}"#, integerKeys: true) == "{1: 'a', 'b': 2}")
    #expect(DatasetShapes.hasIntegerKeys(try JSON.parse(#"{"1": 0, "+7": 1}"#)))
    #expect(!DatasetShapes.hasIntegerKeys(try JSON.parse(#"{"1": 0, "x": 1}"#)))
    #expect(!DatasetShapes.hasIntegerKeys(try JSON.parse("{}")))
  }

  @Test("APPS dict keys that read as ints become ints, as APPS's evaluator turns them")
  func integerKeys() throws {
    let io = #"{"fn_name": "invert", "inputs": [[{"1": "a", "2": "b"}]], "outputs": [{"a": 1, "b": 2}]}"#
    let row: JSON = .object([
      ("problem_id", .number("7", isInteger: true)), ("question", .string("Invert the dict.")),
      ("input_output", .string(io)),
    ])
    let suite = try DatasetFuzzTests.load(row.text)
    #expect(suite.tasks[0].tests == [.statement("assert as_lists(invert({1: 'a', 2: 'b'})) == {'a': 1, 'b': 2}")])
    let swapped = #"{"fn_name": "f", "inputs": [[{"a": 1}]], "outputs": [{"1": "a"}]}"#
    var members = row.objectMembers
    members[2] = ("input_output", .string(swapped))
    let other = try DatasetFuzzTests.load(JSON.object(members).text)
    #expect(other.tasks[0].tests == [.statement("assert as_lists(f({'a': 1})) in ([{1: 'a'}], {1: 'a'})")])
  }

  @Test("A LeetCode reference that already defines the function is left as it is; the helper avoids the entry")
  func adapter() {
    let both = "class Solution:\n    def f(self, x):\n        return x\n\ndef f(x):\n    return x\n"
    #expect(DatasetShapes.adapted(both, entry: "f") == both)
    let plain = "def f(x):\n    return x\n"
    #expect(DatasetShapes.adapted(plain, entry: "f") == plain)
    #expect(
      DatasetShapes.adapted("class Solution:\n    def g(self): return 1\n", entry: "g").hasSuffix(
        "Solution().g(*args)\n"))
    #expect(!DatasetShapes.definesFunction("f", in: "def ff(x): pass\n    def f(x): pass\n"))
    #expect(DatasetShapes.definesFunction("f", in: "async def f (x): pass\n"))
    #expect(DatasetShapes.helperName(avoiding: "as_lists") != "as_lists")
  }

  @Test("The pickle reader: one str in protocols 2 to 5, with frames and memo; anything else refused")
  func pickles() throws {
    func le(_ n: Int, _ count: Int) -> [UInt8] { (0..<count).map { UInt8((n >> (8 * $0)) & 0xFF) } }
    let text = Array("[{\"input\": \"é\"}]".utf8)
    let short: [UInt8] = [0x80, 4, 0x95] + le(text.count + 4, 8) + [0x8C, UInt8(text.count)] + text + [0x94, 0x2E]
    #expect(try PickledText.string(fromPickle: short) == "[{\"input\": \"é\"}]")
    let long: [UInt8] = [0x80, 2, 0x58] + le(text.count, 4) + text + [0x71, 0, 0x2E]
    #expect(try PickledText.string(fromPickle: long) == "[{\"input\": \"é\"}]")
    let eight: [UInt8] = [0x80, 5, 0x8D] + le(text.count, 8) + text + [0x72, 0, 0, 0, 0, 0x2E]
    #expect(try PickledText.string(fromPickle: eight) == "[{\"input\": \"é\"}]")
    // Python's pickle.dumps(json_text) for protocols 2 to 5, zlib-compressed and base64-encoded.
    for encoded in [
      "eJxrYIqwYGBgiK5WyswrKC1RslJQMozJU9JRUMovLYEKGEEESlKLS0oqC1JBQsUlKZl5SrWxhQx6AGF6Exw=",
      "eJxrYI6wYGBgiK5WyswrKC1RslJQMozJU9JRUMovLYEKGEEESlKLS0oqC1JBQsUlKZl5SrWxhQx6AGG7Ex0=",
      "eJxrYJlqwwABPRbR1UqZeQWlJUpWCkqGMXlKOgpK+aUlUAEjiEBJanFJSWVBKkiouCQlM0+pNnaKHgCVCRRG",
      "eJxrYJ1qwwABPRbR1UqZeQWlJUpWCkqGMXlKOgpK+aUlUAEjiEBJanFJSWVBKkiouCQlM0+pNnaKHgCVTxRH",
    ] {
      #expect(try PickledText.decode(encoded) == #"[{"input": "1\n", "output": "2\n", "testtype": "stdin"}]"#)
    }
    let refused: [([UInt8], String)] = [
      (Array("cos\nsystem\n(S'echo hi'\ntR.".utf8), "without unpickling"),  // GLOBAL: would run os.system
      ([0x80, 4, 0x7D, 0x94, 0x2E], "opcode 0x7d"),  // EMPTY_DICT: an object, not a str
      ([0x80, 4, 0x8C, 1, 0x61, 0x8C, 1, 0x62, 0x2E], "more than one str"),
      ([0x80, 4, 0x58, 0xFF, 0xFF, 0, 0, 0x61], "truncated"),
      ([0x80, 4, 0x8C, 1, 0x61], "without its end"),
      ([0x80, 4, 0x8C, 1, 0x61, 0x2E, 0x00], "after the pickle's end"),
      ([0x80, 4, 0x8C, 1, 0xFF, 0x2E], "UTF-8"),
      ([0x80, 9, 0x8C, 1, 0x61, 0x2E], "protocol 9"),
      ([0x80, 4, 0x94, 0x2E], "no str"),
    ]
    for (bytes, mention) in refused {
      #expect {
        try PickledText.string(fromPickle: bytes)
      } throws: { error in
        (error as? PickledText.Failure)?.message.contains(mention) == true
      }
    }
  }
}

extension JSON {
  /// The members of an object (empty for anything else).
  var objectMembers: [(key: String, value: JSON)] {
    if case .object(let members) = self { members } else { [] }
  }
}
