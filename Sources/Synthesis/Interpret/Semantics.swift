/// What each operation means: Python's semantics, exactly where the DSL's
/// values can express them (floor division and modulo of negatives, clamped
/// slices, code-point strings, short-circuiting `and`, `or`, `all`, `any`).
/// Where Python raises, the result is `.error`; where Python would go past
/// 64-bit integers or build a huge value, `.beyond`. Never a trap.
enum Semantics {
  /// Longest list or string a program may build in the interpreter; past
  /// it a value is `beyond`. The enumerator has no use for such values,
  /// and a candidate still runs for real in Python.
  static let sizeLimit = 10_000

  /// Applies `op` of production `p` to evaluated arguments. A lambda
  /// argument is passed as `.error` in `args` and evaluated through `body`
  /// (argument index, bound values), once per element, in order, stopping
  /// where Python stops (the enumerator relies on the order).
  static func apply(_ op: Op, _ args: [DValue], result: DType, body: (Int, [DValue]) -> DValue) -> DValue {
    // Lazy operations first: they decide which arguments matter.
    switch op {
    case .and:
      if case .bool(false) = args[0] { return .bool(false) }
      if case .bool(true) = args[0] { return args[1].isBoolOrFailure ? args[1] : .error }
      return args[0]
    case .or:
      if case .bool(true) = args[0] { return .bool(true) }
      if case .bool(false) = args[0] { return args[1].isBoolOrFailure ? args[1] : .error }
      return args[0]
    default: break
    }
    for arg in args where arg.isFailure {
      if case .beyond = arg { return .beyond }
    }
    switch op {
    case .countWhere, .all, .any, .map, .filter, .mapChars, .filterChars, .indicesWhere:
      if args[1].isFailure { return args[1] }
      let list = args[1]
      return applyLambda(op, list, result: result) { body(0, [element(list, $0)]) }
    case .zipWith:
      guard case .ints(let a) = args[1], case .ints(let b) = args[2] else { return failure(args) }
      var out: [Int] = []
      out.reserveCapacity(min(a.count, b.count))
      for (x, y) in zip(a, b) {
        let value = body(0, [.int(x), .int(y)])
        guard case .int(let v) = value else { return value.asFailure }
        out.append(v)
      }
      return .ints(out)
    default:
      break
    }
    if let failed = args.first(where: \.isFailure) { return failed }
    switch args.count {
    case 1: return unary(op, args[0])
    case 2: return binary(op, args[0], args[1])
    default:
      if op == .replace, case .str(let s) = args[0], case .str(let old) = args[1], case .str(let new) = args[2] {
        return replace(s.scalars, old.scalars, new.scalars)
      }
      return .error
    }
  }

  /// ``apply`` for a one-argument operation without lambdas, without
  /// building an argument array (the enumerator's hot path).
  @inline(__always)
  static func strict(_ op: Op, _ a: DValue) -> DValue { a.isFailure ? a : unary(op, a) }

  /// ``apply`` for a two-argument operation without lambdas that evaluates
  /// both arguments (everything but `and`, `or`).
  @inline(__always)
  static func strict(_ op: Op, _ a: DValue, _ b: DValue) -> DValue {
    if case .beyond = a { return .beyond }
    if case .beyond = b { return .beyond }
    if a.isFailure { return a }
    if b.isFailure { return b }
    return binary(op, a, b)
  }

  static func failure(_ args: [DValue]) -> DValue { args.first(where: \.isFailure) ?? .error }

  // MARK: one argument

