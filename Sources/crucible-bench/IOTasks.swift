import Suites
import Support
import Synthesis

/// The standard-input tasks `crucible-bench io` judges: small programs of
/// the kind competitive-programming datasets hold (read n and n integers,
/// compute something, print), generated from a seed. Each task's expected
/// outputs are computed here, in Swift, by construction: the Python
/// reference is never run to make them, so a judge that accepted anything
/// would still be caught by a wrong verdict elsewhere, and a reference that
/// disagreed with this file would show as a failure.
enum IOTasks {
  /// `count` tasks of `tests` tests each: twelve kinds of program, each in
  /// three ways of reading the input, with random parameters; test sizes
  /// grow from one number to five thousand.
  static func generate(count: Int = 100, tests: Int = 10, seed: UInt64 = 0x5EED_0010) -> [CodingTask] {
    var random = SeededGenerator(seed: seed)
    return (0..<count).map { index in
      let kind = Kind.allCases[index % Kind.allCases.count]
      let style = (index / Kind.allCases.count) % 3
      let modulus = [1_000_000_007, 998_244_353, 1_000_003, 65_537][Int.random(in: 0..<4, using: &random)]
      let program = header(style) + kind.body(modulus: modulus)
      let cases = (0..<tests).map { test -> TestCase in
        let n = size(test, of: tests, using: &random)
        let (input, output) = kind.test(n: n, modulus: modulus, using: &random)
        return .io(input, output)
      }
      return CodingTask(
        id: "bench-io-\(String(format: "%03d", index))-\(kind.rawValue)", prompt: kind.rawValue, entryPoint: "",
        solution: program, tests: cases, publicCount: 1, tags: ["bench"],
        origin: Origin(file: "crucible-bench io", format: .directory), io: ProgramIO())
    }
  }

  /// How many numbers test `test` of `tests` holds: a handful in the first
  /// tests, a few thousand in the last three.
  static func size(_ test: Int, of tests: Int, using random: inout SeededGenerator) -> Int {
    let bounds = [
      (1, 3), (2, 8), (5, 20), (20, 100), (100, 300), (300, 800), (800, 1500), (1500, 3000), (3000, 5000),
      (5000, 5000),
    ]
    let (low, high) = bounds[min(bounds.count - 1, test * bounds.count / max(1, tests))]
    return Int.random(in: low...high, using: &random)
  }

  /// Three ways programs read a line of integers.
  static func header(_ style: Int) -> String {
    switch style {
    case 0:
      "def ints():\n    return list(map(int, input().split()))\n\n\n"
    case 1:
      "import sys\n\n\ndef ints():\n    return list(map(int, sys.stdin.readline().split()))\n\n\n"
    default:
      "import sys\n\nlines = iter(sys.stdin.read().splitlines())\n\n\n"
        + "def ints():\n    return list(map(int, next(lines).split()))\n\n\n"
    }
  }

  enum Kind: String, CaseIterable {
    case sumModulo = "sum-modulo"
    case bestSubarray = "best-subarray"
    case distinctAndMode = "distinct-and-mode"
    case rangeSums = "range-sums"
    case smallest
    case longestRise = "longest-rise"
    case pairsWithSum = "pairs-with-sum"
    case commonDivisor = "common-divisor"
    case inversions
    case bestWindow = "best-window"
    case aboveAverage = "above-average"
    case prefixMinima = "prefix-minima"

