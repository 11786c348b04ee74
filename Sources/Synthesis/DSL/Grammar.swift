/// The DSL's grammar, as data: every production, its types, and the
/// idiomatic Python it renders to. The interpreter (`Semantics.swift`)
/// gives each operation its Python meaning.
///
/// Templates: `{0}` is argument 0, rendered with at least the precedence
/// after the colon (`{0:60}`: parenthesized if it binds weaker than `+`);
/// `{v0}` and `{v1}` are names the renderer picks: a lambda argument's bound
/// variables, then any other variable the template introduces.
/// Precedences follow Python: 90 atom or call, 80 unary minus, 70 `* // %`,
/// 60 `+ -`, 50 comparison, 40 `not`, 30 `and`, 20 `or`.
public enum Grammar {
  /// Every operation production, in a fixed order (checkpoints name them).
  /// One line each, so the table reads as a table.
  // swift-format-ignore
  public static let productions: [Production] = [
    // ints
    .op("add", .int, [.value(.int), .value(.int)], "{0:60} + {1:61}", 60, .add),
    .op("sub", .int, [.value(.int), .value(.int)], "{0:60} - {1:61}", 60, .sub),
    .op("mul", .int, [.value(.int), .value(.int)], "{0:70} * {1:71}", 70, .mul),
    .op("floordiv", .int, [.value(.int), .value(.int)], "{0:70} // {1:71}", 70, .floorDiv),
    .op("mod", .int, [.value(.int), .value(.int)], "{0:70} % {1:71}", 70, .mod),
    .op("neg", .int, [.value(.int)], "-{0:80}", 80, .neg),
    .op("abs", .int, [.value(.int)], "abs({0:0})", 90, .abs),
    .op("max2", .int, [.value(.int), .value(.int)], "max({0:0}, {1:0})", 90, .max2),
    .op("min2", .int, [.value(.int), .value(.int)], "min({0:0}, {1:0})", 90, .min2),
    .op("len_ints", .int, [.value(.ints)], "len({0:0})", 90, .length),
    .op("len_str", .int, [.value(.str)], "len({0:0})", 90, .length),
    .op("len_strs", .int, [.value(.strs)], "len({0:0})", 90, .length),
    .op("len_grid", .int, [.value(.grid)], "len({0:0})", 90, .length),
    .op("sum", .int, [.value(.ints)], "sum({0:0})", 90, .sum),
    .op("prod", .int, [.value(.ints)], "math.prod({0:0})", 90, .product),
    .op("max", .int, [.value(.ints)], "max({0:0})", 90, .maximum),
    .op("min", .int, [.value(.ints)], "min({0:0})", 90, .minimum),
    .op("first", .int, [.value(.ints)], "{0:90}[0]", 90, .first),
    .op("last", .int, [.value(.ints)], "{0:90}[-1]", 90, .last),
    .op("at", .int, [.value(.ints), .value(.int)], "{0:90}[{1:0}]", 90, .at),
    .op("count_of", .int, [.value(.ints), .value(.int)], "{0:90}.count({1:0})", 90, .countOf),
    .op("index_of", .int, [.value(.ints), .value(.int)], "{0:90}.index({1:0})", 90, .indexOf),
    .op("count_in_str", .int, [.value(.str), .value(.str)], "{0:90}.count({1:0})", 90, .countOf),
    .op("int_of", .int, [.value(.str)], "int({0:0})", 90, .intOf),
    .op("count_ints", .int, [.lambda([.int], .bool), .value(.ints)], "sum(1 for {v0} in {1:20} if {0:20})", 90, .countWhere),
    .op("count_strs", .int, [.lambda([.str], .bool), .value(.strs)], "sum(1 for {v0} in {1:20} if {0:20})", 90, .countWhere),
    // booleans
    .op("eq", .bool, [.value(.int), .value(.int)], "{0:51} == {1:51}", 50, .equal),
    .op("ne", .bool, [.value(.int), .value(.int)], "{0:51} != {1:51}", 50, .notEqual),
    .op("lt", .bool, [.value(.int), .value(.int)], "{0:51} < {1:51}", 50, .less),
    .op("le", .bool, [.value(.int), .value(.int)], "{0:51} <= {1:51}", 50, .lessEqual),
    .op("gt", .bool, [.value(.int), .value(.int)], "{0:51} > {1:51}", 50, .greater),
    .op("ge", .bool, [.value(.int), .value(.int)], "{0:51} >= {1:51}", 50, .greaterEqual),
    .op("eq_str", .bool, [.value(.str), .value(.str)], "{0:51} == {1:51}", 50, .equal),
    .op("eq_ints", .bool, [.value(.ints), .value(.ints)], "{0:51} == {1:51}", 50, .equal),
    .op("even", .bool, [.value(.int)], "{0:70} % 2 == 0", 50, .even),
    .op("odd", .bool, [.value(.int)], "{0:70} % 2 == 1", 50, .odd),
    .op("and", .bool, [.value(.bool), .value(.bool)], "{0:30} and {1:31}", 30, .and),
    .op("or", .bool, [.value(.bool), .value(.bool)], "{0:20} or {1:21}", 20, .or),
    .op("not", .bool, [.value(.bool)], "not {0:40}", 40, .not),
    .op("in_ints", .bool, [.value(.int), .value(.ints)], "{0:51} in {1:51}", 50, .contains),
    .op("in_str", .bool, [.value(.str), .value(.str)], "{0:51} in {1:51}", 50, .contains),
    .op("all_ints", .bool, [.lambda([.int], .bool), .value(.ints)], "all({0:20} for {v0} in {1:20})", 90, .all),
    .op("any_ints", .bool, [.lambda([.int], .bool), .value(.ints)], "any({0:20} for {v0} in {1:20})", 90, .any),
    .op("startswith", .bool, [.value(.str), .value(.str)], "{0:90}.startswith({1:0})", 90, .startsWith),
    .op("endswith", .bool, [.value(.str), .value(.str)], "{0:90}.endswith({1:0})", 90, .endsWith),
    .op("isdigit", .bool, [.value(.str)], "{0:90}.isdigit()", 90, .isDigit),
    .op("isupper", .bool, [.value(.str)], "{0:90}.isupper()", 90, .isUpper),
    // strings
    .op("upper", .str, [.value(.str)], "{0:90}.upper()", 90, .upper),
    .op("lower", .str, [.value(.str)], "{0:90}.lower()", 90, .lower),
    .op("swapcase", .str, [.value(.str)], "{0:90}.swapcase()", 90, .swapCase),
    .op("capitalize", .str, [.value(.str)], "{0:90}.capitalize()", 90, .capitalize),
    .op("strip", .str, [.value(.str)], "{0:90}.strip()", 90, .strip),
    .op("reverse_str", .str, [.value(.str)], "{0:90}[::-1]", 90, .reverse),
    .op("concat_str", .str, [.value(.str), .value(.str)], "{0:60} + {1:61}", 60, .concat),
    .op("repeat_str", .str, [.value(.str), .value(.int)], "{0:70} * {1:71}", 70, .repeatString),
    .op("join", .str, [.value(.str), .value(.strs)], "{0:90}.join({1:0})", 90, .join),
    .op("char_at", .str, [.value(.str), .value(.int)], "{0:90}[{1:0}]", 90, .at),
    .op("first_char", .str, [.value(.str)], "{0:90}[0]", 90, .first),
    .op("last_char", .str, [.value(.str)], "{0:90}[-1]", 90, .last),
    .op("take_str", .str, [.value(.str), .value(.int)], "{0:90}[:{1:0}]", 90, .take),
    .op("drop_str", .str, [.value(.str), .value(.int)], "{0:90}[{1:0}:]", 90, .drop),
    .op("even_chars", .str, [.value(.str)], "{0:90}[::2]", 90, .everyOther),
    .op("replace", .str, [.value(.str), .value(.str), .value(.str)], "{0:90}.replace({1:0}, {2:0})", 90, .replace),
    .op("str_of", .str, [.value(.int)], "str({0:0})", 90, .strOf),
    .op("sort_chars", .str, [.value(.str)], "''.join(sorted({0:0}))", 90, .sortChars),
    .op("first_word", .str, [.value(.strs)], "{0:90}[0]", 90, .first),
    .op("last_word", .str, [.value(.strs)], "{0:90}[-1]", 90, .last),
    .op("map_chars", .str, [.lambda([.str], .str), .value(.str)], "''.join({0:20} for {v0} in {1:20})", 90, .mapChars),
    .op("filter_chars", .str, [.lambda([.str], .bool), .value(.str)], "''.join({v0} for {v0} in {1:20} if {0:20})", 90, .filterChars),
    // lists of ints
    .op("map_ints", .ints, [.lambda([.int], .int), .value(.ints)], "[{0:0} for {v0} in {1:20}]", 90, .map),
    .op("filter_ints", .ints, [.lambda([.int], .bool), .value(.ints)], "[{v0} for {v0} in {1:20} if {0:20}]", 90, .filter),
    .op("sorted", .ints, [.value(.ints)], "sorted({0:0})", 90, .sorted),
    .op("sorted_desc", .ints, [.value(.ints)], "sorted({0:0}, reverse=True)", 90, .sortedDescending),
    .op("reverse_ints", .ints, [.value(.ints)], "{0:90}[::-1]", 90, .reverse),
    .op("take", .ints, [.value(.ints), .value(.int)], "{0:90}[:{1:0}]", 90, .take),
    .op("drop", .ints, [.value(.ints), .value(.int)], "{0:90}[{1:0}:]", 90, .drop),
    .op("every_other", .ints, [.value(.ints)], "{0:90}[::2]", 90, .everyOther),
    .op("odd_positions", .ints, [.value(.ints)], "{0:90}[1::2]", 90, .oddPositions),
    .op("range", .ints, [.value(.int)], "list(range({0:0}))", 90, .range),
    .op("range2", .ints, [.value(.int), .value(.int)], "list(range({0:0}, {1:0}))", 90, .range2),
    .op("concat_ints", .ints, [.value(.ints), .value(.ints)], "{0:60} + {1:61}", 60, .concat),
    .op("zip_with", .ints, [.lambda([.int, .int], .int), .value(.ints), .value(.ints)], "[{0:0} for {v0}, {v1} in zip({1:0}, {2:0})]", 90, .zipWith),
    .op("distinct_sorted", .ints, [.value(.ints)], "sorted(set({0:0}))", 90, .distinctSorted),
    .op("map_words", .ints, [.lambda([.str], .int), .value(.strs)], "[{0:0} for {v0} in {1:20}]", 90, .map),
    .op("map_rows", .ints, [.lambda([.ints], .int), .value(.grid)], "[{0:0} for {v0} in {1:20}]", 90, .map),
    .op("flatten", .ints, [.value(.grid)], "[{v1} for {v0} in {0:20} for {v1} in {v0}]", 90, .flatten),
    .op("running_sum", .ints, [.value(.ints)], "list(itertools.accumulate({0:0}))", 90, .runningSum),
    .op("indices_where", .ints, [.lambda([.int], .bool), .value(.ints)], "[{v1} for {v1}, {v0} in enumerate({1:0}) if {0:20}]", 90, .indicesWhere),
    // lists of strings
    .op("split", .strs, [.value(.str)], "{0:90}.split()", 90, .split),
    .op("split_on", .strs, [.value(.str), .value(.str)], "{0:90}.split({1:0})", 90, .splitOn),
    .op("chars", .strs, [.value(.str)], "list({0:0})", 90, .chars),
    .op("map_strs", .strs, [.lambda([.str], .str), .value(.strs)], "[{0:0} for {v0} in {1:20}]", 90, .map),
    .op("filter_strs", .strs, [.lambda([.str], .bool), .value(.strs)], "[{v0} for {v0} in {1:20} if {0:20}]", 90, .filter),
    .op("reverse_strs", .strs, [.value(.strs)], "{0:90}[::-1]", 90, .reverse),
    .op("sorted_strs", .strs, [.value(.strs)], "sorted({0:0})", 90, .sorted),
    // lists of int lists
    .op("map_grid", .grid, [.lambda([.ints], .ints), .value(.grid)], "[{0:0} for {v0} in {1:20}]", 90, .map),
    .op("transpose", .grid, [.value(.grid)], "[list({v0}) for {v0} in zip(*{0:0})]", 90, .transpose),
  ]