  static func unary(_ op: Op, _ a: DValue) -> DValue {
    switch (op, a) {
    case (.neg, .int(let x)): return x == .min ? .beyond : .int(-x)
    case (.abs, .int(let x)): return x == .min ? .beyond : .int(Swift.abs(x))
    case (.length, .ints(let xs)): return .int(xs.count)
    case (.length, .str(let s)): return .int(s.scalars.count)
    case (.length, .strs(let xs)): return .int(xs.count)
    case (.length, .grid(let xs)): return .int(xs.count)
    case (.sum, .ints(let xs)):
      var total = 0
      for x in xs {
        let (r, o) = total.addingReportingOverflow(x)
        if o { return .beyond }
        total = r
      }
      return .int(total)
    case (.product, .ints(let xs)):
      var total = 1
      for x in xs {
        let (r, o) = total.multipliedReportingOverflow(by: x)
        if o { return .beyond }
        total = r
      }
      return .int(total)
    case (.maximum, .ints(let xs)): return xs.max().map { .int($0) } ?? .error
    case (.minimum, .ints(let xs)): return xs.min().map { .int($0) } ?? .error
    case (.first, .ints(let xs)): return xs.first.map { .int($0) } ?? .error
    case (.last, .ints(let xs)): return xs.last.map { .int($0) } ?? .error
    case (.first, .str(let s)): return s.scalars.first.map { .str(PyStr([$0])) } ?? .error
    case (.last, .str(let s)): return s.scalars.last.map { .str(PyStr([$0])) } ?? .error
    case (.first, .strs(let xs)): return xs.first.map { .str($0) } ?? .error
    case (.last, .strs(let xs)): return xs.last.map { .str($0) } ?? .error
    case (.intOf, .str(let s)): return parseInt(s.scalars)
    case (.even, .int(let x)): return .bool(x & 1 == 0)
    case (.odd, .int(let x)): return .bool(x & 1 == 1)
    case (.not, .bool(let b)): return .bool(!b)
    case (.isDigit, .str(let s)):
      return .bool(!s.scalars.isEmpty && s.scalars.allSatisfy(isDigit))
    case (.isUpper, .str(let s)):
      var cased = false
      for c in s.scalars {
        if c.properties.isLowercase || c.properties.generalCategory == .titlecaseLetter { return .bool(false) }
        if c.properties.isUppercase { cased = true }
      }
      return .bool(cased)
    case (.upper, .str(let s)): return mapCase(s.scalars, upper: true, lower: false)
    case (.lower, .str(let s)): return mapCase(s.scalars, upper: false, lower: true)
    case (.swapCase, .str(let s)): return mapCase(s.scalars, upper: true, lower: true)
    case (.capitalize, .str(let s)):
      guard let head = s.scalars.first else { return .str(s) }
      var out = Array(head.properties.titlecaseMapping.unicodeScalars)
      for c in s.scalars.dropFirst() { out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars) }
      return .str(PyStr(out))
    case (.strip, .str(let s)):
      var scalars = s.scalars[...]
      while let c = scalars.first, isSpace(c) { scalars.removeFirst() }
      while let c = scalars.last, isSpace(c) { scalars.removeLast() }
      return .str(PyStr(Array(scalars)))
    case (.reverse, .str(let s)): return .str(PyStr(s.scalars.reversed()))
    case (.reverse, .ints(let xs)): return .ints(xs.reversed())
    case (.reverse, .strs(let xs)): return .strs(xs.reversed())
    case (.everyOther, .str(let s)): return .str(PyStr(stride(s.scalars, from: 0)))
    case (.everyOther, .ints(let xs)): return .ints(stride(xs, from: 0))
    case (.oddPositions, .ints(let xs)): return .ints(stride(xs, from: 1))
    case (.strOf, .int(let x)): return .str(PyStr(String(x)))
    case (.sortChars, .str(let s)): return .str(PyStr(s.scalars.sorted { $0.value < $1.value }))
    case (.sorted, .ints(let xs)): return .ints(xs.sorted())
    case (.sorted, .strs(let xs)): return .strs(xs.sorted())
    case (.sortedDescending, .ints(let xs)): return .ints(xs.sorted(by: >))
    case (.range, .int(let n)):
      if n > sizeLimit { return .beyond }
      return .ints(n > 0 ? Array(0..<n) : [])
    case (.distinctSorted, .ints(let xs)): return .ints(Array(Set(xs)).sorted())
    case (.flatten, .grid(let rows)):
      let total = rows.reduce(0) { $0 + $1.count }
      return total > sizeLimit ? .beyond : .ints(rows.flatMap { $0 })
    case (.runningSum, .ints(let xs)):
      var out: [Int] = []
      out.reserveCapacity(xs.count)
      var total = 0
      for x in xs {
        let (r, o) = total.addingReportingOverflow(x)
        if o { return .beyond }
        total = r
        out.append(total)
      }
      return .ints(out)
    case (.split, .str(let s)): return .strs(splitWhitespace(s.scalars))
    case (.chars, .str(let s)): return .strs(s.scalars.map { PyStr([$0]) })
    case (.transpose, .grid(let rows)):
      guard let width = rows.map(\.count).min() else { return .grid([]) }
      return .grid((0..<width).map { c in rows.map { $0[c] } })
    default: return .error
    }
  }

  // MARK: two arguments

  /// Two-int operations: the whole of their meaning, shared by ``binary``
  /// and the enumerator's unboxed path. nil for an operation that does not
  /// take two ints.
  @inline(__always)
  static func ints(_ op: Op, _ x: Int, _ y: Int) -> DValue? {
    switch op {
    case .add:
      let (r, o) = x.addingReportingOverflow(y)
      return o ? .beyond : .int(r)
    case .sub:
      let (r, o) = x.subtractingReportingOverflow(y)
      return o ? .beyond : .int(r)
    case .mul:
      let (r, o) = x.multipliedReportingOverflow(by: y)
      return o ? .beyond : .int(r)
    case .floorDiv:
      if y == 0 { return .error }
      if x == .min && y == -1 { return .beyond }
      return .int(floorDiv(x, y))
    case .mod:
      if y == 0 { return .error }
      if y == -1 { return .int(0) }
      let r = x % y  // truncated; Python's takes the divisor's sign
      return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
    case .max2: return .int(Swift.max(x, y))
    case .min2: return .int(Swift.min(x, y))
    case .equal: return .bool(x == y)
    case .notEqual: return .bool(x != y)
    case .less: return .bool(x < y)
    case .lessEqual: return .bool(x <= y)
    case .greater: return .bool(x > y)
    case .greaterEqual: return .bool(x >= y)
    default: return nil
    }
  }

  static func binary(_ op: Op, _ a: DValue, _ b: DValue) -> DValue {
    if case .int(let x) = a, case .int(let y) = b, let r = ints(op, x, y) { return r }
    switch (op, a, b) {
    case (.at, .ints(let xs), .int(let i)):
      guard let j = index(i, xs.count) else { return .error }
      return .int(xs[j])
    case (.at, .str(let s), .int(let i)):
      guard let j = index(i, s.scalars.count) else { return .error }
      return .str(PyStr([s.scalars[j]]))
    case (.countOf, .ints(let xs), .int(let v)): return .int(xs.reduce(0) { $0 + ($1 == v ? 1 : 0) })
    case (.countOf, .str(let s), .str(let sub)): return .int(count(s.scalars, sub.scalars))
    case (.indexOf, .ints(let xs), .int(let v)): return xs.firstIndex(of: v).map { .int($0) } ?? .error
    case (.equal, _, _): return .bool(a == b)
    case (.notEqual, _, _): return .bool(a != b)
    case (.contains, .int(let v), .ints(let xs)): return .bool(xs.contains(v))
    case (.contains, .str(let sub), .str(let s)): return .bool(find(s.scalars, sub.scalars) != nil)
    case (.startsWith, .str(let s), .str(let p)): return .bool(s.scalars.starts(with: p.scalars))
    case (.endsWith, .str(let s), .str(let p)): return .bool(s.scalars.reversed().starts(with: p.scalars.reversed()))
    case (.concat, .str(let x), .str(let y)):
      return x.scalars.count + y.scalars.count > sizeLimit ? .beyond : .str(PyStr(x.scalars + y.scalars))
    case (.concat, .ints(let x), .ints(let y)):
      return x.count + y.count > sizeLimit ? .beyond : .ints(x + y)
    case (.repeatString, .str(let s), .int(let n)):
      if n <= 0 || s.scalars.isEmpty { return .str(PyStr([])) }
      if n > sizeLimit || s.scalars.count * n > sizeLimit { return .beyond }
      return .str(PyStr(Array([[Unicode.Scalar]](repeating: s.scalars, count: n).joined())))
    case (.join, .str(let sep), .strs(let parts)):
      var out: [Unicode.Scalar] = []
      for (i, part) in parts.enumerated() {
        if i > 0 { out += sep.scalars }
        out += part.scalars
        if out.count > sizeLimit { return .beyond }
      }
      return .str(PyStr(out))
    case (.take, .ints(let xs), .int(let n)): return .ints(Array(xs[0..<sliceBound(n, xs.count)]))
    case (.drop, .ints(let xs), .int(let n)): return .ints(Array(xs[sliceBound(n, xs.count)...]))
    case (.take, .str(let s), .int(let n)): return .str(PyStr(Array(s.scalars[0..<sliceBound(n, s.scalars.count)])))
    case (.drop, .str(let s), .int(let n)): return .str(PyStr(Array(s.scalars[sliceBound(n, s.scalars.count)...])))
    case (.range2, .int(let lo), .int(let hi)):
      if hi <= lo { return .ints([]) }
      let (width, o) = hi.subtractingReportingOverflow(lo)
      if o || width > sizeLimit { return .beyond }
      return .ints(Array(lo..<hi))
    case (.splitOn, .str(let s), .str(let sep)):
      if sep.scalars.isEmpty { return .error }  // ValueError: empty separator
      return .strs(split(s.scalars, on: sep.scalars))
    default: return .error
    }
  }

  // MARK: lambdas

  /// A lambda operation over a list (or a string's characters). `body(i)`
  /// is the lambda's value on element i; it is called once per element, in
  /// order, stopping where Python stops.
  static func applyLambda(_ op: Op, _ list: DValue, result: DType, body: (Int) -> DValue) -> DValue {
    let n: Int
    switch list {
    case .ints(let xs): n = xs.count
    case .strs(let xs): n = xs.count
    case .grid(let rows): n = rows.count
    case .str(let s): n = s.scalars.count
    default: return .error
    }
    switch op {
    case .countWhere:
      var count = 0
      for i in 0..<n {
        let v = body(i)
        guard case .bool(let b) = v else { return v.asFailure }
        if b { count += 1 }
      }
      return .int(count)
    case .all, .any:
      let stop = op == .any
      for i in 0..<n {
        let v = body(i)
        guard case .bool(let b) = v else { return v.asFailure }
        if b == stop { return .bool(stop) }
      }
      return .bool(!stop)
    case .map:
      return collect(n, as: result, body)
    case .filter, .indicesWhere, .filterChars:
      var positions: [Int] = []
      for i in 0..<n {
        let v = body(i)
        guard case .bool(let b) = v else { return v.asFailure }
        if b { positions.append(i) }
      }
      if op == .indicesWhere { return .ints(positions) }
      switch list {
      case .ints(let xs): return .ints(positions.map { xs[$0] })
      case .strs(let xs): return .strs(positions.map { xs[$0] })
      case .grid(let rows): return .grid(positions.map { rows[$0] })
      case .str(let s): return .str(PyStr(positions.map { s.scalars[$0] }))
      default: return .error
      }
    case .mapChars:
      var out: [Unicode.Scalar] = []
      for i in 0..<n {
        let v = body(i)
        guard case .str(let s) = v else { return v.asFailure }
        out += s.scalars
        if out.count > sizeLimit { return .beyond }
      }
      return .str(PyStr(out))
    default: return .error
    }
  }

  /// Element i of a list, or character i of a string, as a value.
  static func element(_ list: DValue, _ i: Int) -> DValue {
    switch list {
    case .ints(let xs): .int(xs[i])
    case .strs(let xs): .str(xs[i])
    case .grid(let rows): .ints(rows[i])
    case .str(let s): .str(PyStr([s.scalars[i]]))
    default: .error
    }
  }

  /// A map's results as a list of the production's type; the first failure
  /// (or a value of the wrong type) instead, if any.
  static func collect(_ n: Int, as type: DType, _ body: (Int) -> DValue) -> DValue {
    switch type {
    case .ints:
      var out: [Int] = []
      out.reserveCapacity(n)
      for i in 0..<n {
        let v = body(i)
        guard case .int(let x) = v else { return v.asFailure }
        out.append(x)
      }
      return .ints(out)
    case .strs:
      var out: [PyStr] = []
      out.reserveCapacity(n)
      for i in 0..<n {
        let v = body(i)
        guard case .str(let x) = v else { return v.asFailure }
        out.append(x)
      }
      return .strs(out)
    case .grid:
      var out: [[Int]] = []
      out.reserveCapacity(n)
      for i in 0..<n {
        let v = body(i)
        guard case .ints(let x) = v else { return v.asFailure }
        out.append(x)
      }
      return .grid(out)
    default: return .error
    }
  }

  // MARK: Python helpers

  static func floorDiv(_ x: Int, _ y: Int) -> Int {
    let q = x / y
    return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
  }

  /// Python's index normalization; nil when out of range.
  static func index(_ i: Int, _ count: Int) -> Int? {
    let j = i < 0 ? i + count : i
    return j >= 0 && j < count ? j : nil
  }

  /// A slice bound, clamped as Python does.
  static func sliceBound(_ i: Int, _ count: Int) -> Int {
    if i < 0 { return Swift.max(0, i + count) }
    return Swift.min(i, count)
  }

  static func stride<T>(_ xs: [T], from start: Int) -> [T] {
    guard start < xs.count else { return [] }
    return Swift.stride(from: start, to: xs.count, by: 2).map { xs[$0] }
  }

  static func find(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar], from: Int = 0) -> Int? {
    if sub.isEmpty { return from <= s.count ? from : nil }
    guard sub.count <= s.count else { return nil }
    var i = from
    while i + sub.count <= s.count {
      if s[i] == sub[0] && Array(s[i..<i + sub.count]) == sub { return i }
      i += 1
    }
    return nil
  }

  /// Non-overlapping occurrences; an empty needle occurs len + 1 times.
  static func count(_ s: [Unicode.Scalar], _ sub: [Unicode.Scalar]) -> Int {
    if sub.isEmpty { return s.count + 1 }
    var n = 0
    var i = 0
    while let j = find(s, sub, from: i) {
      n += 1
      i = j + sub.count
    }
    return n
  }

  static func replace(_ s: [Unicode.Scalar], _ old: [Unicode.Scalar], _ new: [Unicode.Scalar]) -> DValue {
    var out: [Unicode.Scalar] = []
    if old.isEmpty {
      out += new
      for c in s {
        out.append(c)
        out += new
        if out.count > sizeLimit { return .beyond }
      }
      return .str(PyStr(out))
    }
    var i = 0
    while let j = find(s, old, from: i) {
      out += s[i..<j]
      out += new
      if out.count > sizeLimit { return .beyond }
      i = j + old.count
    }
    out += s[i...]
    return .str(PyStr(out))
  }

  static func split(_ s: [Unicode.Scalar], on sep: [Unicode.Scalar]) -> [PyStr] {
    var parts: [PyStr] = []
    var i = 0
    while let j = find(s, sep, from: i) {
      parts.append(PyStr(Array(s[i..<j])))
      i = j + sep.count
    }
    parts.append(PyStr(Array(s[i...])))
    return parts
  }

  static func splitWhitespace(_ s: [Unicode.Scalar]) -> [PyStr] {
    var parts: [PyStr] = []
    var current: [Unicode.Scalar] = []
    for c in s {
      if isSpace(c) {
        if !current.isEmpty { parts.append(PyStr(current)) }
        current = []
      } else {
        current.append(c)
      }
    }
    if !current.isEmpty { parts.append(PyStr(current)) }
    return parts
  }

  /// upper(), lower() or swapcase() (both): full case mappings, with a
  /// fast path for ASCII.
  static func mapCase(_ s: [Unicode.Scalar], upper: Bool, lower: Bool) -> DValue {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(s.count)
    for c in s {
      let v = c.value
      if v < 128 {
        if upper && v >= 97 && v <= 122 {
          out.append(Unicode.Scalar(UInt8(v - 32)))
        } else if lower && v >= 65 && v <= 90 {
          out.append(Unicode.Scalar(UInt8(v + 32)))
        } else {
          out.append(c)
        }
      } else if upper && c.properties.isLowercase {
        out.append(contentsOf: c.properties.uppercaseMapping.unicodeScalars)
      } else if lower && c.properties.isUppercase {
        out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
      } else if upper && !lower {
        out.append(contentsOf: c.properties.uppercaseMapping.unicodeScalars)
      } else if lower && !upper {
        out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
      } else {
        out.append(c)
      }
    }
    return .str(PyStr(out))
  }

  /// Python's str.isspace() characters.
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
      return true
    default: return false
    }
  }

  static func isDigit(_ c: Unicode.Scalar) -> Bool {
    if c.isASCII { return c.value >= 48 && c.value <= 57 }
    switch c.properties.numericType {
    case .decimal?, .digit?: return true
    default: return false
    }
  }

  /// Python's int(str) for decimal strings: surrounding whitespace, a sign,
  /// digits with single underscores between them.
  static func parseInt(_ s: [Unicode.Scalar]) -> DValue {
    var chars = s[...]
    while let c = chars.first, isSpace(c) { chars.removeFirst() }
    while let c = chars.last, isSpace(c) { chars.removeLast() }
    var negative = false
    if let c = chars.first, c == "+" || c == "-" {
      negative = c == "-"
      chars.removeFirst()
    }
    guard let first = chars.first, isDigit(first), let last = chars.last, isDigit(last) else { return .error }
    var value = 0
    var previousUnderscore = false
    for c in chars {
      if c == "_" {
        if previousUnderscore { return .error }
        previousUnderscore = true
        continue
      }
      previousUnderscore = false
      guard isDigit(c), let digit = c.properties.numericValue.map({ Int($0) }) else { return .error }
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(digit)
      if o1 || o2 { return .beyond }
      value = a
    }
    return .int(negative ? -value : value)
  }
}

extension DValue {
  var isBoolOrFailure: Bool {
    switch self {
    case .bool, .error, .beyond: true
    default: false
    }
  }

  /// A failure stays itself; a wrongly typed value is an error.
  var asFailure: DValue { isFailure ? self : .error }
}
