import Foundation
import TestSupport
import Testing

/// `--policy` chooses a family; an option of another family is bad input
/// (exit 2, naming the option and both families), never silently ignored.
@Suite(.timeLimit(.minutes(5))) struct PolicyFamilyTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
  static let openai = ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]

  @Test(
    "An option of the family not chosen: exit 2 naming it and both families, nothing run",
    arguments: [
      (
        ["solve", "tasks/examples", "--base-url", "http://127.0.0.1:9/v1"],
        "--base-url is an option of --policy openai; the policy is builtin"
      ),
      (
        ["eval", "tasks/examples", "--policy", "builtin", "--temperature", "0.2"],
        "--temperature is an option of --policy openai; the policy is builtin"
      ),
      (["solve", "tasks/examples"] + openai + ["--programs", "10"], "--programs is an option of --policy builtin"),
      (
        ["train", "--train", "tasks/train", "--eval", "tasks/eval"] + openai + ["--method", "pg"],
        "--method is an option of --policy builtin; the policy is openai"
      ),
      (
        ["train", "--train", "tasks/train", "--eval", "tasks/eval"] + openai + ["--learning-rate", "0.1"],
        "--learning-rate is an option of --policy builtin; the policy is openai"
      ),
      // A samples file runs no policy: its options would be ignored.
      (
        ["eval", "tasks/examples", "--completions", "samples.jsonl", "--programs", "5"],
        "--programs is an option of a policy; --completions evaluates a samples file"
      ),
      (
        ["eval", "tasks/examples", "--completions", "samples.jsonl", "--checkpoint", "prior"],
        "--checkpoint is an option of a policy; --completions evaluates a samples file"
      ),
    ])
  func crossFamily(arguments: [String], mentions: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let out = "\(dir)/out"
    let flag = arguments.first == "eval" ? "--report" : "--out"
    let result = try await CLI.run(arguments + [flag, out], in: Self.root)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(mentions), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test(
    "A negative number is a value, and its range check names flag and value (exit 2)",
    arguments: [
      (["solve", "tasks/examples"] + openai + ["--idle-timeout", "-1"], "--idle-timeout", "(got -1.0)"),
      (["solve", "tasks/examples", "--programs", "-3"], "--programs", "(got -3)"),
      (["train", "--train", "tasks/train", "--eval", "tasks/eval", "--epochs", "-2"], "--epochs", "(got -2)"),
    ])
  func negative(arguments: [String], flag: String, value: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(arguments + ["--out", "\(dir)/out"], in: Self.root)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(flag) && result.stderr.contains(value), "\(result.stderr)")
  }

  @Test("--help lists every registered family with its options")
  func help() async throws {
    let result = try await CLI.run(["solve", "--help"])
    #expect(result.status == 0)
    for text in ["POLICY BUILTIN", "POLICY OPENAI", "--checkpoint", "--base-url", "values: builtin,"] {
      #expect(result.stdout.contains(text), "\(text): \(result.stdout)")
    }
  }
}
