import Foundation
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct CheckCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  @Test("check tasks/: every bundled reference passes every test")
  func bundled() async throws {
    let result = try await CLI.run(["check", "tasks", "--json"], in: Self.root)
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let tasks = try #require(object["tasks"] as? Int)
    #expect(tasks >= 190)
    #expect(object["passed"] as? Int == tasks)
    #expect((object["failed"] as? [String])?.isEmpty == true)
  }

  @Test("A wrong reference: exit 1, and the task is named with its first failing test")
  func failing() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let line =
      #"{"task_id": "broken", "prompt": "p", "entry_point": "f", "solution": "def f(x):\n    return x\n", "tests": [{"args": [1], "expected": 1}, {"args": [2], "expected": 3}]}"#
    try (line + "\n").write(toFile: "\(dir)/s.jsonl", atomically: true, encoding: .utf8)
    let result = try await CLI.run(["check", "\(dir)/s.jsonl", "--json"])
    #expect(result.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["failed"] as? [String] == ["broken"])
    let failures = object["failures"] as? [[String: String]]
    #expect(failures?.first?["problem"] == "test 1: expected 3, got 2")
  }

  @Test("A malformed suite: exit 2 and every problem listed, nothing run")
  func malformed() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "{\"task_id\": \"a\"}\nnot json\n".write(toFile: "\(dir)/s.jsonl", atomically: true, encoding: .utf8)
    let result = try await CLI.run(["check", "\(dir)/s.jsonl"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("s.jsonl:1"))
    #expect(result.stderr.contains("s.jsonl:2: invalid JSON"))
    let missing = try await CLI.run(["check", "\(dir)/nope"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no such file or directory"))
    let workers = try await CLI.run(["check", "\(dir)/s.jsonl", "--workers", "0"])
    #expect(workers.status == 2)
    #expect(workers.stderr.contains("--workers"))
  }

  @Test(
    "Installed packages are out of the jail unless named: --python-package shows one, in both paths",
    arguments: ["warm", "cold"])
  func packages(_ mode: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let line =
      #"{"task_id": "np", "prompt": "p", "entry_point": "f", "solution": "import numpy, six\ndef f(x):\n    return int(numpy.array([x, x]).sum()) + len(six.PY3 * 'a')\n", "tests": [{"args": [2], "expected": 5}]}"#
    try (line + "\n").write(toFile: "\(dir)/s.jsonl", atomically: true, encoding: .utf8)
    let without = try await CLI.run(["check", "\(dir)/s.jsonl", "--mode", mode, "--json"])
    #expect(without.status == 1, "\(without.stdout) \(without.stderr.suffix(500))")
    #expect(without.stdout.contains("ModuleNotFoundError"), "\(without.stdout)")
    let with = try await CLI.run(
      ["check", "\(dir)/s.jsonl", "--mode", mode, "--python-package", "numpy", "--python-package", "six"])
    #expect(with.status == 0, "\(with.stdout) \(with.stderr.suffix(1000))")
    let unknown = try await CLI.run(["check", "\(dir)/s.jsonl", "--mode", mode, "--python-package", "no_such_package"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no installed Python package 'no_such_package'"), "\(unknown.stderr)")
  }
}
