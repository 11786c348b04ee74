/// One thing wrong with a suite: where, which task, which field, what value.
public struct SuiteProblem: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var taskID: String?
  public var field: String?
  /// The offending value, shortened.
  public var value: String?
  public var message: String

  public init(
    file: String, line: Int? = nil, taskID: String? = nil, field: String? = nil, value: String? = nil, message: String
  ) {
    self.file = file
    self.line = line
    self.taskID = taskID
    self.field = field
    self.value = value.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
    self.message = message
  }

  /// `file:line: task T: field F = V: message`
  public var description: String {
    var out = file
    if let line { out += ":\(line)" }
    if let taskID { out += ": task \(taskID)" }
    if let field { out += ": field '\(field)'" + (value.map { " = \($0)" } ?? "") }
    return out + ": " + message
  }
}

/// A suite that did not load: every problem found, not only the first.
public struct SuiteError: Error, Sendable, CustomStringConvertible {
  public var problems: [SuiteProblem]
  public var description: String {
    let shown = problems.prefix(50).map(\.description).joined(separator: "\n")
    let more = problems.count > 50 ? "\n... and \(problems.count - 50) more problems" : ""
    return "\(problems.count) problem\(problems.count == 1 ? "" : "s") in the suite:\n" + shown + more
  }
}