  /// Constants every task may use, with their Python spelling.
  public static let constants: [(name: String, value: DValue)] = [
    ("zero", .int(0)), ("one", .int(1)), ("two", .int(2)), ("three", .int(3)), ("ten", .int(10)),
    ("minus_one", .int(-1)), ("empty", .str(PyStr(""))), ("space", .str(PyStr(" "))),
    ("comma", .str(PyStr(","))), ("vowels", .str(PyStr("aeiou"))), ("true", .bool(true)), ("false", .bool(false)),
  ]
}

/// One production of the grammar.
public struct Production: Sendable {
  /// An argument: a value, or a lambda whose body sees bound variables.
  public enum Argument: Sendable, Equatable {
    case value(DType)
    case lambda([DType], DType)
  }

  /// A stable name (checkpoints and expressions use it).
  public let name: String
  public let result: DType
  public let arguments: [Argument]
  public let python: String
  /// How tightly the rendered Python binds (see ``Grammar``).
  public let precedence: Int
  public let op: Op

  static func op(
    _ name: String, _ result: DType, _ arguments: [Argument], _ python: String, _ precedence: Int, _ op: Op
  ) -> Production {
    Production(name: name, result: result, arguments: arguments, python: python, precedence: precedence, op: op)
  }
}

/// What a production computes (its Python meaning is in `Semantics.swift`).
public enum Op: Sendable, Equatable {
  case add, sub, mul, floorDiv, mod, neg, abs, max2, min2, length, sum, product, maximum, minimum
  case first, last, at, countOf, indexOf, intOf, countWhere
  case equal, notEqual, less, lessEqual, greater, greaterEqual, even, odd, and, or, not, contains, all, any
  case startsWith, endsWith, isDigit, isUpper
  case upper, lower, swapCase, capitalize, strip, reverse, concat, repeatString, join, take, drop, everyOther
  case oddPositions, replace, strOf, sortChars, mapChars, filterChars
  case map, filter, sorted, sortedDescending, range, range2, zipWith, distinctSorted, flatten, runningSum
  case indicesWhere, split, splitOn, chars, transpose
}
