/// How a standard-input task's samples are laid out, as far as the
/// built-in policy reads them: the values of a test (or of each test case,
/// when the input starts with their number), read token by token into the
/// parameters of one function, and how its result is written.
///
/// The layouts it reads: integers and words on lines of a fixed length;
/// a list given by a count read before it (`n` then `n` integers, on one
/// line or one per line; `n` rows of `w` integers); the last line as a
/// list when nothing counts it (one test per input only). The results it
/// writes: an integer, a word, `YES`/`NO`, a list on one line or one per
/// line. Everything else (grids of characters, lines of text, real
/// numbers, test cases of varying length, several results per case) is
/// refused with the reason, before any search.
public struct StdinLayout: Sendable, Equatable {
  /// One value read from the input.
  public enum Field: Sendable, Equatable {
    /// An integer passed to the function.
    case int(String)
    /// An integer read only to size a later list: not passed.
    case count(String)
    /// A token passed as a string.
    case word(String)
    /// As many integers as the count field `count` says.
    case ints(String, count: String)
    /// As many tokens as the count field `count` says, as strings.
    case words(String, count: String)
    /// `count` rows of `width` integers each.
    case rows(String, count: String, width: Int)
    /// Every token left, as integers (the last field of a one-test input).
    case restInts(String)
    /// Every token left, as strings.
    case restWords(String)

    public var name: String {
      switch self {
      case .int(let name), .count(let name), .word(let name), .ints(let name, _), .words(let name, _),
        .rows(let name, _, _), .restInts(let name), .restWords(let name):
        name
      }
    }

    /// The DSL type of the parameter it fills (nil for a count).
    public var type: DType? {
      switch self {
      case .int: .int
      case .count: nil
      case .word: .str
      case .ints, .restInts: .ints
      case .words, .restWords: .strs
      case .rows: .grid
      }
    }
  }

  /// How the function's result is written.
  public enum Output: Sendable, Equatable {
    case int
    /// A boolean as the words the samples use (`YES`/`NO`, `Yes`/`No`, ...).
    case bool(yes: String, no: String)
    case word
    /// Integers separated by spaces, on one line.
    case intsLine
    /// Integers one per line.
    case intsLines
    case wordsLine
    case wordsLines

    public var type: DType {
      switch self {
      case .int: .int
      case .bool: .bool
      case .word: .str
      case .intsLine, .intsLines: .ints
      case .wordsLine, .wordsLines: .strs
      }
    }
  }

  /// Whether the input starts with the number of test cases, each laid out
  /// as `fields` and answered on a line of its own.
  public var multiTest: Bool
  public var fields: [Field]
  public var output: Output

  /// The function's parameters: every field but the counts.
  public var parameters: [(name: String, type: DType)] {
    fields.compactMap { field in field.type.map { (field.name, $0) } }
  }

  /// A line of words, for people: `n then n integers, answered by an integer`.
  public var summary: String {
    let read = fields.map { field -> String in
      switch field {
      case .int(let name), .count(let name): "int \(name)"
      case .word(let name): "word \(name)"
      case .ints(let name, let count): "\(count) ints \(name)"
      case .words(let name, let count): "\(count) words \(name)"
      case .rows(let name, let count, let width): "\(count) rows of \(width) ints \(name)"
      case .restInts(let name): "ints \(name) to the end"
      case .restWords(let name): "words \(name) to the end"
      }
    }
    let written: String =
      switch output {
      case .int: "an int"
      case .bool(let yes, let no): "\(yes)/\(no)"
      case .word: "a word"
      case .intsLine: "ints on a line"
      case .intsLines: "ints one per line"
      case .wordsLine: "words on a line"
      case .wordsLines: "words one per line"
      }
    return (multiTest ? "t test cases of: " : "") + read.joined(separator: ", ") + " -> " + written
  }

  public init(multiTest: Bool, fields: [Field], output: Output) {
    self.multiTest = multiTest
    self.fields = fields
    self.output = output
  }
}

/// A layout and the samples read through it: the function's examples.
public struct StdinSamples: Sendable {
  public var layout: StdinLayout
  /// Per test case: the parameters' values, and the expected result.
  public var inputs: [[DValue]]
  public var outputs: [DValue]
}

/// Why the samples cannot be read as a layout.
public enum StdinUnreadable: Error, Equatable, CustomStringConvertible {
  case input(String)
  case output(String)
  case noSamples

