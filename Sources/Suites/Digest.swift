import Support
import Values

extension Suite {
  /// A digest of everything in a suite that can change a verdict or a
  /// proposal, in order: each task's id, prompt, entry point, signature,
  /// prompt code, test setup, public count, tags, level, and every test
  /// (arguments and expected value, or statement). Two suites with the same
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
        }
      }
    }
    return FNV1a.hex(text)
  }
}
