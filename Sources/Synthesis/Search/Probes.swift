/// The environments a lambda body is evaluated on while enumerating: for
/// each public example, values for the bound variables taken from that
/// example's data (the elements a lambda is likely to see), plus a few
/// standard ones that tell bodies apart.
enum Probes {
  /// At most this many environments per example.
  static let perExample = 6

  static func environments(_ binds: [DType], task: SynthesisTask) -> [(example: Int, bound: [DValue])] {
    var out: [(example: Int, bound: [DValue])] = []
    for (example, inputs) in task.inputs.enumerated() {
      var seen: Set<[DValue]> = []
      var picked: [[DValue]] = []
      func add(_ bound: [DValue]) {
        if picked.count < perExample, seen.insert(bound).inserted { picked.append(bound) }
      }
      for bound in candidates(binds, inputs: inputs) { add(bound) }
      for bound in standard(binds) { add(bound) }
      out += picked.map { (example, $0) }
    }
    return out
  }

  /// Bound values the example's own data suggests.
  static func candidates(_ binds: [DType], inputs: [DValue]) -> [[DValue]] {
    switch binds {
    case [.int]:
      var ints: [Int] = []
      for input in inputs {
        switch input {
        case .int(let n): ints += [n] + (0..<min(max(n, 0), 8)).map { $0 }
        case .ints(let xs): ints += xs
        case .grid(let rows): ints += rows.joined()
        case .str(let s): ints += s.scalars.compactMap { $0.properties.numericType == .decimal ? Int(String($0)) : nil }
        default: break
        }
      }
      return ints.map { [.int($0)] }
    case [.str]:
      var strs: [PyStr] = []
      for input in inputs {
        switch input {
        case .str(let s):
          strs += Semantics.splitWhitespace(s.scalars) + [s] + s.scalars.map { PyStr([$0]) }
        case .strs(let xs): strs += xs
        case .int(let n): strs += String(n).unicodeScalars.map { PyStr([$0]) }
        default: break
        }
      }
      return strs.map { [.str($0)] }
    case [.ints]:
      var lists: [[Int]] = []
      for input in inputs {
        switch input {
        case .grid(let rows):
          lists += rows
          if case .grid(let columns) = Semantics.unary(.transpose, input) { lists += columns }
        case .ints(let xs): lists.append(xs)
        default: break
        }
      }
      return lists.map { [.ints($0)] }
    case [.int, .int]:
      let lists = inputs.compactMap { if case .ints(let xs) = $0 { xs } else { nil } }
      var pairs: [[DValue]] = []
      for (i, a) in lists.enumerated() {
        for (j, b) in lists.enumerated() where i != j || lists.count == 1 {
          pairs += zip(a, b).map { [.int($0), .int($1)] }
        }
      }
      return pairs
    default:
      return []
    }
  }

  static func standard(_ binds: [DType]) -> [[DValue]] {
    switch binds {
    case [.int]: [0, 1, 2, -1, 3, -3, 10, 7].map { [.int($0)] }
    case [.str]: ["a", "B", " ", "", "1", "ab"].map { [.str(PyStr($0))] }
    case [.ints]: [[], [1], [3, -1, 2], [0, 5]].map { [.ints($0)] }
    case [.int, .int]: [(0, 1), (2, -1), (3, 3), (-2, 5), (7, 4)].map { [.int($0), .int($1)] }
    default: []
    }
  }
}
