import Support
import Values

extension Suite {
  /// A digest of everything in a suite that can change a verdict or a
  /// proposal, in order: each task's id, prompt, entry point, signature,
  /// prompt code, test setup, public count, tags, level, and every test
  /// (arguments and expected value, statement, or input and output) and a
  /// program's limits and checker. Two suites with the same
  /// digest judge every program the same way; an edited test changes it.
  /// (The reference solution and where a task was read from do not count.)
  public static func digest(_ tasks: [CodingTask]) -> String {
    var text = ""
    func field(_ value: String) {
      // Length-prefixed: no field's text can pass for a boundary.
      text += "\(value.utf8.count):\(value)"
    }
    for task in tasks {
      field(task.id)
      field(task.prompt)
      field(task.entryPoint)
      field(task.signature?.description ?? "-")
      field(task.promptCode ?? "-")
      field(task.testSetup)
      field(String(task.publicCount))
      field(task.tags.joined(separator: "\u{1F}"))
      field(task.level.map(String.init) ?? "-")
      field(String(task.tests.count))
      for test in task.tests {
        switch test.body {
        case .data(let args, let expected):
          field("data")
          field(Value.list(args).json.text)
          field(expected.json.text)
        case .statement(let code):
          field("statement")
          field(code)
        case .io(let input, let output):
          field("io")
          field(input)
          field(output)
        }
      }
      if let io = task.io {
        field("program")
        field(String(io.timeLimitSeconds))
        field(String(io.memoryLimitMiB))
        switch io.checker {
        case .float(let tolerance): field("float \(tolerance)")
        case .program(let source): field("checker.py \(source)")
        default: field(io.checker.name)
        }
      }
    }
    return FNV1a.hex(text)
  }
}
