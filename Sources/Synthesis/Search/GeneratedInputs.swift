import Support

/// Inputs for telling programs apart, drawn for a task with no expected
/// outputs: mutations of the public inputs (empties, single elements,
/// reversals, duplicates, signs, boundaries, one argument at a time, as
/// EvalPlus's type-aware mutation does) and fresh values of the parameter
/// types from the public inputs' own numbers and words. Deterministic under
/// the seed; never one of the public inputs.
public enum GeneratedInputs {
  public static func make(_ task: SynthesisTask, count: Int, seed: UInt64) -> [[DValue]] {
    guard count > 0, !task.parameterTypes.isEmpty else { return [] }
    var generator = SeededGenerator(seed: seed ^ 0x5EED_1A9E_D1A5_0001)
    let pool = Pool(task.inputs.joined())
    var seen = Set(task.inputs)
    var mutated: [[DValue]] = []
    for example in task.inputs {
      for (position, value) in example.enumerated() {
        for variant in mutations(of: value, pool: pool) {
          var input = example
          input[position] = variant
          if seen.insert(input).inserted { mutated.append(input) }
        }
      }
    }
    mutated.shuffle(using: &generator)
    // Half mutations, half fresh draws (more of either when the other runs
    // short); a bounded number of tries, as small types run out of values.
    var out = Array(mutated.prefix((count + 1) / 2))
    var tries = 0
    while out.count < count, tries < 20 * count {
      tries += 1
      let input = task.parameterTypes.map { pool.draw($0, using: &generator) }
      if seen.insert(input).inserted { out.append(input) }
    }
    for input in mutated.dropFirst(out.count) where out.count < count { out.append(input) }
    return out
  }

  /// Values a mutation of `value` gives.
  static func mutations(of value: DValue, pool: Pool) -> [DValue] {
    switch value {
    case .int(let n):
      return [0, 1, -1, n + 1, n - 1, -n, 2 * n, n + 10, 100, -100].map { .int($0) }
    case .bool(let b):
      return [.bool(!b)]
    case .str(let s):
      let words = Semantics.splitWhitespace(s.scalars)
      var out = [
        PyStr(""), PyStr(Array(s.scalars.prefix(1))), PyStr(s.scalars.reversed()), PyStr(s.string + " " + s.string),
        PyStr(s.string.uppercased()), PyStr(" " + s.string + "  "), PyStr(Array(s.scalars.dropLast())),
      ]
      if words.count > 1 { out.append(join(words.reversed())) }
      if let first = words.first { out.append(join(words + [first])) }
      return out.map { .str($0) }
    case .ints(let xs):
      var out: [[Int]] = [[], xs.reversed(), xs.sorted(), xs.map { -$0 }, xs + [0], Array(xs.dropLast()), xs + [100]]
      if let first = xs.first {
        out += [[first], xs + [first], [first, first, first], [first] + xs]
      }
      return out.map { .ints($0) }
    case .strs(let xs):
      var out: [[PyStr]] = [[], xs.reversed(), xs.sorted(), xs + [PyStr("")]]
      if let first = xs.first { out += [[first], xs + [first]] }
      return out.map { .strs($0) }
    case .grid(let rows):
      var out: [[[Int]]] = [[], [[]], rows.reversed(), rows.map { $0.map { -$0 } }, rows.map { $0.reversed() }]
      if let first = rows.first { out += [[first], rows + [first]] }
      if let width = rows.first?.count, width > 0, rows.allSatisfy({ $0.count == width }) {
        out.append((0..<width).map { c in rows.map { $0[c] } })
      }
      return out.map { .grid($0) }
    case .error, .beyond:
      return []
    }
  }

  static func join(_ words: [PyStr]) -> PyStr {
    PyStr(words.map(\.scalars).joined(separator: [" "]).map { $0 })
  }

  /// The numbers and words of the public inputs, to draw fresh values from.
  struct Pool {
    var ints: [Int] = [-3, -1, 0, 1, 2, 5, 9]
    var words: [PyStr] = [PyStr("a"), PyStr("ab"), PyStr("b")]

    init<S: Sequence>(_ values: S) where S.Element == DValue {
      func add(_ value: DValue) {
        switch value {
        case .int(let n): ints.append(n)
        case .ints(let xs): ints += xs
        case .grid(let rows): ints += rows.joined()
        case .str(let s): words += Semantics.splitWhitespace(s.scalars)
        case .strs(let xs): words += xs
        default: break
        }
      }
      for value in values { add(value) }
    }

    func draw(_ type: DType, using generator: inout SeededGenerator) -> DValue {
      // Mostly the task's own numbers, sometimes any small one.
      func int() -> Int {
        Bool.random(using: &generator)
          ? ints.randomElement(using: &generator)! : Int.random(in: -20...20, using: &generator)
      }
      func list() -> [Int] { (0..<Int.random(in: 0...7, using: &generator)).map { _ in int() } }
      func word() -> PyStr { words.randomElement(using: &generator)! }
      switch type {
      case .int: return .int(int())
      case .bool: return .bool(Bool.random(using: &generator))
      case .str: return .str(GeneratedInputs.join((0..<Int.random(in: 0...5, using: &generator)).map { _ in word() }))
      case .ints: return .ints(list())
      case .strs: return .strs((0..<Int.random(in: 0...5, using: &generator)).map { _ in word() })
      case .grid:
        let width = Int.random(in: 1...4, using: &generator)
        return .grid(
          (0..<Int.random(in: 0...4, using: &generator)).map { _ in (0..<width).map { _ in int() } })
      }
    }
  }
}
