import Foundation

/// How far one enumeration may go.
public struct EnumerationBudget: Sendable, Equatable {
  /// Programs built and evaluated (kept or pruned).
  public var programs: Int
  /// Highest cost, in half-bits of model probability.
  public var maxUnits: Int
  /// Stop once this many programs match every public example and no
  /// cheaper one can still come.
  public var matches: Int
  /// Wall-clock limit, seconds.
  public var seconds: Double

  public init(programs: Int = 1_000_000, maxUnits: Int = 200, matches: Int = 8, seconds: Double = 60) {
    self.programs = programs
    self.maxUnits = maxUnits
    self.matches = matches
    self.seconds = seconds
  }
}

/// A program the enumeration found, with its cost under the model.
public struct Found: Sendable, Equatable {
  public var expr: Expr
  /// −log2 p(program | task), quantized to half-bits.
  public var bits: Double
  /// Public examples it gets right.
  public var passed: Int
  /// Programs enumerated and evaluated before it was found (its search
  /// cost: what learning should bring down).
  public var programs: Int

  public init(expr: Expr, bits: Double, passed: Int, programs: Int) {
    self.expr = expr
    self.bits = bits
    self.passed = passed
    self.programs = programs
  }
}

/// What an enumeration found and what it cost.
public struct Enumeration: Sendable {
  /// Programs matching every public example, cheapest first.
  public var matches: [Found]
  /// The best programs of the right type that match some examples, for
  /// revision when nothing matches them all.
  public var nearMisses: [Found]
  public var evaluated: Int
  /// Distinct programs kept (after observational-equivalence pruning).
  public var kept: Int
  /// Highest cost level finished, half-bits.
  public var level: Int
  public var seconds: Double
  /// Why it stopped: `matches`, `programs`, `cost` or `time`.
  public var stop: String
}

/// Bottom-up enumeration in increasing model cost, with observational
/// equivalence pruning.
///
/// A program's cost is the sum over its nodes of −log p(symbol | slot).
/// Each entry stores its *inner* cost (everything below its root), so the
/// cost it adds to a parent's slot is `cost(root | slot) + inner`; level L
/// builds every production whose arguments' slot costs sum to L, from
/// entries of lower levels, and every new entry is evaluated at once on
/// every environment of its bank. An entry whose values equal an earlier
/// (cheaper) entry's is dropped.
///
/// Banks: the top level evaluates on the public examples; each lambda
/// signature (`[int]`, `[str]`, `[list[int]]`, `[int, int]`) has a bank of
/// bodies evaluated on probe environments (an example and values for the
/// bound variables, taken from the example's data). Applying a lambda to a
/// list looks each element up in the body's bank, and interprets the body
/// for an element that is not there.
final class Enumerator {
  let task: SynthesisTask
  let costs: SlotCosts
  let interpreter: Interpreter

  var banks: [Bank] = []
  var bankOfScope: [[DType]: Int] = [:]
  let interner = Interner()
  /// The public examples' expected results, as cells.
  var targets: [Cell] = []
  var scratch: [Cell] = []
  /// Results of operations on interned values, by operation and
  /// arguments: the same list meets the same operation in many programs
  /// and environments.
  let memo = Memo()

  var evaluated = 0
  var matches: [Found] = []
  var nearMisses: [Found] = []
  var rootUnits: [Int: Int] = [:]
  var outOfBudget = false
  var budget = EnumerationBudget()
  var deadline = Date.distantFuture