  public var description: String {
    switch self {
    case .input(let why): "the input layout of the samples is not one the built-in policy reads: \(why)"
    case .output(let why): "the output of the samples is not one the built-in policy writes: \(why)"
    case .noSamples: "the task shows no sample tests to read a layout from"
    }
  }
}

extension StdinLayout {
  /// Test cases beyond this many are not used as examples.
  public static let maxExamples = 24
  /// A test case with more tokens than this is read for the layout but not
  /// used as an example (the enumerator evaluates every program on each).
  public static let maxExampleTokens = 2_000

  /// The layout of `samples` (input, expected output), and the examples
  /// they give; `checker` is the task's checker by name: under `exact` and
  /// `lines` the samples' output must be what the program would print.
  /// Quick: no search.
  public static func read(_ samples: [(input: String, output: String)], checker: String) throws(StdinUnreadable)
    -> StdinSamples
  {
    guard !samples.isEmpty else { throw .noSamples }
    if checker == "float" { throw .output("the answers are real numbers (a float checker), outside the DSL") }
    let inputs = samples.map { lines($0.input) }
    let outputs = samples.map { lines($0.output) }
    // Several test cases per input: a first line with their number t, the
    // rest in t records of as many lines each, and t lines of output.
    var records: [[[Token]]] = []
    var answers: [[[Token]]] = []
    /// How many of the records each sample holds.
    var cases: [Int] = []
    let perCase = try casesPerInput(inputs, outputs)
    for (input, output) in zip(inputs, outputs) {
      if let perCase {
        let body = Array(input.dropFirst())
        for start in stride(from: 0, to: body.count, by: perCase) {
          records.append(Array(body[start..<start + perCase]))
        }
        answers += output.map { [$0] }
        cases.append(body.count / perCase)
      } else {
        records.append(input)
        answers.append(output)
        cases.append(1)
      }
    }
    let multiTest = perCase != nil
    var reader = LayoutReader(records: records, allowRest: !multiTest)
    let fields = try reader.infer()
    let output = try outputLayout(answers, multiTest: multiTest)
    let layout = StdinLayout(multiTest: multiTest, fields: fields, output: output)
    var values: [[DValue]] = []
    var results: [DValue] = []
    for (record, answer) in zip(records, answers) {
      let tokens = record.joined().map(\.text)
      guard let args = layout.read(tokens) else {
        throw .input("a sample does not read back as \(layout.summary)")
      }
      values.append(args)
      results.append(try result(answer, output))
    }
    if ["exact", "lines"].contains(checker) {
      var first = 0
      for (index, sample) in samples.enumerated() {
        let printed = results[first..<first + cases[index]].map { layout.format($0) }.joined(separator: "\n") + "\n"
        first += cases[index]
        let same =
          checker == "exact" ? printed == sample.output : trimmedLines(printed) == trimmedLines(sample.output)
        if !same {
          throw .output(
            "sample \(index + 1)'s output is not laid out as print() writes the values (the \(checker) checker)")
        }
      }
    }
    // Examples small enough for the enumerator to evaluate every program on.
    let small = records.indices.filter { records[$0].joined().count <= maxExampleTokens }.prefix(maxExamples)
    guard !small.isEmpty else { throw .input("every sample is too large to use as an example") }
    return StdinSamples(layout: layout, inputs: small.map { values[$0] }, outputs: small.map { results[$0] })
  }

  // MARK: tokens

  struct Token: Equatable {
    var text: String
    var int: Int?
    var isReal: Bool
  }

  /// The non-blank lines of a text, as tokens.
  static func lines(_ text: String) -> [[Token]] {
    text.split(whereSeparator: \.isNewline).map { line in
      line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { token(String($0)) }
    }.filter { !$0.isEmpty }
  }

  static func token(_ text: String) -> Token {
    Token(text: text, int: integer(text), isReal: text.wholeMatch(of: realNumber) != nil)
  }

  /// An integer as judges write them: no leading zero, no plus sign (`007`
  /// is a word: a string of digits).
  static func integer(_ text: String) -> Int? {
    let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
    if digits.count > 1 && digits.hasPrefix("0") { return nil }
    if text == "-0" { return nil }
    return Int(text)
  }

