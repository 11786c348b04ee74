import Foundation
import TestSupport
import Testing

/// `scripts/install` into a temporary prefix, from the products this test
/// was built with, and the installed `crucible` run from elsewhere: it
/// finds its runtime files from its own path, and a missing one is an
/// error naming it (exit 2), never a silent fallback.
@Suite(.serialized, .timeLimit(.minutes(10))) struct InstallTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
  /// The build directory of this test (`.build/debug`), where `crucible`
  /// and `crucible-jail` are.
  static let build = URL(fileURLWithPath: CLI.executable).deletingLastPathComponent().path
  /// What could point an installed binary elsewhere than its own tree.
  static let overrides: Set<String> = ["CRUCIBLE_HOME", "CRUCIBLE_JAIL", "CRUCIBLE_CHECKPOINT"]

  /// A fresh prefix with Crucible installed, a copy of `tasks/examples`
  /// outside the checkout, and a working directory apart from both.
  static func installed() async throws -> (dir: String, prefix: String, suite: String, work: String) {
    let dir = try scratch("crucible-install")
    let prefix = "\(dir)/prefix"
    let result = try await CLI.runProgram("\(root)/scripts/install", ["--build-dir", build, prefix])
    #expect(result.status == 0, "\(result.stderr)")
    try FileManager.default.copyItem(atPath: "\(root)/tasks/examples", toPath: "\(dir)/suite")
    try FileManager.default.createDirectory(atPath: "\(dir)/work", withIntermediateDirectories: true)
    return (dir, prefix, "\(dir)/suite", "\(dir)/work")
  }

  static func crucible(
    _ prefix: String, _ arguments: [String], in work: String, environment: [String: String] = [:]
  ) async throws -> CLI.Outcome {
    try await CLI.runProgram(
      "\(prefix)/bin/crucible", arguments, in: work, environment: environment,
      unsetting: overrides.subtracting(environment.keys))
  }

  @Test("scripts/install lays out PREFIX; PREFIX/bin/crucible solves tasks from another directory")
  func installAndSolve() async throws {
    let (dir, prefix, suite, work) = try await Self.installed()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    for file in [
      "bin/crucible", "libexec/crucible/crucible-jail", "share/crucible/harness/runner.py",
      "share/crucible/harness/zygote.py", "share/crucible/prompts/system.txt", "share/crucible/prompts/propose.txt",
      "share/crucible/checkpoints/builtin.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: "\(prefix)/\(file)"), "\(file)")
    }
    // The harness's modules and the local family's tools (the model server,
    // the LoRA trainer), executable; nothing else of harness/.
    for tool in ["llm-server", "finetune", "finetune-train"] {
      #expect(FileManager.default.isExecutableFile(atPath: "\(prefix)/share/crucible/harness/\(tool)"), "\(tool)")
    }
    let harness = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/harness").filter {
      $0.hasSuffix(".py") || ["llm-server", "finetune", "finetune-train"].contains($0)
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: "\(prefix)/share/crucible/harness").sorted()
        == harness.sorted())

    let doctor = try await Self.crucible(prefix, ["sandbox", "doctor"], in: work)
    #expect(doctor.status == 0, "\(doctor.stdout) \(doctor.stderr)")
    #expect(doctor.stdout.contains("\(prefix)/share/crucible (install)"), "\(doctor.stdout)")
    #expect(doctor.stdout.contains("\(prefix)/libexec/crucible/crucible-jail"), "\(doctor.stdout)")

    let result = try await Self.crucible(prefix, ["solve", suite, "--out", "out", "--json"], in: work)
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    let summary = try CLI.summary(in: "\(work)/out")
    #expect(summary["tasks"] as? Int == 23)
    #expect((summary["solved"] as? Int ?? 0) >= 5, "\(summary)")

    // Installing again over it replaces the runtime files as a whole.
    try Data("stale".utf8).write(to: URL(fileURLWithPath: "\(prefix)/share/crucible/harness/stale.py"))
    let again = try await CLI.runProgram("\(Self.root)/scripts/install", ["--build-dir", Self.build, prefix])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "\(prefix)/share/crucible/harness/stale.py"))
  }

  @Test(
    "A missing runtime file: exit 2 and an error naming it and where it was looked for",
    arguments: [
      ("share/crucible/harness/runner.py", [String]()),
      ("share/crucible/harness", []),
      ("share/crucible/checkpoints/builtin.json", []),
      (
        "share/crucible/prompts/propose.txt",
        ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
      ),
      ("libexec/crucible/crucible-jail", []),
      ("share/crucible", []),
    ])
  func missing(file: String, options: [String]) async throws {
    let (dir, prefix, suite, work) = try await Self.installed()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.removeItem(atPath: "\(prefix)/\(file)")
    let result = try await Self.crucible(prefix, ["solve", suite, "--out", "out"] + options, in: work)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("\(prefix)/\(file)"), "\(result.stderr)")
    #expect(result.stderr.contains("missing"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: "\(work)/out/summary.json"))
  }

  @Test("CRUCIBLE_HOME overrides the install's own tree; one that does not exist is named, exit 2")
  func home() async throws {
    let (dir, prefix, suite, work) = try await Self.installed()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let missing = try await Self.crucible(
      prefix, ["solve", suite, "--out", "out"], in: work, environment: ["CRUCIBLE_HOME": "\(dir)/nowhere"])
    #expect(missing.status == 2, "\(missing.stderr)")
    #expect(missing.stderr.contains("\(dir)/nowhere (CRUCIBLE_HOME)"), "\(missing.stderr)")
    // The checkout as the home: its harness, prompts and checkpoint.
    try FileManager.default.removeItem(atPath: "\(prefix)/share/crucible")
    let checkout = try await Self.crucible(
      prefix, ["sandbox", "doctor"], in: work, environment: ["CRUCIBLE_HOME": Self.root])
    #expect(checkout.status == 0, "\(checkout.stdout) \(checkout.stderr)")
    #expect(checkout.stdout.contains("\(Self.root) (CRUCIBLE_HOME)"), "\(checkout.stdout)")
  }
}