    func body(modulus: Int) -> String {
      switch self {
      case .sumModulo:
        return "n = ints()[0]\na = ints()\nprint(sum(a) % \(modulus))\n"
      case .bestSubarray:
        return """
          n = ints()[0]
          a = ints()
          best = a[0]
          current = 0
          for x in a:
              current = max(x, current + x)
              best = max(best, current)
          print(best)

          """
      case .distinctAndMode:
        return """
          from collections import Counter

          n = ints()[0]
          a = ints()
          counts = Counter(a)
          top = max(counts.values())
          print(len(counts), min(v for v, c in counts.items() if c == top))

          """
      case .rangeSums:
        return """
          n, q = ints()
          a = ints()
          prefix = [0]
          for x in a:
              prefix.append(prefix[-1] + x)
          out = []
          for _ in range(q):
              l, r = ints()
              out.append(prefix[r] - prefix[l - 1])
          print("\\n".join(map(str, out)))

          """
      case .smallest:
        return "n, k = ints()\na = ints()\na.sort()\nprint(*a[:k])\n"
      case .longestRise:
        return """
          n = ints()[0]
          a = ints()
          best = run = 1
          for i in range(1, n):
              run = run + 1 if a[i] > a[i - 1] else 1
              best = max(best, run)
          print(best)

          """
      case .pairsWithSum:
        return """
          n, t = ints()
          a = ints()
          seen = {}
          pairs = 0
          for x in a:
              pairs += seen.get(t - x, 0)
              seen[x] = seen.get(x, 0) + 1
          print(pairs)

          """
      case .commonDivisor:
        return """
          from math import gcd

          n = ints()[0]
          a = ints()
          g = 0
          for x in a:
              g = gcd(g, x)
          print(g, a.count(g))

          """
      case .inversions:
        return """
          def count(values):
              if len(values) < 2:
                  return values, 0
              middle = len(values) // 2
              left, x = count(values[:middle])
              right, y = count(values[middle:])
              merged = []
              i = j = 0
              inversions = x + y
              while i < len(left) and j < len(right):
                  if left[i] <= right[j]:
                      merged.append(left[i])
                      i += 1
                  else:
                      merged.append(right[j])
                      j += 1
                      inversions += len(left) - i
              merged += left[i:]
              merged += right[j:]
              return merged, inversions


          n = ints()[0]
          a = ints()
          print(count(a)[1])

          """
      case .bestWindow:
        return """
          n, k = ints()
          a = ints()
          window = sum(a[:k])
          best = window
          for i in range(k, n):
              window += a[i] - a[i - k]
              best = max(best, window)
          print(best)

          """
      case .aboveAverage:
        return "n = ints()[0]\na = ints()\ntotal = sum(a)\nprint(sum(1 for x in a if x * n > total))\n"
      case .prefixMinima:
        return """
          n = ints()[0]
          a = ints()
          out = []
          low = a[0]
          for x in a:
              low = min(low, x)
              out.append(low)
          print(" ".join(map(str, out)))

          """
      }
    }