  nonisolated(unsafe) static let realNumber = /[+-]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)/

  static func isBigInteger(_ token: Token) -> Bool {
    token.int == nil && token.text.wholeMatch(of: /-?[1-9]\d*/) != nil
  }

  /// Lines (per input) in each test case, when every input starts with a
  /// line holding just the number of cases and its output has a line per case.
  static func casesPerInput(_ inputs: [[[Token]]], _ outputs: [[[Token]]]) throws(StdinUnreadable) -> Int? {
    var perCase: Int?
    for (input, output) in zip(inputs, outputs) {
      guard let first = input.first, first.count == 1, let t = first[0].int, t >= 1, output.count == t,
        (input.count - 1) % t == 0, input.count > 1
      else { return nil }
      let lines = (input.count - 1) / t
      if let known = perCase, known != lines {
        throw .input("several test cases per input, of varying numbers of lines")
      }
      perCase = lines
    }
    return perCase
  }

  // MARK: output

  static func outputLayout(_ answers: [[[Token]]], multiTest: Bool) throws(StdinUnreadable) -> Output {
    let tokens = answers.map { $0.joined() }
    if tokens.contains(where: { $0.contains(where: \.isReal) }) {
      throw .output("real numbers are outside the DSL")
    }
    if tokens.contains(where: { $0.contains(where: isBigInteger) }) {
      throw .output("integers beyond 64 bits are outside the DSL")
    }
    let all = tokens.joined()
    let ints = all.allSatisfy { $0.int != nil }
    if tokens.allSatisfy({ $0.count == 1 }) {
      if ints { return .int }
      for (yes, no) in [("YES", "NO"), ("Yes", "No"), ("yes", "no")]
      where all.allSatisfy({ [yes, no].contains($0.text) }) {
        return .bool(yes: yes, no: no)
      }
      return .word
    }
    if answers.allSatisfy({ $0.count <= 1 }) { return ints ? .intsLine : .wordsLine }
    if !multiTest, answers.allSatisfy({ $0.allSatisfy { $0.count == 1 } }) { return ints ? .intsLines : .wordsLines }
    if multiTest { throw .output("a test case's answer spans several lines") }
    let shapes = answers.first { $0.count > 1 && $0.contains { $0.count > 1 } }.map { lines in
      " (" + lines.map { "\($0.count)" }.joined(separator: ", ") + " tokens a line)"
    }
    throw .output("the output holds several lines, some of several tokens\(shapes ?? "")")
  }

  static func result(_ answer: [[Token]], _ output: Output) throws(StdinUnreadable) -> DValue {
    let tokens = answer.joined()
    switch output {
    case .int:
      guard let value = tokens.first?.int else { throw .output("an answer is not an integer") }
      return .int(value)
    case .bool(let yes, _): return .bool(tokens.first?.text == yes)
    case .word: return .str(PyStr(tokens.first?.text ?? ""))
    case .intsLine, .intsLines: return .ints(tokens.compactMap(\.int))
    case .wordsLine, .wordsLines: return .strs(tokens.map { PyStr($0.text) })
    }
  }

  static func trimmedLines(_ text: String) -> [Substring] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
      var line = line
      while let last = line.last, last.isWhitespace { line = line.dropLast() }
      return line
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  // MARK: reading values

  /// The parameters' values of one test case's tokens; nil when they do
  /// not fit.
  func read(_ tokens: [String]) -> [DValue]? {
    var position = 0
    var counts: [String: Int] = [:]
    var values: [DValue] = []
    func next() -> String? {
      guard position < tokens.count else { return nil }
      position += 1
      return tokens[position - 1]
    }
    func ints(_ count: Int) -> [Int]? {
      guard count >= 0, position + count <= tokens.count else { return nil }
      var out: [Int] = []
      for _ in 0..<count {
        guard let value = next().flatMap(StdinLayout.integer) else { return nil }
        out.append(value)
      }
      return out
    }
    for field in fields {
      switch field {
      case .int:
        guard let value = next().flatMap(StdinLayout.integer) else { return nil }
        values.append(.int(value))
      case .count(let name):
        guard let value = next().flatMap(StdinLayout.integer) else { return nil }
        counts[name] = value
      case .word:
        guard let value = next() else { return nil }
        values.append(.str(PyStr(value)))
      case .ints(_, let count):
        guard let list = ints(counts[count] ?? -1) else { return nil }
        values.append(.ints(list))
      case .words(_, let count):
        let n = counts[count] ?? -1
        guard n >= 0, position + n <= tokens.count else { return nil }
        values.append(.strs(tokens[position..<position + n].map { PyStr($0) }))
        position += n
      case .rows(_, let count, let width):
        var rows: [[Int]] = []
        for _ in 0..<max(0, counts[count] ?? 0) {
          guard let row = ints(width) else { return nil }
          rows.append(row)
        }
        values.append(.grid(rows))
      case .restInts:
        guard let list = ints(tokens.count - position) else { return nil }
        values.append(.ints(list))
      case .restWords:
        values.append(.strs(tokens[position...].map { PyStr($0) }))
        position = tokens.count
      }
    }
    return position == tokens.count ? values : nil
  }

  /// A result as the program prints it.
  func format(_ value: DValue) -> String {
    switch (output, value) {
    case (.bool(let yes, let no), .bool(let b)): b ? yes : no
    case (_, .int(let i)): String(i)
    case (_, .str(let s)): s.string
    case (.intsLines, .ints(let xs)): xs.map(String.init).joined(separator: "\n")
    case (_, .ints(let xs)): xs.map(String.init).joined(separator: " ")
    case (.wordsLines, .strs(let xs)): xs.map(\.string).joined(separator: "\n")
    case (_, .strs(let xs)): xs.map(\.string).joined(separator: " ")
    default: ""
    }
  }
}

