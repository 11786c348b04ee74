/// A value in the enumerator's tables, 16 bytes and no reference counting:
/// ints, booleans and failures inline, strings and lists by their number in
/// the ``Interner``. Equal values are equal cells, so rows compare and hash
/// as plain memory.
struct Cell: Hashable {
  enum Kind: UInt8 {
    case int, bool, error, beyond, str, ints, strs, grid
  }

  var kind: Kind
  /// The int, the bool (0 or 1), or the interned value's number.
  var bits: Int

  static let error = Cell(kind: .error, bits: 0)
  static let beyond = Cell(kind: .beyond, bits: 0)

  var isFailure: Bool { kind == .error || kind == .beyond }
  /// Whether the value lives in the cell itself.
  var isInline: Bool { kind.rawValue <= Kind.beyond.rawValue }

  /// The value of an inline cell.
  var inlineValue: DValue {
    switch kind {
    case .int: .int(bits)
    case .bool: .bool(bits != 0)
    case .beyond: .beyond
    default: .error
    }
  }
}

/// Every string and list value an enumeration has seen, once each.
final class Interner {
  private var strs: [PyStr] = []
  private var strIndex: [PyStr: Int] = [:]
  private var lists: [[Int]] = []
  private var listIndex: [[Int]: Int] = [:]
  private var strLists: [[PyStr]] = []
  private var strListIndex: [[PyStr]: Int] = [:]
  private var grids: [[[Int]]] = []
  private var gridIndex: [[[Int]]: Int] = [:]

  /// The cell of a value, interning it if it is new.
  func cell(_ value: DValue) -> Cell {
    switch value {
    case .int(let i): return Cell(kind: .int, bits: i)
    case .bool(let b): return Cell(kind: .bool, bits: b ? 1 : 0)
    case .error: return .error
    case .beyond: return .beyond
    case .str(let s): return Cell(kind: .str, bits: Self.intern(s, &strs, &strIndex))
    case .ints(let xs): return Cell(kind: .ints, bits: Self.intern(xs, &lists, &listIndex))
    case .strs(let xs): return Cell(kind: .strs, bits: Self.intern(xs, &strLists, &strListIndex))
    case .grid(let rows): return Cell(kind: .grid, bits: Self.intern(rows, &grids, &gridIndex))
    }
  }

  /// The value of a cell.
  func value(_ cell: Cell) -> DValue {
    switch cell.kind {
    case .int, .bool, .error, .beyond: cell.inlineValue
    case .str: .str(strs[cell.bits])
    case .ints: .ints(lists[cell.bits])
    case .strs: .strs(strLists[cell.bits])
    case .grid: .grid(grids[cell.bits])
    }
  }

  private static func intern<T: Hashable>(_ value: T, _ table: inout [T], _ index: inout [T: Int]) -> Int {
    if let known = index[value] { return known }
    table.append(value)
    index[value] = table.count - 1
    return table.count - 1
  }
}

/// An open-addressing hash map from 64-bit keys to 32-bit values, for the
/// enumerator's hottest lookups: the keys are already well mixed, so the
/// map uses their bits directly instead of hashing them again. Its slots
/// are one manually managed buffer: no copy-on-write checks and no
/// reference counting per lookup.
final class FastMap {
  private struct Slot {
    var key: UInt64
    var value: Int32
    var used: Bool
  }
  private var slots: UnsafeMutablePointer<Slot>
  private var size: Int
  private(set) var count = 0

  init(capacity: Int = 1024) {
    size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Slot(key: 0, value: 0, used: false), count: size)
  }

  deinit { slots.deallocate() }

  func get(_ key: UInt64) -> Int32? {
    let mask = size - 1
    var i = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
    while slots[i].used {
      if slots[i].key == key { return slots[i].value }
      i = (i + 1) & mask
    }
    return nil
  }

  func set(_ key: UInt64, _ value: Int32) {
    if (count + 1) * 2 > size { grow() }
    let mask = size - 1
    var i = Int(truncatingIfNeeded: key ^ (key >> 32)) & mask
    while slots[i].used {
      if slots[i].key == key {
        slots[i].value = value
        return
      }
      i = (i + 1) & mask
    }
    slots[i] = Slot(key: key, value: value, used: true)
    count += 1
  }

  private func grow() {
    let old = slots
    let oldSize = size
    size *= 2
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Slot(key: 0, value: 0, used: false), count: size)
    count = 0
    for i in 0..<oldSize where old[i].used { set(old[i].key, old[i].value) }
    old.deallocate()
  }
}

/// Mixes a 64-bit value well (the finalizer of SplitMix64).
@inline(__always)
func mix64(_ x: UInt64) -> UInt64 {
  var z = x &+ 0x9E37_79B9_7F4A_7C15
  z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
  z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
  return z ^ (z >> 31)
}

/// Results of operations by (production, arguments), in an open-addressing
/// table of its own (one manually managed buffer, like ``FastMap``).
final class Memo {
  private struct Slot {
    var production: Int
    var a: Cell
    var b: Cell
    var result: Cell
    var used: Bool
  }
  private var slots: UnsafeMutablePointer<Slot>
  private var size = 1 << 12
  private var count = 0
  private static let empty = Slot(production: 0, a: .error, b: .error, result: .error, used: false)

  init() {
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Self.empty, count: size)
  }

  deinit { slots.deallocate() }

  private static func hash(_ p: Int, _ a: Cell, _ b: Cell) -> Int {
    var h = mix64(UInt64(truncatingIfNeeded: p) << 8 | UInt64(a.kind.rawValue) << 4 | UInt64(b.kind.rawValue))
    h = mix64(h ^ UInt64(bitPattern: Int64(a.bits)))
    return Int(truncatingIfNeeded: mix64(h ^ UInt64(bitPattern: Int64(b.bits))))
  }

  func get(_ p: Int, _ a: Cell, _ b: Cell) -> Cell? {
    let mask = size - 1
    var i = Self.hash(p, a, b) & mask
    while slots[i].used {
      if slots[i].production == p && slots[i].a == a && slots[i].b == b { return slots[i].result }
      i = (i + 1) & mask
    }
    return nil
  }

  func set(_ p: Int, _ a: Cell, _ b: Cell, _ result: Cell) {
    if (count + 1) * 2 > size { grow() }
    let mask = size - 1
    var i = Self.hash(p, a, b) & mask
    while slots[i].used {
      if slots[i].production == p && slots[i].a == a && slots[i].b == b {
        slots[i].result = result
        return
      }
      i = (i + 1) & mask
    }
    slots[i] = Slot(production: p, a: a, b: b, result: result, used: true)
    count += 1
  }

  private func grow() {
    let old = slots
    let oldSize = size
    size *= 2
    slots = .allocate(capacity: size)
    slots.initialize(repeating: Self.empty, count: size)
    count = 0
    for i in 0..<oldSize where old[i].used { set(old[i].production, old[i].a, old[i].b, old[i].result) }
    old.deallocate()
  }
}