  init(task: SynthesisTask, model: SynthesisModel) {
    self.task = task
    costs = SlotCosts(model: model, task: task)
    interpreter = Interpreter(constants: task.constants)
    let examples = Array(task.inputs.indices)
    banks.append(Bank(index: 0, scope: [], envExample: examples, envBound: examples.map { _ in [] }))
    bankOfScope[[]] = 0
    for production in Grammar.productions {
      for case .lambda(let binds, _) in production.arguments where bankOfScope[binds] == nil {
        let probes = Probes.environments(binds, task: task)
        bankOfScope[binds] = banks.count
        banks.append(
          Bank(index: banks.count, scope: binds, envExample: probes.map(\.example), envBound: probes.map(\.bound)))
      }
    }
    for bank in banks {
      bank.plans = Grammar.productions.enumerated().map { p, production in
        production.arguments.enumerated().map { i, argument in
          switch argument {
          case .value(let t):
            Bank.SlotPlan(
              bank: bankOfScope[bank.scope]!, type: t,
              options: costs.options(context: Symbols.context(p, i), type: t, scope: bank.scope), isLambda: false)
          case .lambda(let binds, let body):
            Bank.SlotPlan(
              bank: bankOfScope[binds]!, type: body,
              options: costs.options(context: Symbols.context(p, i), type: body, scope: binds), isLambda: true)
          }
        }
      }
    }
    for option in costs.options(context: Symbols.root, type: task.returnType, scope: []) {
      rootUnits[option.symbol] = option.units
    }
    targets = task.outputs.map(interner.cell)
  }

  // MARK: running

  func run(_ budget: EnumerationBudget) -> Enumeration {
    self.budget = budget
    let start = Date()
    deadline = start.addingTimeInterval(budget.seconds)
    for b in banks.indices { insertLeaves(bank: b) }
    var level = 0
    var stop = "cost"
    let lags = lags()
    levels: for L in 1...max(1, budget.maxUnits) {
      for b in banks.indices where L - lags[b] >= 1 {
        for p in Grammar.productions.indices {
          build(bank: b, production: p, level: L - lags[b])
          if outOfBudget { break levels }
        }
      }
      level = L
      if enoughMatches(after: L) {
        stop = "matches"
        break
      }
    }
    if outOfBudget { stop = evaluated >= budget.programs ? "programs" : "time" }
    matches.sort { ($0.bits, $0.expr.size) < ($1.bits, $1.expr.size) }
    return Enumeration(
      matches: matches, nearMisses: nearMisses, evaluated: evaluated, kept: banks.reduce(0) { $0 + $1.count },
      level: level, seconds: Date().timeIntervalSince(start), stop: stop)
  }

  /// How many levels each bank runs behind the top level. A body of inner
  /// cost k adds at least k + `need` to the program that uses it (the
  /// body's root, the other arguments), so bodies are built only as far as
  /// a program of the current level can use them; lambda banks are most of
  /// the work, and most of it would be wasted. `lag = need - 1` keeps every
  /// body a level needs built by the step before.
  func lags() -> [Int] {
    var need = Array(repeating: Int.max / 4, count: banks.count)
    for bank in banks {
      for plans in bank.plans {
        for (i, plan) in plans.enumerated() where plan.isLambda {
          let others = plans.indices.filter { $0 != i }.reduce(0) { $0 + plans[$1].minUnits }
          need[plan.bank] = min(need[plan.bank], plan.minUnits + others)
        }
      }
    }
    return banks.indices.map { $0 == 0 ? 0 : max(0, min(need[$0], 1000) - 1) }
  }

  /// Whether the best `budget.matches` matches are in, none cheaper to come
  /// (every later program's root adds at least one unit above `level`).
  func enoughMatches(after level: Int) -> Bool {
    guard matches.count >= budget.matches else { return false }
    let totals = matches.map(\.bits).sorted()
    return totals[budget.matches - 1] * SlotCosts.unitsPerBit <= Double(level + 1)
  }

  func insertLeaves(bank b: Int) {
    let bank = banks[b]
    for type in DType.allCases {
      for symbol in Symbols.allowed(type, scope: bank.scope, task: task) where symbol >= Symbols.parameterBase {
        let expr: Expr
        let values: [DValue]
        if symbol >= Symbols.constantBase {
          let name = Symbols.constantNames[symbol - Symbols.constantBase]
          guard let c = task.constants.names.firstIndex(of: name) else { continue }
          expr = .constant(c)
          values = Array(repeating: task.constants.values[c], count: bank.width)
        } else if symbol >= Symbols.boundBase {
          let j = symbol - Symbols.boundBase
          expr = .bound(j)
          values = bank.envBound.map { $0[j] }
        } else {
          let i = symbol - Symbols.parameterBase
          expr = .param(i)
          values = bank.envExample.map { task.inputs[$0][i] }
        }
        let row = values.map(interner.cell)
        let (existing, fingerprint) = bank.find(row, type: type)
        if existing == nil {
          let id = bank.append(
            row, fingerprint: fingerprint, symbol: symbol, inner: 0, production: -1, arguments: (0, 0, 0))
          bank.leaves[id] = expr
        }
        if b == 0, type == task.returnType { judgeRoot(expr, row: row, symbol: symbol, inner: 0) }
      }
    }
  }

