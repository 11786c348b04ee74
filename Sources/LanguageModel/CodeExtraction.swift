import Foundation
import Policy

/// Finds the program in what a model wrote. Real answers are messy:
/// prose around fenced blocks, several blocks (the function, then a usage
/// example), a fence left open at the token limit, `<think>` sections, bare
/// code with no fence, and from base models a body that runs on into the
/// next function or a test.
public enum CodeExtraction {
  /// The program in a chat answer, or nil when it holds no code: the fenced
  /// block that defines `entryPoint` (the first such), else the first
  /// fenced block that looks like Python; an unclosed fence runs to the
  /// end. With no fence, the answer from its first line of code on.
  public static func fromChat(_ answer: String, entryPoint: String) -> String? {
    let text = strippingThinking(answer).replacingOccurrences(of: "\r\n", with: "\n")
    let blocks = fencedBlocks(text)
    let definition = "def \(entryPoint)("
    if let block = blocks.first(where: { $0.contains(definition) }) { return tidy(block) }
    if let block = blocks.first(where: looksLikePython) { return tidy(block) }
    if !blocks.isEmpty { return nil }
    // Bare code: from the first line that starts Python at top level.
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard
      let start = lines.firstIndex(where: { line in
        ["def ", "import ", "from ", "class ", "@"].contains { line.hasPrefix($0) }
      })
    else { return nil }
    var kept: [Substring] = []
    for line in lines[start...] {
      // Prose after the code ends it: a top-level line that is not Python.
      if !kept.isEmpty, let first = line.first, !first.isWhitespace, !startsStatement(line) { break }
      kept.append(line)
    }
    return tidy(kept.joined(separator: "\n"))
  }

  /// The program a completion makes: `prompt` (the signature and
  /// docstring, and whatever the task's code puts before them) followed by
  /// the completion up to the function's end: the first line at column 0
  /// that is not blank (the next function, a test, a `print`), or a
  /// fence. Nil when the body is empty.
  public static func fromCompletion(_ completion: String, prompt: String) -> String? {
    var body: [Substring] = []
    let lines = completion.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if line.hasPrefix("```") { break }
      // The first line finishes the prompt's last line when that one is open.
      let continuesPrompt = index == 0 && !prompt.hasSuffix("\n")
      if !continuesPrompt, let first = line.first, !first.isWhitespace { break }
      body.append(line)
    }
    let text = body.joined(separator: "\n")
    guard text.contains(where: { !$0.isWhitespace }) else { return nil }
    return tidy(prompt + text)
  }

  /// A whole program (a standard-input task's) in a chat answer, or nil
  /// when it holds no code: the first fenced block that reads standard
  /// input, else the first that looks like Python; an unclosed fence runs
  /// to the end. With no fence, the answer from its first line of code on,
  /// up to prose. No entry point is needed: a program is kept whole.
  public static func programFromChat(_ answer: String) -> String? {
    let text = strippingThinking(answer).replacingOccurrences(of: "\r\n", with: "\n")
    let blocks = fencedBlocks(text)
    if let block = blocks.first(where: Prompts.readsInput) { return tidy(block) }
    if let block = blocks.first(where: looksLikePython) { return tidy(block) }
    if !blocks.isEmpty { return nil }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: startsProgramStatement) else { return nil }
    var kept: [Substring] = []
    for line in lines[start...] {
      if !kept.isEmpty, let first = line.first, !first.isWhitespace, !startsProgramStatement(line) { break }
      kept.append(line)
    }
    return tidy(kept.joined(separator: "\n"))
  }

  /// The program a base model writes for a standard-input task: `prompt`
  /// (the stub the prompt ended with) and the completion up to a fence.
  /// Nil when the completion is blank.
  public static func programFromCompletion(_ completion: String, prompt: String) -> String? {
    let lines = completion.replacingOccurrences(of: "\r\n", with: "\n").split(
      separator: "\n", omittingEmptySubsequences: false)
    let body = lines.prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }.joined(separator: "\n")
    guard body.contains(where: { !$0.isWhitespace }) else { return nil }
    return tidy(prompt + body)
  }

  // MARK: pieces

  /// A top-level line of a program: a statement `startsStatement` knows,
  /// or any assignment (`a, b = ...`, `xs[i] += 1`).
  static func startsProgramStatement(_ line: Substring) -> Bool {
    if startsStatement(line) { return true }
    return line.prefixMatch(of: assignment) != nil
  }

  nonisolated(unsafe) static let assignment =
    /[A-Za-z_][\w.]*(\[[^\]]*\])?(\s*,\s*[A-Za-z_][\w.]*(\[[^\]]*\])?)*\s*(\*\*|\/\/|<<|>>|[-+*\/%&|^])?=(?!=)/

  /// The contents of ```-fenced blocks, in order; a last fence left open
  /// runs to the end of the text.
  static func fencedBlocks(_ text: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    var isPython = true
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("```") {
        if let open = current {
          if isPython { blocks.append(open.joined(separator: "\n")) }
          current = nil
        } else {
          // A block tagged with another language (a shell session, the
          // output) is not the program.
          let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
          isPython = ["", "python", "py", "python3"].contains(language)
          current = []
        }
        continue
      }
      current?.append(line)
    }
    if let open = current, isPython, !open.isEmpty { blocks.append(open.joined(separator: "\n")) }
    return blocks
  }

  static func looksLikePython(_ block: String) -> Bool {
    block.split(separator: "\n").contains { startsStatement($0) && !$0.hasPrefix("$") }
  }

  static func startsStatement(_ line: Substring) -> Bool {
    let starts = [
      "def ", "import ", "from ", "class ", "@", "return", "if ", "for ", "while ", "assert ", "print(", "#", "try:",
      "with ", "elif ", "else:", "except", "finally:",
    ]
    if starts.contains(where: { line.hasPrefix($0) }) { return true }
    // An assignment or a call at top level: `x = ...`, `f(x)`.
    let head = line.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    guard !head.isEmpty, head.first?.isLetter == true || head.first == "_" else { return false }
    let rest = line.dropFirst(head.count).drop { $0 == " " }
    return rest.hasPrefix("=") && !rest.hasPrefix("==") || rest.hasPrefix("(") && line.hasSuffix(")")
  }

  static func strippingThinking(_ text: String) -> String {
    var out = text
    while let open = out.range(of: "<think>") {
      if let close = out.range(of: "</think>", range: open.upperBound..<out.endIndex) {
        out.removeSubrange(open.lowerBound..<close.upperBound)
      } else {
        out.removeSubrange(open.lowerBound..<out.endIndex)
      }
    }
    return out
  }

  /// Trailing spaces off, blank lines off both ends, one final newline.
  static func tidy(_ code: String) -> String? {
    let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.last?.isWhitespace == true ? String(line.reversed().drop { $0.isWhitespace }.reversed()) : String(line)
    }
    let text = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    return text.isEmpty ? nil : text + "\n"
  }
}
