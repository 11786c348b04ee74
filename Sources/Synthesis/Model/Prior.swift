/// The initial checkpoint: hand-set weights, this policy's "policy
/// initialization". Everything it knows is on this page:
///
/// - leaves are likelier than operations (`leafBias`): small programs
///   first;
/// - a word of the prompt raises the symbols that word usually describes
///   (`lexicon`, by `lexiconWeight` nats): "odd" raises `odd`, "largest"
///   raises `max`. The lexicon is written from the grammar's side (what
///   words describe an operation), not from any suite's tasks;
/// - what the public examples show raises the operations that produce it
///   (`statistics`): a result as long as the input list suggests a map.
///
/// Training (expert iteration) moves every weight from here.
public enum Prior {
  public static let leafBias: [String: Double] = [
    "param0": 2.0, "param1": 2.0, "param2": 2.0, "param3": 2.0, "param4": 2.0, "param5": 2.0,
    "var0": 2.0, "var1": 2.0, "const:zero": 0.5, "const:one": 0.5, "const:two": 0.5,
    "const:prompt_int": 1.0, "const:prompt_str": 1.0,
  ]

  public static let lexiconWeight = 2.5

  /// Symbol → words (as ``TaskFeatures/words(_:)`` spells them: lower
  /// case, a plural `s` dropped).
  public static let lexicon: [String: String] = [
    "add": "add plus increase increment more sum",
    "sub": "minus subtract difference decrease decrement less",
    "mul": "times multiply multiplied product twice double doubled triple square cube",
    "floordiv": "divide divided half quotient",
    "mod": "divisible remainder modulo multiple digit",
    "neg": "negate negation opposite",
    "abs": "absolute distance apart magnitude",
    "max2": "larger greater bigger maximum",
    "min2": "smaller lesser minimum",
    "len_ints": "length many count size",
    "len_str": "length many character long",
    "len_strs": "length many word",
    "len_grid": "row many",
    "sum": "sum total add",
    "prod": "product multiply",
    "max": "largest maximum biggest highest max greatest",
    "min": "smallest minimum lowest min least",
    "first": "first",
    "last": "last",
    "at": "position index second third",
    "count_of": "count occurrence many",
    "index_of": "index position where",
    "count_in_str": "count occurrence many",
    "int_of": "integer spell parse digit whole",
    "count_ints": "many count",
    "count_strs": "many count",
    "eq": "equal same",
    "ne": "different not without",
    "lt": "less below smaller under negative shorter",
    "le": "most",
    "gt": "greater above larger over positive longer",
    "ge": "least",
    "eq_str": "equal same",
    "eq_ints": "equal same sorted order",
    "even": "even",
    "odd": "odd",
    "and": "both",
    "or": "either",
    "not": "not",
    "in_ints": "contain contains member appear",
    "in_str": "contain contains substring appear",
    "all_ints": "every all",
    "any_ints": "some any exist",
    "startswith": "start begin prefix",
    "endswith": "end suffix",
    "isdigit": "digit",
    "isupper": "upper",
    "upper": "upper uppercase capital shout",
    "lower": "lower lowercase",
    "swapcase": "swap case",
    "capitalize": "capitalize capital letter rest",
    "strip": "strip whitespace trim surrounding",
    "reverse_str": "reverse backward mirror",
    "concat_str": "followed concatenate append",
    "repeat_str": "repeat time",
    "join": "join joined",
    "char_at": "character position",
    "first_char": "first character",
    "last_char": "last character",
    "take_str": "first prefix",
    "drop_str": "without drop skip rest",
    "even_chars": "even position",
    "replace": "replace",
    "str_of": "digit decimal",
    "sort_chars": "sort sorted alphabetical",
    "first_word": "first word",
    "last_word": "last word",
    "map_chars": "each character",
    "filter_chars": "character only keep remove",
    "map_ints": "each every",
    "filter_ints": "keep only remove without",
    "sorted": "sort sorted increasing ascending order smallest",
    "sorted_desc": "largest decreasing descending",
    "reverse_ints": "reverse backward mirror",
    "take": "first prefix",
    "drop": "without drop skip rest",
    "every_other": "even position every other",
    "odd_positions": "odd position",
    "range": "whole range up",
    "range2": "range between",
    "concat_ints": "followed concatenate append",
    "zip_with": "pair pairwise same position",
    "distinct_sorted": "distinct different unique",
    "map_words": "each word length",
    "map_rows": "row each",
    "flatten": "all",
    "running_sum": "running cumulative prefix",
    "indices_where": "position index where",
    "split": "word split separated",
    "split_on": "split between separated part",
    "chars": "character letter",
    "map_strs": "each word",
    "filter_strs": "word only keep",
    "reverse_strs": "reverse backward",
    "sorted_strs": "sort sorted alphabetical",
    "map_grid": "row each every",
    "transpose": "column transpose",
    "const:zero": "zero negative positive empty",
    "const:one": "one decrease increase decremented incremented",
    "const:two": "two twice double doubled half even odd square",
    "const:three": "three triple cube",
    "const:ten": "ten digit decimal",
    "const:space": "space word",
    "const:comma": "comma",
    "const:vowels": "vowel",
  ]

  /// Statistic feature → symbols it raises, by 1 nat.
  public static let statistics: [String: [String]] = [
    "stat:same-length": [
      "map_ints", "map_strs", "map_words", "map_rows", "map_grid", "zip_with", "sorted", "sorted_desc",
    ],
    "stat:shorter": ["filter_ints", "filter_strs", "take", "drop", "every_other", "odd_positions"],
    "stat:from-input": ["filter_ints", "filter_strs", "sorted", "sorted_desc", "take", "drop"],
    "stat:picks-element": ["max", "min", "first", "last", "at"],
    "stat:sorted": ["sorted", "distinct_sorted"],
  ]

  /// The prior as a model.
  public static let model: SynthesisModel = {
    var model = SynthesisModel(
      name: "prior", lineage: ["prior: hand-set weights (Sources/Synthesis/Model/Prior.swift)"])
    for (name, weight) in leafBias { model.bias[Symbols.index[name]!] = weight }
    func raise(_ feature: String, _ symbol: String, by weight: Double) {
      guard let s = Symbols.index[symbol] else { preconditionFailure("Prior names unknown symbol \(symbol)") }
      model.features[feature, default: Array(repeating: 0, count: Symbols.count)][s] += weight
    }
    for (symbol, words) in lexicon {
      for word in words.split(separator: " ") { raise("word:\(word)", symbol, by: lexiconWeight) }
    }
    for (feature, symbols) in statistics {
      for symbol in symbols { raise(feature, symbol, by: 1.0) }
    }
    return model
  }()
}
