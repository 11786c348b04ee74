import Testing

@testable import Synthesis

/// The renderer writes what a person would: built-ins, comprehensions,
/// generator expressions inside reducers, fused filters.
@Suite(.timeLimit(.minutes(10))) struct RendererTests {
  static let cases: [(expr: String, params: [String], python: String)] = [
    ("(sum (filter_ints (odd $0) @0))", ["xs"], "sum(x for x in xs if x % 2 == 1)"),
    ("(count_ints (lt $0 @1) @0)", ["xs", "k"], "sum(1 for x in xs if x < k)"),
    ("(map_ints (mul $0 #2) (filter_ints (gt $0 #0) @0))", ["xs"], "[x * 2 for x in xs if x > 0]"),
    ("(map_ints (mul $0 #2) @0)", ["xs"], "[x * 2 for x in xs]"),
    ("(join #7 (map_strs (upper $0) (split @0)))", ["s"], "' '.join(w.upper() for w in s.split())"),
    ("(max (map_rows (sum $0) @0))", ["m"], "max(sum(row) for row in m)"),
    ("(mul (add @0 #1) @0)", ["n"], "(n + 1) * n"),
    ("(sub @0 (sub @1 #1))", ["a", "b"], "a - (b - 1)"),
    ("(neg (add @0 @1))", ["a", "b"], "-(a + b)"),
    ("(not (and (even @0) (gt @0 #0)))", ["n"], "not (n % 2 == 0 and n > 0)"),
    ("(take (sorted @0) #2)", ["xs"], "sorted(xs)[:2]"),
    ("(reverse_str @0)", ["s"], "s[::-1]"),
    ("(count_ints (lt #0 $0) @0)", ["xs"], "sum(1 for x in xs if x > 0)"),
    ("(filter_strs (ne #1 (len_str $0)) @0)", ["ws"], "[w for w in ws if len(w) != 1]"),
    ("(min (flatten @0))", ["m"], "min(x for row in m for x in row)"),
    ("(len_ints (flatten @0))", ["m"], "sum(len(row) for row in m)"),
    ("(sum (map_ints (mul $0 $0) (range @0)))", ["n"], "sum(x * x for x in range(n))"),
    ("(running_sum (range2 #1 @0))", ["n"], "list(itertools.accumulate(range(1, n)))"),
    ("(range @0)", ["n"], "list(range(n))"),
    ("(zip_with (max2 $0 $1) @0 @1)", ["xs", "ys"], "[max(x, y) for x, y in zip(xs, ys)]"),
    ("(map_ints (sum (filter_ints (gt $0 #0) $0)) @0)", ["xs"], "[sum(x2 for x2 in x if x2 > 0) for x in xs]"),
  ]

  @Test("Expressions render as idiomatic Python", arguments: cases.indices)
  func renders(_ index: Int) throws {
    let c = Self.cases[index]
    let constants = Constants(prompt: "")
    let expr = try #require(Expr.parse(c.expr))
    let program = PythonRenderer(constants: constants).program(expr, entryPoint: "f", parameters: c.params)
    #expect(program.contains("    return \(c.python)\n"), "\(program)")
  }

  @Test("Imports come with the operations that need them")
  func imports() throws {
    let constants = Constants(prompt: "")
    let renderer = PythonRenderer(constants: constants)
    let product = renderer.program(try #require(Expr.parse("(prod @0)")), entryPoint: "f", parameters: ["xs"])
    #expect(product.hasPrefix("import math\n\n\ndef f(xs):\n"))
    let plain = renderer.program(try #require(Expr.parse("(sum @0)")), entryPoint: "f", parameters: ["xs"])
    #expect(plain == "def f(xs):\n    return sum(xs)\n")
  }
}
