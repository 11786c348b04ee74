/// A standard-input program around a synthesized function: read the
/// tokens of standard input into the parameters as the layout says, call
/// the function (once, or once per test case), print its result as the
/// samples do.
public struct StdinRenderer: Sendable {
  /// The synthesized function's name in the program.
  public static let function = "solve"

  public let layout: StdinLayout

  public init(layout: StdinLayout) { self.layout = layout }

  /// The whole program: `function` is the rendered `def solve(...)` with
  /// the imports it needs.
  public func program(around function: String) -> String {
    let lines = function.split(separator: "\n", omittingEmptySubsequences: false)
    var imports: Set<String> = ["import sys"]
    for line in lines where line.hasPrefix("import ") { imports.insert(String(line)) }
    let definition = lines.drop { $0.hasPrefix("import ") || $0.isEmpty }.joined(separator: "\n")
      .trimmingTrailingNewlines()
    var out = imports.sorted().joined(separator: "\n") + "\n\n\n" + definition + "\n\n\n"
    out += "def main():\n"
    out += "    tokens = iter(sys.stdin.read().split())\n"
    let call = "\(Self.function)(\(layout.parameters.map(\.name).joined(separator: ", ")))"
    if layout.multiTest {
      out += "    out = []\n"
      out += "    for _ in range(int(next(tokens))):\n"
      for line in reading() { out += "        \(line)\n" }
      out += "        out.append(\(written(call, asString: true)))\n"
      out += "    print(\"\\n\".join(out))\n"
    } else {
      for line in reading() { out += "    \(line)\n" }
      out += "    print(\(written(call, asString: false)))\n"
    }
    out += "\n\nmain()\n"
    return out
  }

  /// Python statements reading the fields from `tokens`.
  func reading() -> [String] {
    layout.fields.map { field in
      switch field {
      case .int(let name), .count(let name): "\(name) = int(next(tokens))"
      case .word(let name): "\(name) = next(tokens)"
      case .ints(let name, let count): "\(name) = [int(next(tokens)) for _ in range(\(count))]"
      case .words(let name, let count): "\(name) = [next(tokens) for _ in range(\(count))]"
      case .rows(let name, let count, let width):
        "\(name) = [[int(next(tokens)) for _ in range(\(width))] for _ in range(\(count))]"
      case .restInts(let name): "\(name) = [int(token) for token in tokens]"
      case .restWords(let name): "\(name) = list(tokens)"
      }
    }
  }

  /// The result of `call` as the samples write it (a string when
  /// `asString`, else anything `print` writes the same way).
  func written(_ call: String, asString: Bool) -> String {
    switch layout.output {
    case .int: asString ? "str(\(call))" : call
    case .bool(let yes, let no): "\"\(yes)\" if \(call) else \"\(no)\""
    case .word: asString ? "str(\(call))" : call
    case .intsLine: "\" \".join(map(str, \(call)))"
    case .intsLines: "\"\\n\".join(map(str, \(call)))"
    case .wordsLine: "\" \".join(\(call))"
    case .wordsLines: "\"\\n\".join(\(call))"
    }
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var out = self
    while out.last == "\n" { out.removeLast() }
    return out
  }
}
