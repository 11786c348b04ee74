extension Value {
  /// Whether `actual` is the value this expected value asks for. The rule:
  ///
  /// - Types are never interchangeable: `bool`, `int` and `float` are
  ///   distinct (`True` is not `1`, `1` is not `1.0`), so are `list` and
  ///   `tuple`, and `set` and `frozenset`; `None` matches only `None`.
  /// - int: exactly equal, of any size.
  /// - float: an expected NaN matches only NaN; an expected `inf` or `-inf`
  ///   only the same infinity; a finite expected `e` matches a finite actual
  ///   `a` when `|a - e| <= 1e-9 * max(1, |e|)`. The tolerance comes from the
  ///   expected value only, never from the actual one. (`-0.0` matches `0.0`.)
  /// - str: the same sequence of Unicode code points, lone surrogates
  ///   included, without normalization (`'é'` is not `'e\u0301'`).
  /// - bytes: the same bytes.
  /// - list, tuple: the same length, and element by element by this rule.
  /// - set, frozenset: the same size and the same elements under exact
  ///   equality (below).
  /// - dict: the same keys under exact equality, in any order, and each
  ///   key's value by this rule (with its tolerance).
  ///
  /// Exact equality, of set elements and dict keys, is what Python's hashing
  /// compares, with types strict: floats equal when `==` or both NaN (so
  /// `-0.0` is `0.0`), and otherwise the rule above without tolerance, nested
  /// sets regardless of order. A set holding equal elements more than once
  /// (only NaNs can, in Python) matches one holding them as many times; a
  /// dict's keys that are equal (NaNs) are paired in order.
  ///
  /// Sets and dicts compare by hashing a canonical encoding of each element
  /// (`exactKey`), in time linear in their size.
  public func accepts(_ actual: Value) -> Bool {
    switch (self, actual) {
    case (.none, .none): return true
    case (.bool(let e), .bool(let a)): return e == a
    case (.int(let e), .int(let a)): return e == a
    case (.bigInt(let e), .bigInt(let a)): return e == a
    case (.int(let e), .bigInt(let a)), (.bigInt(let a), .int(let e)): return String(e) == a
    case (.float(let e), .float(let a)):
      if e.isNaN { return a.isNaN }
      if e.isInfinite { return a == e }
      return a.isFinite && abs(a - e) <= 1e-9 * max(1, abs(e))
    case (.str(let e), .str(let a)): return e.utf8.elementsEqual(a.utf8)
    case (.str, .strCodePoints), (.strCodePoints, .str), (.strCodePoints, .strCodePoints):
      return codePoints == actual.codePoints
    case (.bytes(let e), .bytes(let a)): return e == a
    case (.list(let e), .list(let a)), (.tuple(let e), .tuple(let a)):
      return e.count == a.count && zip(e, a).allSatisfy { $0.accepts($1) }
    case (.set(let e), .set(let a)), (.frozenset(let e), .frozenset(let a)):
      return Self.sameElements(e, a)
    case (.dict(let e), .dict(let a)):
      return Self.sameEntries(e, a)
    default: return false
    }
  }

  /// Equal multisets of exact keys.
  private static func sameElements(_ expected: [Value], _ actual: [Value]) -> Bool {
    guard expected.count == actual.count else { return false }
    var counts: [[UInt8]: Int] = [:]
    counts.reserveCapacity(actual.count)
    for element in actual { counts[element.exactKey, default: 0] += 1 }
    for element in expected {
      let key = element.exactKey
      guard let count = counts[key], count > 0 else { return false }
      counts[key] = count - 1
    }
    return true
  }

  /// The same exact keys, each key's values by `accepts`, in order when a
  /// key repeats.
  private static func sameEntries(_ expected: [DictEntry], _ actual: [DictEntry]) -> Bool {
    guard expected.count == actual.count else { return false }
    var byKey: [[UInt8]: (values: [Value], next: Int)] = [:]
    byKey.reserveCapacity(actual.count)
    for entry in actual { byKey[entry.key.exactKey, default: ([], 0)].values.append(entry.value) }
    for entry in expected {
      let key = entry.key.exactKey
      guard let slot = byKey[key], slot.next < slot.values.count, entry.value.accepts(slot.values[slot.next]) else {
        return false
      }
      byKey[key]?.next += 1
    }
    return true
  }

  /// A canonical encoding of this value under exact equality: two values
  /// have the same key exactly when they are equal as set elements or dict
  /// keys (see `accepts(_:)`). A type tag, then the content; lengths and
  /// counts make every key self-delimiting, and the keys of a set's
  /// elements (and of a dict's entries) are sorted.
  public var exactKey: [UInt8] {
    var out: [UInt8] = []
    appendExactKey(to: &out)
    return out
  }

  private func appendExactKey(to out: inout [UInt8]) {
    func length(_ n: Int) {
      withUnsafeBytes(of: UInt64(n).littleEndian) { out.append(contentsOf: $0) }
    }
    func sorted(_ keys: [[UInt8]]) {
      length(keys.count)
      for key in keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) { out.append(contentsOf: key) }
    }
    switch self {
    case .none: out.append(0)
    case .bool(let b): out += [1, b ? 1 : 0]
    case .int(let i):
      let digits = String(i)
      out.append(2)
      length(digits.utf8.count)
      out += digits.utf8
    case .bigInt(let digits):
      out.append(2)
      length(digits.utf8.count)
      out += digits.utf8
    case .float(let d):
      let bits: UInt64 = d.isNaN ? 0x7FF8_0000_0000_0000 : d == 0 ? 0 : d.bitPattern
      out.append(3)
      withUnsafeBytes(of: bits.littleEndian) { out.append(contentsOf: $0) }
    case .str(let s):
      out.append(4)
      length(s.utf8.count)
      out += s.utf8
    case .strCodePoints(let codes):
      // UTF-8 generalized to surrogates: the same bytes as a `str` for scalars.
      var bytes: [UInt8] = []
      for code in codes {
        switch code {
        case ..<0x80: bytes.append(UInt8(code))
        case ..<0x800: bytes += [UInt8(0xC0 | code >> 6), UInt8(0x80 | code & 0x3F)]
        case ..<0x10000:
          bytes += [UInt8(0xE0 | code >> 12), UInt8(0x80 | code >> 6 & 0x3F), UInt8(0x80 | code & 0x3F)]
        default:
          bytes += [
            UInt8(0xF0 | code >> 18 & 0x07), UInt8(0x80 | code >> 12 & 0x3F), UInt8(0x80 | code >> 6 & 0x3F),
            UInt8(0x80 | code & 0x3F),
          ]
        }
      }
      out.append(4)
      length(bytes.count)
      out += bytes
    case .bytes(let b):
      out.append(5)
      length(b.count)
      out += b
    case .list(let items):
      out.append(6)
      length(items.count)
      for item in items { item.appendExactKey(to: &out) }
    case .tuple(let items):
      out.append(7)
      length(items.count)
      for item in items { item.appendExactKey(to: &out) }
    case .set(let items):
      out.append(8)
      sorted(items.map(\.exactKey))
    case .frozenset(let items):
      out.append(9)
      sorted(items.map(\.exactKey))
    case .dict(let entries):
      out.append(10)
      sorted(entries.map { $0.key.exactKey + $0.value.exactKey })
    }
  }
}