  // MARK: building programs

  /// Every program of `production` whose arguments' slot costs sum to `level`.
  func build(bank b: Int, production p: Int, level: Int) {
    let plans = banks[b].plans[p]
    // Reused for every split of the level: no allocation per split.
    var first: [Int32] = []
    var second: [Int32] = []
    var third: [Int32] = []
    switch plans.count {
    case 1:
      gather(plans[0], units: level, into: &first)
      for a in first {
        evaluate(bank: b, production: p, arguments: (a, 0, 0), level: level)
        if outOfBudget { return }
      }
    case 2:
      guard level >= plans[0].minUnits + plans[1].minUnits else { return }
      for c0 in plans[0].minUnits...(level - plans[1].minUnits) {
        gather(plans[0], units: c0, into: &first)
        guard !first.isEmpty else { continue }
        gather(plans[1], units: level - c0, into: &second)
        for a in first {
          for b1 in second {
            evaluate(bank: b, production: p, arguments: (a, b1, 0), level: level)
            if outOfBudget { return }
          }
        }
      }
    case 3:
      guard level >= plans[0].minUnits + plans[1].minUnits + plans[2].minUnits else { return }
      for c0 in plans[0].minUnits...(level - plans[1].minUnits - plans[2].minUnits) {
        gather(plans[0], units: c0, into: &first)
        guard !first.isEmpty else { continue }
        for c1 in plans[1].minUnits...(level - c0 - plans[2].minUnits) {
          gather(plans[1], units: c1, into: &second)
          guard !second.isEmpty else { continue }
          gather(plans[2], units: level - c0 - c1, into: &third)
          for a in first {
            for b1 in second {
              for c in third {
                evaluate(bank: b, production: p, arguments: (a, b1, c), level: level)
                if outOfBudget { return }
              }
            }
          }
        }
      }
    default: return
    }
  }

  /// The entries that fill a slot at exactly this cost (for a lambda, only
  /// bodies that use their variables), into `out`.
  func gather(_ plan: Bank.SlotPlan, units: Int, into out: inout [Int32]) {
    out.removeAll(keepingCapacity: true)
    let bank = banks[plan.bank]
    for option in plan.options where option.units <= units {
      let k = units - option.units
      guard k < bank.buckets[option.symbol].count else { continue }
      if plan.isLambda {
        for id in bank.buckets[option.symbol][k] where bank.usesBound[Int(id)] { out.append(id) }
      } else {
        out.append(contentsOf: bank.buckets[option.symbol][k])
      }
    }
  }

  /// Evaluates one program on every environment of its bank and keeps it
  /// if it is new.
  func evaluate(bank b: Int, production p: Int, arguments: (Int32, Int32, Int32), level: Int) {
    evaluated += 1
    // Every 4096 programs: the clock, and whether the task calling us was
    // cancelled (a search past its seconds stops within a second).
    if evaluated >= budget.programs || (evaluated & 0xFFF == 0 && (Date() >= deadline || Task.isCancelled)) {
      outOfBudget = true
    }
    let shape = Shape.table[p]
    let bank = banks[b]
    let top = b == 0
    // Locals, not properties, in the loops: no exclusivity checks, no
    // retains per element.
    var row = scratch
    scratch = []
    defer { scratch = row }
    row.removeAll(keepingCapacity: true)
    guard compute(shape, p, bank, arguments, top: top, into: &row) else { return }
    if !top && row.allSatisfy(\.isFailure) { return }
    let (existing, fingerprint) = bank.find(row, type: shape.result)
    if existing == nil {
      let id = bank.append(
        row, fingerprint: fingerprint, symbol: p, inner: level, production: Int32(p), arguments: arguments)
      if top, shape.result == task.returnType { judgeRoot(expr(id, in: bank), row: row, symbol: p, inner: level) }
    } else if top, shape.result == task.returnType, row == targets {
      // An equivalent of a kept program: another reading of the examples.
      addMatch(expr(call: p, arguments, in: bank), symbol: p, inner: level)
    }
  }

