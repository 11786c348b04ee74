/// The programs of one scope, kept by the enumerator: the top level (no
/// bound variables, evaluated on the public examples) or the bodies of
/// lambdas that bind `scope` (evaluated on probe environments).
///
/// Entries are numbered within their bank; a program's argument always
/// comes from the bank its slot names, so a local number is enough. Values
/// live in one flat array, `width` per entry.
final class Bank {
  let scope: [DType]
  /// Environment k: which example, and the bound variables' values.
  let envExample: [Int]
  let envBound: [[DValue]]
  var envIndex: [EnvKey: Int32] = [:]
  var width: Int { envExample.count }

  var store: [DValue] = []
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
  var seen: [UInt64: Int32] = [:]
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

  init(scope: [DType], envExample: [Int], envBound: [[DValue]]) {
    self.scope = scope
    self.envExample = envExample
    self.envBound = envBound
    for (k, key) in zip(envExample, envBound).enumerated() {
      envIndex[EnvKey(example: key.0, bound: key.1)] = Int32(k)
    }
  }

  var count: Int { inner.count }

  func value(_ id: Int32, _ k: Int) -> DValue { store[Int(id) * width + k] }

  /// The entry equal to `row` of `type`, if one is kept; else where to
  /// record it.
  func find(_ row: [DValue], type: DType) -> (existing: Int32?, fingerprint: UInt64) {
    var fingerprint = Fingerprint.of(row, type: type)
    while let id = seen[fingerprint] {
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
    _ row: [DValue], fingerprint: UInt64, symbol: Int, inner units: Int, production p: Int32,
    arguments args: (Int32, Int32, Int32)
  ) -> Int32 {
    let id = Int32(count)
    seen[fingerprint] = id
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
  static func varies(_ row: [DValue], _ examples: [Int]) -> Bool {
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

/// A 64-bit fingerprint of a typed row of values (equality is checked on
/// a hit, so a collision costs a probe, never a wrong answer).
enum Fingerprint {
  @inline(__always)
  static func mix(_ h: inout UInt64, _ x: UInt64) {
    h = (h ^ x) &* 0x9E37_79B9_7F4A_7C15
    h ^= h >> 29
  }

  static func of(_ row: [DValue], type: DType) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 &+ UInt64(type.rawValue)
    for value in row { add(value, &h) }
    return h
  }

  static func add(_ value: DValue, _ h: inout UInt64) {
    switch value {
    case .int(let i):
      mix(&h, 1)
      mix(&h, UInt64(bitPattern: Int64(i)))
    case .bool(let b): mix(&h, b ? 3 : 2)
    case .str(let s):
      mix(&h, 4 &+ UInt64(s.scalars.count) << 8)
      for c in s.scalars { mix(&h, UInt64(c.value)) }
    case .ints(let xs):
      mix(&h, 5 &+ UInt64(xs.count) << 8)
      for x in xs { mix(&h, UInt64(bitPattern: Int64(x))) }
    case .strs(let xs):
      mix(&h, 6 &+ UInt64(xs.count) << 8)
      for s in xs { add(.str(s), &h) }
    case .grid(let rows):
      mix(&h, 7 &+ UInt64(rows.count) << 8)
      for r in rows { add(.ints(r), &h) }
    case .error: mix(&h, 8)
    case .beyond: mix(&h, 9)
    }
  }
}