/// Infers the fields of a test case from its lines, across every case of
/// every sample at once: each step reads the next line (or lines) of every
/// case the same way, or the layout is refused.
struct LayoutReader {
  let records: [[[StdinLayout.Token]]]
  /// Whether a last line may be a list nothing counts (read to the end of
  /// the input: only when the input is one test case).
  let allowRest: Bool
  var fields: [StdinLayout.Field] = []
  /// Integer fields a later list may take its length from, by field index.
  var counters: [Int] = []
  var line: [Int]
  var names = Set<String>()

  init(records: [[[StdinLayout.Token]]], allowRest: Bool) {
    self.records = records
    self.allowRest = allowRest
    line = Array(repeating: 0, count: records.count)
  }

  /// The value of integer field `field` in each record.
  var values: [Int: [Int]] = [:]

  mutating func infer() throws(StdinUnreadable) -> [StdinLayout.Field] {
    guard !records.isEmpty else { throw .noSamples }
    while true {
      // The next line of each case; none where a case has ended (an empty
      // list's blank line is no line).
      let next = records.indices.map { line[$0] < records[$0].count ? records[$0][line[$0]] : nil }
      if next.allSatisfy({ $0 == nil }) { break }
      let tokens = next.compactMap { $0 }.joined()
      if tokens.contains(where: \.isReal) { throw .input("real numbers are outside the DSL") }
      if tokens.contains(where: StdinLayout.isBigInteger) {
        throw .input("integers beyond 64 bits are outside the DSL")
      }
      if try rows() { continue }
      if countedLine(next, emptyEnds: false) { continue }
      if next.allSatisfy({ $0 != nil }), fixedLine(next.map { $0! }) { continue }
      // A list whose count is 0 where the case has ended: its blank line.
      if countedLine(next, emptyEnds: true) { continue }
      guard next.allSatisfy({ $0 != nil }) else {
        throw .input("the samples have lines no layout accounts for (\(records.map(\.count)) lines)")
      }
      let current = next.map { $0! }
      if allowRest, records.indices.allSatisfy({ line[$0] == records[$0].count - 1 }) {
        let ints = current.joined().allSatisfy { $0.int != nil }
        let name = ints ? fresh(["xs", "ys", "zs"]) : fresh(["words"])
        fields.append(ints ? .restInts(name) : .restWords(name))
        for r in records.indices { line[r] += 1 }
        continue
      }
      let counts = Set(current.map(\.count)).sorted()
      throw .input(
        "a line of \(counts.map(String.init).joined(separator: " or ")) tokens that no number before it counts"
          + (allowRest ? "" : " (in a test case of several per input)"))
    }
    guard fields.contains(where: { $0.type != nil }) else { throw .input("the input holds no value to pass") }
    // Integers are named last, once the counts have taken theirs: `n` when
    // there is one, else `a`, `b`, ...
    let integers = fields.indices.filter { if case .int = fields[$0] { return true } else { return false } }
    for index in integers {
      fields[index] = .int(fresh(integers.count == 1 ? ["n", "k", "a"] : ["a", "b", "c", "d", "e", "f", "g", "h"]))
    }
    return fields
  }