  /// The program's values on every environment; false when it fails on
  /// an example at the top level (no use as a program or a part of one).
  func compute(
    _ shape: Shape, _ p: Int, _ bank: Bank, _ arguments: (Int32, Int32, Int32), top: Bool, into row: inout [Cell]
  ) -> Bool {
    let width = bank.width
    let store = bank.store
    let (a0, a1, a2) = arguments
    switch shape.kind {
    case .unary:
      for k in 0..<width {
        let x = store[Int(a0) * width + k]
        let v: Cell
        if x.isInline {
          v = interner.cell(Semantics.strict(shape.op, x.inlineValue))
        } else {
          if let known = memo.get(p, x, .error) {
            v = known
          } else {
            v = interner.cell(Semantics.strict(shape.op, interner.value(x)))
            memo.set(p, x, .error, v)
          }
        }
        if top && v.isFailure { return false }
        row.append(v)
      }
    case .binary:
      for k in 0..<width {
        let x = store[Int(a0) * width + k]
        let y = store[Int(a1) * width + k]
        let v: Cell
        if x.kind == .int && y.kind == .int, let r = Semantics.ints(shape.op, x.bits, y.bits) {
          v = interner.cell(r)
        } else if x.isInline && y.isInline {
          v = interner.cell(Semantics.strict(shape.op, x.inlineValue, y.inlineValue))
        } else {
          if let known = memo.get(p, x, y) {
            v = known
          } else {
            v = interner.cell(Semantics.strict(shape.op, interner.value(x), interner.value(y)))
            memo.set(p, x, y, v)
          }
        }
        if top && v.isFailure { return false }
        row.append(v)
      }
    case .general:
      for k in 0..<width {
        var args: [DValue] = [interner.value(store[Int(a0) * width + k])]
        if shape.arity > 1 { args.append(interner.value(store[Int(a1) * width + k])) }
        if shape.arity > 2 { args.append(interner.value(store[Int(a2) * width + k])) }
        let v = interner.cell(Semantics.apply(shape.op, args, result: shape.result) { _, _ in .error })
        if top && v.isFailure { return false }
        row.append(v)
      }
    case .lambda:
      let lambdaKey = bank.plans[p][0].bank
      let lambdaBank = banks[lambdaKey]
      let bodies = lambdaBank.store
      let indices = elementIndices(a1, bank: bank, lambdaBank: lambdaBank, key: lambdaKey)
      let bodyBase = Int(a0) * lambdaBank.width
      for k in 0..<width {
        let elementIndex = indices[k]
        let list = interner.value(store[Int(a1) * width + k])
        let v = Semantics.applyLambda(shape.op, list, result: shape.result) { i in
          let j = Int(elementIndex[i])
          if j < 0 {
            return self.interpret(a0, in: lambdaBank, example: bank.envExample[k], bound: [Semantics.element(list, i)])
          }
          let cell = bodies[bodyBase + j]
          return cell.isInline ? cell.inlineValue : self.interner.value(cell)
        }
        let c = interner.cell(v)
        if top && c.isFailure { return false }
        row.append(c)
      }
    case .zip:
      let lambdaBank = banks[bank.plans[p][0].bank]
      for k in 0..<width {
        let example = bank.envExample[k]
        let lists = [
          DValue.error, interner.value(store[Int(a1) * width + k]), interner.value(store[Int(a2) * width + k]),
        ]
        let v = Semantics.apply(shape.op, lists, result: shape.result) { _, bound in
          if let j = lambdaBank.envIndex[Bank.EnvKey(example: example, bound: bound)] {
            return self.interner.value(lambdaBank.cell(a0, Int(j)))
          }
          return self.interpret(a0, in: lambdaBank, example: example, bound: bound)
        }
        let c = interner.cell(v)
        if top && c.isFailure { return false }
        row.append(c)
      }
    }
    return true
  }

