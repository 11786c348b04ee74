import Foundation
import Suites
import Verdicts

/// The prompts of a standard-input task: a whole Python 3 program, its
/// limits, the sample tests as input and output blocks; and, to revise one,
/// the failing sample's input, expected output and verdict. Long texts are
/// cut in the middle (``Prompts/excerpt(_:limit:lines:)``) and every part is
/// bounded (``Prompts/ProgramBounds``), so a large sample cannot swamp a
/// prompt.
extension Prompts {
  /// How much of each part a standard-input prompt shows, in characters.
  public enum ProgramBounds {
    /// One sample's input, or its output, in a proposal.
    public static let sampleText = 1_500
    /// Every sample of a proposal together.
    public static let samples = 6_000
    /// The failing sample's input in a revision.
    public static let failingInput = 2_000
    /// The failing sample's expected output.
    public static let failingOutput = 1_000
    /// A verdict's detail (the judge's excerpt of the output, an error).
    public static let detail = 600
    /// Failing samples listed a line each after the first.
    public static let otherFailures = 5
    /// A revision's whole feedback.
    public static let feedback = 6_000
    /// Lines of any one text shown.
    public static let lines = 40
  }

  /// The proposal for a standard-input task: the statement, the limits,
  /// the samples; only exemplars that are whole programs.
  func programProposal(for task: TaskView, _ program: ProgramView, exemplars: [Exemplar]) -> String {
    let shown = exemplars.filter { Self.readsInput($0.program) }.map {
      fill(exemplar, ["prompt": $0.prompt, "program": trimmed($0.program)])
    }
    return Self.fillOnce(
      programPropose,
      [
        "exemplars": shown.isEmpty ? "" : "Solved examples:\n\n" + shown.joined(),
        "prompt": task.prompt.trimmingCharacters(in: .whitespacesAndNewlines), "limits": Self.limits(program),
        "examples": Self.samples(of: task),
      ])
  }

  /// `2 seconds per test, 256 MiB of memory`, and how the output is checked.
  public static func limits(_ program: ProgramView) -> String {
    "\(seconds(program.timeLimitSeconds)) per test, \(program.memoryLimitMiB) MiB of memory. "
      + checking(program)
  }

  /// How a checker compares outputs, in words.
  static func checking(_ program: ProgramView) -> String {
    switch program.checker {
    case "tokens":
      "The output is compared token by token: how much whitespace separates the tokens does not matter."
    case "exact":
      "The output must equal the expected output byte for byte, spaces and line breaks included."
    case "lines":
      "The output is compared line by line; spaces at the end of a line and blank lines at the end do not matter."
    case "float":
      "Numbers are accepted within an absolute or relative error of \(program.tolerance ?? OutputChecker.defaultTolerance)"
        + "; print them with enough digits (\"%.9f\")."
    default:
      "A checker program judges the output: where several answers are correct, any one of them is accepted."
    }
  }

  /// `2 seconds`, `1 second`, `1.5 seconds`.
  static func seconds(_ value: Double) -> String {
    let number = value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    return value == 1 ? "1 second" : "\(number) seconds"
  }

  /// The public samples as input and expected-output blocks, each cut to
  /// ``ProgramBounds/sampleText``, all of them to ``ProgramBounds/samples``.
  public static func samples(of task: TaskView) -> String {
    let samples = task.publicIO
    if samples.isEmpty { return "No sample tests are shown." }
    var blocks: [String] = []
    var used = 0
    for (number, sample) in samples.enumerated() {
      let block =
        "Sample test \(number + 1)\nInput:\n" + block(excerpt(shown(sample.input), limit: ProgramBounds.sampleText))
        + "\nExpected output:\n" + block(excerpt(shown(sample.output), limit: ProgramBounds.sampleText))
      if used + block.count > ProgramBounds.samples, !blocks.isEmpty {
        let left = samples.count - number
        blocks.append("(\(left) more sample test\(left == 1 ? "" : "s") not shown)")
        break
      }
      blocks.append(block)
      used += block.count
    }
    return "Sample tests (the output of each must be accepted):\n\n" + blocks.joined(separator: "\n\n")
  }

  /// What a standard-input program's failing samples said: the first
  /// failure in full (its input, the expected output, the verdict and what
  /// the judge saw), then a line for each other failure, bounded by
  /// ``ProgramBounds/feedback``.
  public static func describeProgram(_ feedback: Feedback, of task: TaskView) -> String {
    let failing = feedback.outcomes.filter { !$0.passed }
    guard let first = failing.first else { return "Every sample test passed." }
    let total = max(task.publicTests.count, feedback.outcomes.count)
    var parts = [
      "It passed \(feedback.passedCount) of \(total) sample test\(total == 1 ? "" : "s").",
      "Sample test \(first.index + 1) failed: \(verdict(first, task: task))",
    ]
    if first.kind != .syntaxError, first.index < task.publicTests.count,
      case .io(let input, let output) = task.publicTests[first.index].body
    {
      parts.append("Its input:\n" + block(excerpt(shown(input), limit: ProgramBounds.failingInput)))
      parts.append("Its expected output:\n" + block(excerpt(shown(output), limit: ProgramBounds.failingOutput)))
    }
    let others = failing.dropFirst()
    if !others.isEmpty {
      var lines = others.prefix(ProgramBounds.otherFailures).map {
        "- sample test \($0.index + 1): " + excerpt(verdict($0, task: task), limit: 240)
      }
      if others.count > ProgramBounds.otherFailures {
        lines.append("- and \(others.count - ProgramBounds.otherFailures) more")
      }
      parts.append("Other failing sample tests:\n" + lines.joined(separator: "\n"))
    }
    return excerpt(parts.joined(separator: "\n\n"), limit: ProgramBounds.feedback, lines: .max)
  }