    /// One test with `n` numbers: its input, and the output the program
    /// must print, computed here.
    func test(n: Int, modulus: Int, using random: inout SeededGenerator) -> (String, String) {
      func numbers(_ range: ClosedRange<Int>) -> [Int] { (0..<n).map { _ in Int.random(in: range, using: &random) } }
      func line(_ values: [Int]) -> String { values.map(String.init).joined(separator: " ") + "\n" }
      switch self {
      case .sumModulo:
        let a = numbers(0...1_000_000_000)
        return ("\(n)\n" + line(a), "\(a.reduce(0, +) % modulus)\n")
      case .bestSubarray:
        let a = numbers(-10_000...10_000)
        var best = a[0]
        var current = 0
        for x in a {
          current = max(x, current + x)
          best = max(best, current)
        }
        return ("\(n)\n" + line(a), "\(best)\n")
      case .distinctAndMode:
        let a = numbers(1...Int.random(in: 2...max(2, n), using: &random))
        var counts: [Int: Int] = [:]
        for x in a { counts[x, default: 0] += 1 }
        let top = counts.values.max() ?? 0
        let mode = counts.filter { $0.value == top }.keys.min() ?? 0
        return ("\(n)\n" + line(a), "\(counts.count) \(mode)\n")
      case .rangeSums:
        let a = numbers(-1_000_000...1_000_000)
        let q = max(1, n / 2)
        var prefix = [0]
        for x in a { prefix.append(prefix[prefix.count - 1] + x) }
        var input = "\(n) \(q)\n" + line(a)
        var output: [String] = []
        for _ in 0..<q {
          let l = Int.random(in: 1...n, using: &random)
          let r = Int.random(in: l...n, using: &random)
          input += "\(l) \(r)\n"
          output.append(String(prefix[r] - prefix[l - 1]))
        }
        return (input, output.joined(separator: "\n") + "\n")
      case .smallest:
        let a = numbers(-1_000_000_000...1_000_000_000)
        let k = Int.random(in: 1...n, using: &random)
        return ("\(n) \(k)\n" + line(a), line(Array(a.sorted().prefix(k))))
      case .longestRise:
        let a = numbers(0...Int.random(in: 1...100, using: &random))
        var best = 1
        var run = 1
        for i in a.indices.dropFirst() {
          run = a[i] > a[i - 1] ? run + 1 : 1
          best = max(best, run)
        }
        return ("\(n)\n" + line(a), "\(best)\n")
      case .pairsWithSum:
        let limit = Int.random(in: 1...max(1, n), using: &random)
        let a = numbers(1...limit)
        let t = Int.random(in: 2...(2 * limit), using: &random)
        var seen: [Int: Int] = [:]
        var pairs = 0
        for x in a {
          pairs += seen[t - x] ?? 0
          seen[x, default: 0] += 1
        }
        return ("\(n) \(t)\n" + line(a), "\(pairs)\n")
      case .commonDivisor:
        let g = Int.random(in: 1...1000, using: &random)
        let a = numbers(1...1_000_000).map { $0 * g }
        func gcd(_ x: Int, _ y: Int) -> Int { y == 0 ? x : gcd(y, x % y) }
        let all = a.reduce(0, gcd)
        return ("\(n)\n" + line(a), "\(all) \(a.filter { $0 == all }.count)\n")
      case .inversions:
        let a = numbers(1...Int.random(in: 1...1_000_000, using: &random))
        return ("\(n)\n" + line(a), "\(Self.inversions(a))\n")
      case .bestWindow:
        let a = numbers(-1_000_000...1_000_000)
        let k = Int.random(in: 1...n, using: &random)
        var window = a.prefix(k).reduce(0, +)
        var best = window
        for i in k..<n {
          window += a[i] - a[i - k]
          best = max(best, window)
        }
        return ("\(n) \(k)\n" + line(a), "\(best)\n")
      case .aboveAverage:
        let a = numbers(0...1_000_000)
        let total = a.reduce(0, +)
        return ("\(n)\n" + line(a), "\(a.filter { $0 * n > total }.count)\n")
      case .prefixMinima:
        let a = numbers(-1_000_000...1_000_000)
        var low = a[0]
        let minima = a.map { x -> Int in
          low = min(low, x)
          return low
        }
        return ("\(n)\n" + line(a), line(minima))
      }
    }

    /// Pairs i < j with a[i] > a[j], by merge sort.
    static func inversions(_ a: [Int]) -> Int {
      guard a.count > 1 else { return 0 }
      var values = a
      var buffer = a
      var count = 0
      var width = 1
      while width < values.count {
        var start = 0
        while start < values.count {
          let middle = min(start + width, values.count)
          let end = min(start + 2 * width, values.count)
          var i = start
          var j = middle
          var k = start
          while i < middle && j < end {
            if values[i] <= values[j] {
              buffer[k] = values[i]
              i += 1
            } else {
              buffer[k] = values[j]
              j += 1
              count += middle - i
            }
            k += 1
          }
          while i < middle {
            buffer[k] = values[i]
            i += 1
            k += 1
          }
          while j < end {
            buffer[k] = values[j]
            j += 1
            k += 1
          }
          start = end
        }
        swap(&values, &buffer)
        width *= 2
      }
      return count
    }
  }
}