  /// For each environment of a list entry's bank, the index of each of its
  /// elements among the lambda bank's environments (-1: not there).
  func elementIndices(_ list: Int32, bank: Bank, lambdaBank: Bank, key lambdaKey: Int) -> [[Int32]] {
    let key = Int(list) &* 8 &+ lambdaKey
    if let known = bank.elementIndexCache[key] { return known }
    var out: [[Int32]] = []
    out.reserveCapacity(bank.width)
    for k in 0..<bank.width {
      let example = bank.envExample[k]
      out.append(
        TaskFeatures.elements(interner.value(bank.cell(list, k))).map {
          lambdaBank.envIndex[Bank.EnvKey(example: example, bound: [$0])] ?? -1
        })
    }
    bank.elementIndexCache[key] = out
    return out
  }

  /// A body's value for bound values its bank has no environment for, by
  /// the interpreter, remembered in the memo under a negative production
  /// number (one per bank and example; real productions are never negative).
  func interpret(_ body: Int32, in bank: Bank, example: Int, bound: [DValue]) -> DValue {
    guard bound.count == 1 else {
      return interpreter.evaluate(expr(body, in: bank), params: task.inputs[example], bound: bound)
    }
    let key = -1 - (bank.index * 65_536 + example)
    let a = Cell(kind: .int, bits: Int(body))
    let b = interner.cell(bound[0])
    if let known = memo.get(key, a, b) { return interner.value(known) }
    let value = interpreter.evaluate(expr(body, in: bank), params: task.inputs[example], bound: bound)
    memo.set(key, a, b, interner.cell(value))
    return value
  }

  /// The expression an entry stands for.
  func expr(_ id: Int32, in bank: Bank) -> Expr {
    if let leaf = bank.leaves[id] { return leaf }
    if let known = bank.exprCache[id] { return known }
    let e = expr(call: Int(bank.production[Int(id)]), bank.arguments[Int(id)], in: bank)
    bank.exprCache[id] = e
    return e
  }

  func expr(call p: Int, _ arguments: (Int32, Int32, Int32), in bank: Bank) -> Expr {
    let plans = bank.plans[p]
    let ids = [arguments.0, arguments.1, arguments.2]
    return .call(p, plans.indices.map { expr(ids[$0], in: banks[plans[$0].bank]) })
  }

  // MARK: results

  func judgeRoot(_ expr: Expr, row: [Cell], symbol: Int, inner: Int) {
    let passed = zip(row, targets).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    if passed == task.outputs.count {
      addMatch(expr, symbol: symbol, inner: inner)
    } else if passed > 0, let root = rootUnits[symbol] {
      let found = Found(
        expr: expr, bits: Double(root + inner) / SlotCosts.unitsPerBit, passed: passed, programs: evaluated)
      let limit = 16
      if nearMisses.count < limit || (passed, -found.bits) > (nearMisses.last!.passed, -nearMisses.last!.bits) {
        let at = nearMisses.firstIndex { ($0.passed, -$0.bits) < (passed, -found.bits) } ?? nearMisses.count
        nearMisses.insert(found, at: at)
        if nearMisses.count > limit { nearMisses.removeLast() }
      }
    }
  }

  func addMatch(_ expr: Expr, symbol: Int, inner: Int) {
    guard let root = rootUnits[symbol], matches.count < 64 else { return }
    matches.append(
      Found(
        expr: expr, bits: Double(root + inner) / SlotCosts.unitsPerBit, passed: task.outputs.count,
        programs: evaluated))
  }
}

/// How the enumerator evaluates each production, decided once.
struct Shape {
  enum Kind { case unary, binary, general, lambda, zip }
  var kind: Kind
  var op: Op
  var result: DType
  var arity: Int

  static let table: [Shape] = Grammar.productions.map { production in
    let kind: Kind
    if production.op == .zipWith {
      kind = .zip
    } else if case .lambda = production.arguments.first {
      kind = .lambda
    } else if production.arguments.count == 1 {
      kind = .unary
    } else if production.arguments.count == 2 && production.op != .and && production.op != .or {
      kind = .binary
    } else {
      kind = .general
    }
    return Shape(kind: kind, op: production.op, result: production.result, arity: production.arguments.count)
  }
}