  /// A verdict in words, with the limit it broke or what the judge saw.
  static func verdict(_ outcome: Feedback.TestOutcome, task: TaskView) -> String {
    let detail = excerpt(outcome.detail, limit: ProgramBounds.detail)
    let program = task.program
    switch outcome.kind {
    case .wrongAnswer:
      return "wrong answer. The judge compared the outputs: \(detail)"
    case .presentationError:
      return
        "presentation error: the right tokens, laid out otherwise than the \(program?.checker ?? "task's") checker "
        + "accepts. The judge compared the outputs: \(detail)"
    case .timeout:
      let limit = program.map { " of \(seconds($0.timeLimitSeconds))" } ?? ""
      return
        "time limit exceeded: it ran past the limit\(limit) on this input. It needs a faster algorithm, or faster "
        + "input and output."
    case .memoryLimit:
      let limit = program.map { " \($0.memoryLimitMiB) MiB" } ?? " its memory limit"
      return "memory limit exceeded: it used more than\(limit)."
    case .outputLimit:
      return "output limit exceeded: it wrote far more than the expected output."
    case .runtimeError:
      return "runtime error: \(detail)"
    case .syntaxError:
      return "syntax error: \(detail)"
    default:
      return "\(outcome.kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(detail)"
    }
  }

  /// A standard-input task as code for a base model to continue: the
  /// statement, limits and samples as comments, then ``programStub``.
  static func programCodePrompt(of task: TaskView, _ program: ProgramView) -> String {
    let text = [
      task.prompt.trimmingCharacters(in: .whitespacesAndNewlines), "Limits: " + limits(program), samples(of: task),
      "A complete Python 3 program: it reads standard input and writes standard output.",
    ].joined(separator: "\n\n")
    let commented = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.isEmpty ? "#" : "# \($0)"
    }
    return commented.joined(separator: "\n") + "\n\n" + programStub
  }

  /// How a base model's program starts; the completion continues it.
  public static let programStub = "import sys\n"

  /// Whether a program reads standard input: a whole program, not a function.
  public static func readsInput(_ program: String) -> Bool {
    ["input(", "sys.stdin", "open(0"].contains { program.contains($0) }
  }

  /// `text` when it holds at most `limit` characters and `lines` lines;
  /// else its head (two thirds of each) and its tail (the rest), cut at
  /// line breaks where one is near, around a line saying how much was cut.
  /// What is shown holds at most `limit` characters and `lines` lines.
  public static func excerpt(_ text: String, limit: Int, lines: Int = ProgramBounds.lines) -> String {
    let scalars = Array(text.unicodeScalars)
    let breaks = scalars.indices.filter { scalars[$0] == "\n" }
    guard scalars.count > limit || breaks.count >= lines else { return text }
    let headBudget = max(0, limit * 2 / 3)
    let tailBudget = max(0, limit - headBudget)
    let headLines = max(1, lines * 2 / 3)
    let tailLines = max(1, lines - headLines)
    // The head ends at its last line break when that keeps half of it, and
    // before its `headLines + 1`th line.
    var headEnd = min(headBudget, scalars.count)
    if let newline = scalars[..<headEnd].lastIndex(of: "\n"), newline >= headEnd / 2 { headEnd = newline }
    if breaks.count >= headLines { headEnd = min(headEnd, breaks[headLines - 1]) }
    var tailStart = max(headEnd, scalars.count - tailBudget)
    if let newline = scalars[tailStart...].firstIndex(of: "\n"), newline - tailStart <= tailBudget / 2 {
      tailStart = newline + 1
    }
    if breaks.count >= tailLines { tailStart = max(tailStart, breaks[breaks.count - tailLines] + 1) }
    let cut = scalars[headEnd..<tailStart]
    let lineBreaks = cut.filter { $0 == "\n" }.count
    var marker = "[... \(cut.count) characters cut"
    if lineBreaks > 0 { marker += ", \(lineBreaks) line break\(lineBreaks == 1 ? "" : "s")" }
    marker += " ...]"
    func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
      var view = String.UnicodeScalarView()
      view.append(contentsOf: slice)
      return String(view)
    }
    let head = string(scalars[..<headEnd])
    let tail = string(scalars[tailStart...])
    return head + (head.hasSuffix("\n") || head.isEmpty ? "" : "\n") + marker + (tail.isEmpty ? "" : "\n") + tail
  }

  /// A test's text as shown in a block: trailing line breaks off, and a
  /// word for an empty one.
  static func shown(_ text: String) -> String {
    var text = text
    while text.last == "\n" || text.last == "\r\n" { text.removeLast() }
    return text.isEmpty ? "(empty)" : text
  }

  static func block(_ text: String) -> String { "```\n" + text + "\n```" }

  /// Fills `{name}` placeholders in one pass: text put in is never filled
  /// again (a statement holding `{limits}` stays as written).
  static func fillOnce(_ template: String, _ values: [String: String]) -> String {
    var out = ""
    var rest = template[...]
    while let open = rest.firstIndex(of: "{") {
      out += rest[..<open]
      let after = rest[rest.index(after: open)...]
      if let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] {
        out += value
        rest = after[after.index(after: close)...]
      } else {
        out += "{"
        rest = after
      }
    }
    return out + rest
  }
}
