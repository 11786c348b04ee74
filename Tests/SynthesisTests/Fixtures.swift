@testable import Synthesis

/// Small tasks built directly, without a suite on disk.
enum Fixtures {
  static func task(
    _ id: String, prompt: String, names: [String], types: [DType], returns: DType,
    examples: [([DValue], DValue)]
  ) -> SynthesisTask {
    SynthesisTask(
      id: id, entryPoint: id.replacingOccurrences(of: "-", with: "_"), parameterNames: names, parameterTypes: types,
      returnType: returns, inputs: examples.map(\.0), outputs: examples.map(\.1), prompt: prompt)
  }

  static let sumOdds = task(
    "sum-odds", prompt: "Return the sum of the odd numbers in the list `xs`.", names: ["xs"], types: [.ints],
    returns: .int,
    examples: [([.ints([1, 2, 3, 4])], .int(4)), ([.ints([])], .int(0)), ([.ints([5, -3, 8])], .int(2))])

  static let doubleEach = task(
    "double-each", prompt: "Return each number of `xs` doubled.", names: ["xs"], types: [.ints], returns: .ints,
    examples: [
      ([.ints([1, 2])], .ints([2, 4])), ([.ints([])], .ints([])), ([.ints([-3, 0, 7])], .ints([-6, 0, 14])),
    ])

  static let shout = task(
    "shout", prompt: "Return the words of `s` in upper case, joined by single spaces.", names: ["s"], types: [.str],
    returns: .str,
    examples: [
      ([.str(PyStr("hello  world"))], .str(PyStr("HELLO WORLD"))), ([.str(PyStr(""))], .str(PyStr(""))),
      ([.str(PyStr(" a b "))], .str(PyStr("A B"))),
    ])

  static let countBelow = task(
    "count-below", prompt: "Return how many numbers in the list `xs` are less than `k`.", names: ["xs", "k"],
    types: [.ints, .int], returns: .int,
    examples: [
      ([.ints([1, 5, 2]), .int(3)], .int(2)), ([.ints([]), .int(0)], .int(0)),
      ([.ints([4, 4, -1]), .int(5)], .int(3)),
    ])

  static func parse(_ text: String) -> Expr {
    guard let expr = Expr.parse(text) else { preconditionFailure("fixture expression does not parse: \(text)") }
    return expr
  }
}
