import Suites
import Support
import Values

/// Inputs for telling a function task's candidates apart, drawn from its
/// public data tests with no expected outputs: each argument mutated in
/// the way of its own type (EvalPlus's type-aware mutation: empties, single
/// elements, reversals, duplicates, signs, boundaries, one element
/// changed), and arguments recombined across examples. A mutation keeps
/// the argument's Python type, and the element types of a container, so
/// every input is one the task's signature admits. A quarter of them are
/// the largest found (at most twice the largest public input), the rest
/// drawn at random. Deterministic under the seed; never one of the public
/// inputs. A task with no public data tests
/// (statements, standard-input programs) gets none.
public enum ProbeInputs {
  public static func make(_ task: CodingTask, count: Int, seed: UInt64) -> [[Value]] {
    let examples: [[Value]] = task.publicTests.compactMap {
      if case .data(let args, _) = $0.body { return args }
      return nil
    }
    guard count > 0, let arity = examples.first?.count, arity > 0, examples.allSatisfy({ $0.count == arity })
    else { return [] }
    var generator = SeededGenerator(seed: seed ^ 0x9E0B_E1A5_C0DE_0016)
    var seen = Set(examples)
    var found: [[Value]] = []
    // No input much larger than the largest public one (doubling a list
    // twice would give four times its size).
    let sizeLimit = 2 * (examples.map { size(of: .list($0)) }.max() ?? 0) + 16
    func add(_ input: [Value]) {
      guard size(of: .list(input)) <= sizeLimit else { return }
      if seen.insert(input).inserted { found.append(input) }
    }
    for example in examples {
      for position in example.indices {
        for variant in mutations(of: example[position], using: &generator) {
          var input = example
          input[position] = variant
          add(input)
        }
      }
    }
    // Arguments from different examples together.
    if arity > 1 {
      for a in examples {
        for b in examples where a != b {
          for position in 0..<arity {
            var input = a
            input[position] = b[position]
            add(input)
          }
        }
      }
    }
    // Short of `count`: mutations of mutations, a bounded number of rounds.
    var round = found
    for _ in 0..<2 where found.count < 4 * count {
      var next: [[Value]] = []
      for input in round.shuffled(using: &generator).prefix(4 * count) {
        let position = Int.random(in: 0..<arity, using: &generator)
        for variant in mutations(of: input[position], using: &generator).shuffled(using: &generator).prefix(2) {
          var changed = input
          changed[position] = variant
          if size(of: .list(changed)) <= sizeLimit, seen.insert(changed).inserted { next.append(changed) }
        }
      }
      found += next
      round = next
    }
    // A quarter of them the largest (a program that special-cases small
    // inputs shows itself there, as EvalPlus's growing inputs find), the
    // rest at random.
    found.shuffle(using: &generator)
    let large = count / 4
    let bySize = found.indices.sorted { size(of: .list(found[$0])) > size(of: .list(found[$1])) }
    let chosen = Set(bySize.prefix(large))
    return Array(
      (bySize.prefix(large).map { found[$0] } + found.indices.filter { !chosen.contains($0) }.map { found[$0] })
        .prefix(count))
  }

  /// The number of values in `value`, and of characters and bytes in its
  /// strings: the measure of an input's size.
  static func size(of value: Value) -> Int {
    switch value {
    case .str(let s): 1 + s.utf8.count
    case .bytes(let b): 1 + b.count
    case .bigInt(let digits): 1 + digits.utf8.count
    case .strCodePoints(let codes): 1 + codes.count
    case .list(let xs), .tuple(let xs), .set(let xs), .frozenset(let xs): xs.reduce(1) { $0 + size(of: $1) }
    case .dict(let entries): entries.reduce(1) { $0 + size(of: $1.key) + size(of: $1.value) }
    default: 1
    }
  }

