import Foundation
import Values

/// A set of tasks loaded from disk: a directory (searched recursively for
/// task directories and JSONL files) or one `.jsonl` / `.jsonl.gz` file.
public struct Suite: Sendable {
  /// The path given.
  public var path: String
  /// The tasks, in file order (directories sorted by name).
  public var tasks: [CodingTask]

  public init(path: String, tasks: [CodingTask]) {
    self.path = path
    self.tasks = tasks
  }

  /// Loads and validates a suite. Throws every problem found (file, line or
  /// task, field, value); a suite with any problem does not load, so no task
  /// is ever dropped silently.
  public static func load(_ path: String) throws(SuiteError) -> Suite {
    var loader = SuiteLoader()
    let tasks = loader.load(path)
    guard loader.problems.isEmpty else { throw SuiteError(problems: loader.problems) }
    if tasks.isEmpty {
      throw SuiteError(problems: [
        SuiteProblem(file: path, message: "holds no tasks (no task.json directories and no .jsonl files)")
      ])
    }
    return Suite(path: path, tasks: tasks)
  }

  /// The task with this id.
  public subscript(id: String) -> CodingTask? { tasks.first { $0.id == id } }

  /// One task given inline, as a JSON object of any of the JSONL shapes;
  /// `source` names where it came from in the problems thrown.
  public static func task(_ members: [(key: String, value: JSON)], source: String) throws(SuiteError) -> CodingTask {
    var fields = Fields(members, file: source, line: nil)
    let task = TaskShapes.read(&fields)
    guard let task, fields.problems.isEmpty else {
      throw SuiteError(
        problems: fields.problems.isEmpty ? [SuiteProblem(file: source, message: "is not a task")] : fields.problems)
    }
    return task
  }
}

/// The loading state: tasks and problems so far.
struct SuiteLoader {
  var problems: [SuiteProblem] = []
  var seen: [String: String] = [:]  // task id -> where it was first seen