  /// `n` lines (a count read before) of `w` tokens each: a column of
  /// integers or words (w = 1), or rows of integers. Refused as a grid of
  /// characters when every token of a column has the length another
  /// number gives.
  mutating func rows() throws(StdinUnreadable) -> Bool {
    for counter in counters {
      guard let ns = values[counter], ns.contains(where: { $0 >= 2 }) else { continue }
      var width: Int?
      var fits = true
      for r in records.indices {
        let n = ns[r]
        guard n >= 0, line[r] + n <= records[r].count else {
          fits = false
          break
        }
        for row in records[r][line[r]..<line[r] + n] {
          if width == nil { width = row.count }
          if row.count != width { fits = false }
        }
      }
      guard fits, let width else { continue }
      let tokens = records.indices.flatMap { r in records[r][line[r]..<line[r] + ns[r]].joined() }
      let ints = tokens.allSatisfy { $0.int != nil }
      if width == 1 {
        let lengths = records.indices.map { r in Set(records[r][line[r]..<line[r] + ns[r]].map { $0[0].text.count }) }
        let grid = counters.contains { other in
          other != counter
            && records.indices.allSatisfy { r in
              lengths[r].count <= 1 && lengths[r].first.map { $0 == values[other]![r] } ?? true
            }
        }
        if grid && lengths.contains(where: { ($0.first ?? 0) >= 2 }) {
          throw .input(
            "\(ns[0]) lines of \(lengths[0].first ?? 0) characters, as many as numbers before them say: a grid of "
              + "characters, which the DSL does not hold")
        }
      } else if !ints {
        throw .input("rows of several words per line")
      }
      let count = markCount(counter)
      if width == 1 {
        fields.append(ints ? .ints(fresh(["xs", "ys", "zs"]), count: count) : .words(fresh(["words"]), count: count))
      } else {
        fields.append(.rows(fresh(["rows"]), count: count, width: width))
      }
      for r in records.indices { line[r] += ns[r] }
      return true
    }
    return false
  }

  /// One line whose length an integer read before gives in every case;
  /// with `emptyEnds`, a case where it is 0 may have ended instead (its
  /// blank line is no line).
  mutating func countedLine(_ next: [[StdinLayout.Token]?], emptyEnds: Bool) -> Bool {
    let fits = { (c: Int) -> Bool in
      let ns = self.values[c]!
      return ns.contains { $0 > 0 }
        && self.records.indices.allSatisfy {
          next[$0]?.count == ns[$0] || (emptyEnds && ns[$0] == 0 && next[$0] == nil)
        }
    }
    guard let counter = counters.first(where: fits) else { return false }
    let ns = values[counter]!
    let used = records.indices.filter { ns[$0] > 0 }
    let ints = used.allSatisfy { next[$0]!.allSatisfy { $0.int != nil } }
    let count = markCount(counter)
    fields.append(ints ? .ints(fresh(["xs", "ys", "zs"]), count: count) : .words(fresh(["words"]), count: count))
    for r in used { line[r] += 1 }
    return true
  }

  /// A line of the same one to three tokens in every case: integers where
  /// every case has one there, else words.
  mutating func fixedLine(_ current: [[StdinLayout.Token]]) -> Bool {
    let width = current[0].count
    guard (1...3).contains(width), current.allSatisfy({ $0.count == width }) else { return false }
    for position in 0..<width {
      let column = current.map { $0[position] }
      if column.allSatisfy({ $0.int != nil }) {
        counters.append(fields.count)
        values[fields.count] = column.map { $0.int! }
        fields.append(.int(""))
      } else {
        fields.append(.word(fresh(["s", "s2", "s3", "s4"])))
      }
    }
    for r in records.indices { line[r] += 1 }
    return true
  }

  /// Turns integer field `index` into a count; its name.
  mutating func markCount(_ index: Int) -> String {
    counters.removeAll { $0 == index }
    let name = fresh(["n", "m", "n3", "n4"])
    fields[index] = .count(name)
    return name
  }

  mutating func fresh(_ choices: [String]) -> String {
    let name = choices.first { !names.contains($0) } ?? "\(choices[0])\(names.count)"
    names.insert(name)
    return name
  }
}
