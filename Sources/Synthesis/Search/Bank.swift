/// The programs of one scope, kept by the enumerator: the top level (no
/// bound variables, evaluated on the public examples) or the bodies of
/// lambdas that bind `scope` (evaluated on probe environments).
///
/// Entries are numbered within their bank; a program's argument always
/// comes from the bank its slot names, so a local number is enough. Values
/// live in one flat array of cells, `width` per entry.
final class Bank {
  /// Its place among the enumerator's banks.
  let index: Int
  let scope: [DType]
  /// Environment k: which example, and the bound variables' values.
  let envExample: [Int]
  let envBound: [[DValue]]
  var envIndex: [EnvKey: Int32] = [:]
  var width: Int { envExample.count }

  var store: [Cell] = []
  var inner: [Int32] = []
  /// The root production, or -1 for a leaf.
  var production: [Int32] = []
  var arguments: [(Int32, Int32, Int32)] = []
  /// Whether the entry's value depends on the bound variables within some
  /// example: only those make useful lambda bodies.
  var usesBound: [Bool] = []
  var leaves: [Int32: Expr] = [:]
  var exprCache: [Int32: Expr] = [:]
  /// Entry ids by root symbol, then inner cost.
  var buckets: [[[Int32]]] = Array(repeating: [], count: Symbols.count)
  /// Fingerprint of (type, values) → entry, for equivalence pruning.
  let seen = FastMap()
  /// Per production, per argument: where its arguments come from.
  var plans: [[SlotPlan]] = []
  /// Element positions of list entries among a lambda bank's environments.
  var elementIndexCache: [Int: [[Int32]]] = [:]

  struct EnvKey: Hashable {
    var example: Int
    var bound: [DValue]
  }

  /// Where an argument of a production comes from: a bank, a type, and
  /// the slot's options with their costs, cheapest first.
  struct SlotPlan {
    var bank: Int
    var type: DType
    var options: [SlotCosts.Option]
    var isLambda: Bool
    var minUnits: Int { options.first?.units ?? Int.max / 4 }
  }

  init(index: Int, scope: [DType], envExample: [Int], envBound: [[DValue]]) {
    self.index = index
    self.scope = scope
    self.envExample = envExample
    self.envBound = envBound
    for (k, key) in zip(envExample, envBound).enumerated() {
      envIndex[EnvKey(example: key.0, bound: key.1)] = Int32(k)
    }
  }

  var count: Int { inner.count }

  func cell(_ id: Int32, _ k: Int) -> Cell { store[Int(id) * width + k] }

  /// The entry equal to `row` of `type`, if one is kept; else where to
  /// record it.
  func find(_ row: [Cell], type: DType) -> (existing: Int32?, fingerprint: UInt64) {
    var fingerprint = Fingerprint.of(row, type: type)
    while let id = seen.get(fingerprint) {
      let base = Int(id) * width
      var equal = true
      for k in 0..<width where store[base + k] != row[k] {
        equal = false
        break
      }
      if equal { return (id, fingerprint) }
      fingerprint &+= 0x9E37_79B9_7F4A_7C15  // a collision: probe on
    }
    return (nil, fingerprint)
  }

  /// Keeps a new entry.
  func append(
    _ row: [Cell], fingerprint: UInt64, symbol: Int, inner units: Int, production p: Int32,
    arguments args: (Int32, Int32, Int32)
  ) -> Int32 {
    let id = Int32(count)
    seen.set(fingerprint, id)
    store.append(contentsOf: row)
    inner.append(Int32(units))
    production.append(p)
    arguments.append(args)
    usesBound.append(scope.isEmpty ? false : Self.varies(row, envExample))
    while buckets[symbol].count <= units { buckets[symbol].append([]) }
    buckets[symbol][units].append(id)
    return id
  }

  /// Whether values differ between two environments of one example.
  static func varies(_ row: [Cell], _ examples: [Int]) -> Bool {
    var start = 0
    for k in 1..<max(row.count, 1) {
      if examples[k] != examples[start] {
        start = k
      } else if row[k] != row[start] {
        return true
      }
    }
    return false
  }
}

/// A 64-bit fingerprint of a typed row of cells (equality is checked on a
/// hit, so a collision costs a probe, never a wrong answer).
enum Fingerprint {
  static func of(_ row: [Cell], type: DType) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 &+ UInt64(type.rawValue)
    for cell in row {
      h =
        (h ^ (UInt64(cell.kind.rawValue) &+ UInt64(bitPattern: Int64(cell.bits)) &* 0x100_0000_01b3))
        &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
    }
    return h
  }
}