  mutating func load(_ path: String) -> [CodingTask] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      problems.append(SuiteProblem(file: path, message: "no such file or directory"))
      return []
    }
    if isDirectory.boolValue { return loadDirectory(path) }
    guard path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") else {
      problems.append(SuiteProblem(file: path, message: "a suite file must end in .jsonl or .jsonl.gz"))
      return []
    }
    return loadJSONL(path)
  }

  mutating func loadDirectory(_ path: String) -> [CodingTask] {
    if FileManager.default.fileExists(atPath: "\(path)/task.json") {
      return [loadTaskDirectory(path)].compactMap { $0 }
    }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
      problems.append(SuiteProblem(file: path, message: "cannot list the directory"))
      return []
    }
    var tasks: [CodingTask] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      let child = "\(path)/\(name)"
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory)
      if isDirectory.boolValue {
        tasks += loadDirectory(child)
      } else if name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz") {
        tasks += loadJSONL(child)
      }
    }
    return tasks
  }

  mutating func register(_ task: CodingTask) -> CodingTask? {
    if let first = seen[task.id] {
      problems.append(
        SuiteProblem(
          file: task.origin.file, line: task.origin.line, taskID: task.id, field: "task_id",
          message: "duplicates the task at \(first)"))
      return nil
    }
    seen[task.id] = task.origin.description
    return task
  }

  mutating func loadJSONL(_ path: String) -> [CodingTask] {
    guard var data = FileManager.default.contents(atPath: path) else {
      problems.append(SuiteProblem(file: path, message: "cannot read the file"))
      return []
    }
    if path.hasSuffix(".gz") {
      do {
        data = try Gzip.decompress(data)
      } catch {
        problems.append(SuiteProblem(file: path, message: "not a valid gzip file: \(error.message)"))
        return []
      }
    }
    guard let text = String(data: data, encoding: .utf8) else {
      problems.append(SuiteProblem(file: path, message: "is not UTF-8 text"))
      return []
    }
    var tasks: [CodingTask] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNumber = index + 1
      guard !line.allSatisfy(\.isWhitespace) else { continue }
      let json: JSON
      do {
        json = try JSON.parse(String(line))
      } catch {
        problems.append(
          SuiteProblem(
            file: path, line: lineNumber, message: "invalid JSON at column \(error.column): \(error.message)"))
        continue
      }
      guard case .object(let members) = json else {
        problems.append(
          SuiteProblem(file: path, line: lineNumber, message: "each line must be a JSON object, not \(json.kind)"))
        continue
      }
      var fields = Fields(members, file: path, line: lineNumber)
      let task = TaskShapes.read(&fields)
      problems += fields.problems
      if let task, fields.problems.isEmpty, let registered = register(task) { tasks.append(registered) }
    }
    return tasks
  }

  /// A task directory: `task.json` (metadata), `prompt.md`, and optionally
  /// `solution.py`, `tests.jsonl` (data tests) and `test.py` (code tests).
  mutating func loadTaskDirectory(_ path: String) -> CodingTask? {
    let file = "\(path)/task.json"
    let name = (path as NSString).lastPathComponent
    func read(_ file: String) -> String?? {
      guard FileManager.default.fileExists(atPath: file) else { return .some(nil) }
      guard Self.isInside(file, path), let data = FileManager.default.contents(atPath: file),
        let text = String(data: data, encoding: .utf8)
      else {
        return nil
      }
      return .some(text)
    }
    guard case .some(.some(let metadata)) = read(file) else {
      problems.append(SuiteProblem(file: file, message: "cannot read the file as UTF-8 text"))
      return nil
    }
    let json: JSON
    do {
      json = try JSON.parse(metadata)
    } catch {
      problems.append(
        SuiteProblem(file: file, line: error.line, message: "invalid JSON at column \(error.column): \(error.message)"))
      return nil
    }
    guard case .object(let members) = json else {
      problems.append(SuiteProblem(file: file, message: "must hold a JSON object, not \(json.kind)"))
      return nil
    }
    var fields = Fields(members, file: file, line: nil)
    fields.rejectUnknown(
      allowed: [
        "id", "entry_point", "signature", "prompt", "tests", "public", "tags", "level", "time_limit", "memory_limit",
        "checker", "tolerance",
      ], shape: "directory")
    let id = fields.string("id", required: false) ?? name
    fields.taskID = id
    var extraProblems: [SuiteProblem] = []
    func readFile(_ fileName: String) -> String? {
      switch read("\(path)/\(fileName)") {
      case .some(let text): return text
      case .none:
        extraProblems.append(
          SuiteProblem(file: "\(path)/\(fileName)", taskID: id, message: "cannot read the file as UTF-8 text"))
        return nil
      }
    }
    let promptFile = readFile("prompt.md")
    var prompt = fields.string("prompt", required: false)
    if prompt == nil { prompt = promptFile }
    if prompt == nil || prompt?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true {
      extraProblems.append(
        SuiteProblem(
          file: "\(path)/prompt.md", taskID: id, field: "prompt",
          message: "a task needs a prompt: prompt.md or \"prompt\" in task.json"))
    }
    var tests = fields.dataTests("tests", required: false) ?? []
    if let lines = readFile("tests.jsonl") {
      let testsFile = "\(path)/tests.jsonl"
      for (index, line) in lines.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where !line.allSatisfy(\.isWhitespace) {
        var lineFields = Fields([], file: testsFile, line: index + 1)
        lineFields.taskID = id
        do {
          if let test = lineFields.dataTest(try JSON.parse(String(line)), field: "test") { tests.append(test) }
        } catch {
          lineFields.problem(nil, nil, "invalid JSON at column \(error.column): \(error.message)")
        }
        extraProblems += lineFields.problems
      }
    }
    tests += testFiles(in: path, id: id, problems: &extraProblems)
    var setup = ""
    if let code = readFile("test.py") {
      setup = code
      tests.append(.statement("check(candidate)"))
      if !code.contains("def check(") {
        extraProblems.append(SuiteProblem(file: "\(path)/test.py", taskID: id, message: "must define check(candidate)"))
      }
    }
    let solution = readFile("solution.py")
    var task = TaskShapes.common(
      &fields, id: id, prompt: prompt ?? "", tests: tests, origin: Origin(file: path, format: .directory),
      checkerSource: readFile("checker.py"))
    task?.solution = solution
    task?.testSetup = setup
    problems += fields.problems + extraProblems
    guard let task, fields.problems.isEmpty, extraProblems.isEmpty else { return nil }
    return register(task)
  }

  /// Whether `file`, its links followed, is inside `directory` (also
  /// followed). A task's files go into prompts, into the jail (where a
  /// candidate reads its input and can echo it into a verdict) and into
  /// reports: a link in a downloaded suite (`tests/01.in -> /etc/shadow`)
  /// must not take a host file there.
  static func isInside(_ file: String, _ directory: String) -> Bool {
    let real = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
    let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
    return real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }

  /// A judge's test files: `tests/NAME.in` with `tests/NAME.out`, in the
  /// order of their names (numbers by value: 2 before 10).
  func testFiles(in path: String, id: String, problems: inout [SuiteProblem]) -> [TestCase] {
    let directory = "\(path)/tests"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      return []
    }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      problems.append(SuiteProblem(file: directory, taskID: id, message: "cannot list the directory"))
      return []
    }
    var stems: Set<String> = []
    for name in names where !name.hasPrefix(".") {
      let stem = (name as NSString).deletingPathExtension
      switch (name as NSString).pathExtension {
      case "in", "out": stems.insert(stem)
      default:
        problems.append(
          SuiteProblem(
            file: "\(directory)/\(name)", taskID: id,
            message: "is not a test file (tests/ holds NAME.in and NAME.out pairs)"))
      }
    }
    let ordered = stems.sorted { a, b in
      switch (Int(a), Int(b)) {
      case (let x?, let y?): x == y ? a < b : x < y
      case (.some, nil): true
      case (nil, .some): false
      case (nil, nil): a < b
      }
    }
    var tests: [TestCase] = []
    for stem in ordered {
      var texts: [String] = []
      for ext in ["in", "out"] {
        let file = "\(directory)/\(stem).\(ext)"
        guard FileManager.default.fileExists(atPath: file) else {
          let other = ext == "in" ? "out" : "in"
          problems.append(SuiteProblem(file: file, taskID: id, message: "is missing (\(stem).\(other) has no pair)"))
          continue
        }
        guard Self.isInside(file, path) else {
          problems.append(
            SuiteProblem(file: file, taskID: id, message: "is a link to a file outside the task's directory"))
          continue
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
          problems.append(SuiteProblem(file: file, taskID: id, message: "cannot read the file as UTF-8 text"))
          continue
        }
        texts.append(text)
      }
      if texts.count == 2 { tests.append(.io(texts[0], texts[1])) }
    }
    return tests
  }
}