  /// Values of `value`'s type near it. Integers stay within 2^62, so that
  /// no mutation overflows; a container's new elements are its own.
  static func mutations(of value: Value, using generator: inout SeededGenerator) -> [Value] {
    switch value {
    case .none, .bigInt, .strCodePoints:
      return []
    case .bool(let b):
      return [.bool(!b)]
    case .int(let n):
      guard n.magnitude < 1 << 62 else { return [.int(0), .int(1), .int(-1)] }
      return [0, 1, -1, n + 1, n - 1, -n, 2 * n, n + 10, 100, -100].map { .int($0) }
    case .float(let x):
      guard x.isFinite, abs(x) < 1e300 else { return [.float(0), .float(1)] }
      return [0, 1, -1, -x, x + 1, x - 1, x / 2, 2 * x, 0.5].map { .float($0) }
    case .str(let s):
      var out = [
        "", String(s.prefix(1)), String(s.reversed()), s + s, s.uppercased(), s.lowercased(), " " + s + " ",
        String(s.dropLast()), String(s.dropFirst()),
      ]
      let words = s.split(separator: " ")
      if words.count > 1 { out.append(words.reversed().joined(separator: " ")) }
      return out.map { .str($0) }
    case .bytes(let b):
      return [[], Array(b.reversed()), b + b, Array(b.dropLast())].map { .bytes($0) }
    case .list(let xs):
      return sequences(xs, using: &generator).map { .list($0) }
    case .tuple(let xs):
      // A tuple's length is part of its type: one element at a time.
      return xs.indices.flatMap { i in
        mutations(of: xs[i], using: &generator).prefix(3).map { variant -> Value in
          var changed = xs
          changed[i] = variant
          return .tuple(changed)
        }
      }
    case .set(let xs):
      return [[], Array(xs.dropLast()), Array(xs.prefix(1))].map { .set($0) }
    case .frozenset(let xs):
      return [[], Array(xs.dropLast()), Array(xs.prefix(1))].map { .frozenset($0) }
    case .dict(let entries):
      var out: [[Value.DictEntry]] = [[], Array(entries.dropLast()), Array(entries.prefix(1))]
      if let i = entries.indices.randomElement(using: &generator),
        let variant = mutations(of: entries[i].value, using: &generator).randomElement(using: &generator)
      {
        var changed = entries
        changed[i].value = variant
        out.append(changed)
      }
      return out.map { .dict($0) }
    }
  }

  /// A list's variants: empty, one element, reversed, sorted, with an
  /// element repeated or dropped, doubled, and one element mutated.
  static func sequences(_ xs: [Value], using generator: inout SeededGenerator) -> [[Value]] {
    var out: [[Value]] = [[], xs.reversed(), Array(xs.dropLast()), Array(xs.dropFirst()), xs + xs]
    if let sorted = sortedIfComparable(xs) { out += [sorted, sorted.reversed()] }
    if let first = xs.first { out += [[first], xs + [first], [first, first, first]] }
    if let i = xs.indices.randomElement(using: &generator),
      let variant = mutations(of: xs[i], using: &generator).randomElement(using: &generator)
    {
      var changed = xs
      changed[i] = variant
      out.append(changed)
    }
    return out
  }

  /// `xs` sorted, when its elements are all numbers or all strings.
  static func sortedIfComparable(_ xs: [Value]) -> [Value]? {
    let numbers = xs.compactMap { value -> Double? in
      switch value {
      case .int(let n): Double(n)
      case .float(let x): x
      default: nil
      }
    }
    if numbers.count == xs.count {
      return xs.indices.sorted { numbers[$0] < numbers[$1] }.map { xs[$0] }
    }
    let strings = xs.compactMap { value -> String? in
      if case .str(let s) = value { return s }
      return nil
    }
    if strings.count == xs.count {
      return xs.indices.sorted {
        Array(strings[$0].unicodeScalars.map(\.value)).lexicographicallyPrecedes(
          strings[$1].unicodeScalars.map(\.value))
      }.map { xs[$0] }
    }
    return nil
  }
}
