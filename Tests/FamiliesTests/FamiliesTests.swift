import ArgumentParser
import BuiltinFamily
import Families
import Foundation
import Learning
import LocalFamily
import ModelFamily
import Policy
import Testing

/// The registry of policy families and their options, parsed as the CLI
/// parses them: ranges named with flag and value, a family's options
/// refused under another family.
@Suite(.timeLimit(.minutes(2))) struct FamiliesTests {
  /// The error message parsing `arguments` gives, or nil when they parse.
  func refusal(_ arguments: [String]) -> String? {
    do {
      _ = try PolicyOptions.parse(arguments)
      return nil
    } catch {
      return PolicyOptions.message(for: error)
    }
  }

  @Test("The registry lists every family, each once, with its cost unit")
  func registry() throws {
    #expect(PolicyFamilies.names == ["builtin", "openai", "local"])
    #expect(PolicyFamilies.all.map { $0.costUnit } == ["programs", "completion tokens", "completion tokens"])
    #expect(PolicyName.allValueStrings == ["builtin", "openai", "local"])
    let options = try PolicyOptions.parse([])
    #expect(options.policy == .builtin && options.chosen is BuiltinOptions)
    #expect(options.families.map { type(of: $0).name } == PolicyFamilies.names)
    let openai = try PolicyOptions.parse(["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"])
    #expect(openai.chosen is ModelOptions)
    // The local family samples as openai's options say.
    let local = try PolicyOptions.parse(["--policy", "local", "--temperature", "0.2", "--max-tokens", "32"])
    let chosen = try #require(local.chosen as? LocalOptions)
    #expect(chosen.sampling.temperature == 0.2 && chosen.sampling.maxTokens == 32)
  }

  static let openai = ["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]

  @Test(
    "Each family's options check their ranges, naming the flag and the value",
    arguments: [
      (["--programs", "0"], "--programs must be between 1 and 100000000 (got 0)"),
      (["--programs", "-5"], "--programs must be between 1 and 100000000 (got -5)"),
      (openai + ["--temperature", "3"], "--temperature must be between 0 and 2 (got 3.0)"),
      (openai + ["--top-p", "0"], "--top-p must be in (0, 1] (got 0.0)"),
      (openai + ["--max-tokens", "0"], "--max-tokens must be between 1 and 1000000 (got 0)"),
      (openai + ["--concurrency", "2000"], "--concurrency must be between 1 and 1024 (got 2000)"),
      (openai + ["--request-timeout", "0"], "--request-timeout must be more than 0 and at most 86400 s (got 0.0)"),
      (openai + ["--idle-timeout", "-1"], "--idle-timeout must be more than 0 and at most 86400 s (got -1.0)"),
      (openai + ["--retries", "-1"], "--retries must be between 0 and 100 (got -1)"),
      (openai + ["--exemplar-count", "65"], "--exemplar-count must be between 0 and 64 (got 65)"),
      (openai + ["--base-url", "ftp://x/v1"], "--base-url must be an http(s) URL (got 'ftp://x/v1')"),
      (openai + ["--api-key-env", "CRUCIBLE_NO_SUCH_VARIABLE"], "CRUCIBLE_NO_SUCH_VARIABLE is not set"),
      (["--policy", "openai", "--model", "m"], "--policy openai needs --base-url"),
      (["--policy", "openai", "--base-url", "http://127.0.0.1:9/v1"], "--policy openai needs --model"),
    ])
  func ranges(arguments: [String], message: String) {
    let refused = refusal(arguments)
    #expect(refused?.contains(message) == true, "\(refused ?? "parsed")")
  }

  @Test(
    "An option of a family not chosen is refused, naming the option and both families",
    arguments: [
      (["--base-url", "http://127.0.0.1:9/v1"], "--base-url is an option of --policy openai; the policy is builtin"),
      (["--policy", "builtin", "--stop", "x"], "--stop is an option of --policy openai; the policy is builtin"),
      (["--temperature", "0.5"], "--temperature is an option of --policy openai; the policy is builtin"),
      (openai + ["--programs", "10"], "--programs is an option of --policy builtin; the policy is openai"),
      (openai + ["--checkpoint", "prior"], "--checkpoint is an option of --policy builtin; the policy is openai"),
      (
        ["--policy", "local", "--base-url", "http://127.0.0.1:9/v1"],
        "--base-url is an option of --policy openai; the policy is local"
      ),
      (["--policy", "local", "--model", "m"], "--model is an option of --policy openai; the policy is local"),
      (openai + ["--lora", "/dev/null"], "--lora is an option of --policy local; the policy is openai"),
      (["--model-file", "/dev/null"], "--model-file is an option of --policy local; the policy is builtin"),
      (["--policy", "local", "--lora", "/nonexistent/a.gguf"], "--lora /nonexistent/a.gguf: no such file"),
      (["--policy", "local", "--server-threads", "0"], "--server-threads must be from 1 to 256 (got 0)"),
    ])
  func crossFamily(arguments: [String], message: String) {
    let refused = refusal(arguments)
    #expect(refused?.contains(message) == true, "\(refused ?? "parsed")")
  }

  @Test("An unknown --policy is refused, listing the known ones")
  func unknownPolicy() {
    let refused = refusal(["--policy", "gpt"]) ?? ""
    #expect(refused.contains("gpt") && refused.contains("builtin") && refused.contains("openai"), "\(refused)")
  }

  @Test("The options given in their own family parse, and defaults stay unset (not given)")
  func given() throws {
    #expect(
      try PolicyOptions.parse(["--programs", "10", "--checkpoint", "prior"]).builtin.givenFlags == [
        "--checkpoint", "--programs",
      ])
    let defaults = try PolicyOptions.parse([])
    #expect(defaults.builtin.givenFlags.isEmpty && defaults.openai.givenFlags.isEmpty)
    #expect(defaults.builtin.programsPerProposal == BuiltinOptions.defaultPrograms)
    let model = try PolicyOptions.parse(Self.openai + ["--idle-timeout", "30", "--stop", "x"])
    #expect(model.openai.givenFlags == ["--base-url", "--model", "--stop", "--idle-timeout"])
  }

  @Test("train: a family's training options range-checked, refused under another family, given to its learner")
  func training() async throws {
    let openai = try #require(PolicyName(argument: "openai"))
    let refused = try TrainingFamilies.parse(["--method", "pg"])
    #expect(throws: ValidationError.self) { try refused.validate(policy: openai) }
    do {
      try refused.validate(policy: openai)
    } catch let error as ValidationError {
      #expect(error.message == "--method is an option of --policy builtin; the policy is openai")
    }
    try refused.validate(policy: .builtin)
    for (arguments, message) in [
      (["--learning-rate", "-1"], "--learning-rate must be above 0 and at most 10 (got -1.0)"),
      (["--epochs", "0"], "--epochs must be between 1 and 1000 (got 0)"),
      (["--eval-programs", "0"], "--eval-programs must be between 1 and 100000000 (got 0)"),
      (["--dreams", "-1"], "--dreams must be between 0 and 100000 (got -1)"),
      (["--dreams", "5", "--method", "pg"], "--dreams 5 works with --method bc only"),
      (["--lora-epochs", "2"], "--lora-epochs sets how --finetune lora trains; give --finetune lora"),
      (["--finetune", "lora", "--lora-rank", "0"], "--lora-rank must be from 1 to 256 (got 0)"),
      (
        ["--finetune", "lora", "--lora-learning-rate", "2"],
        "--lora-learning-rate must be above 0 and below 1 (got 2.0)"
      ),
      (["--finetune", "full"], "The value 'full' is invalid for '--finetune"),
    ] {
      #expect(throws: (any Error).self) { try TrainingFamilies.parse(arguments) }
      do {
        _ = try TrainingFamilies.parse(arguments)
      } catch {
        #expect(TrainingFamilies.message(for: error).contains(message), "\(TrainingFamilies.message(for: error))")
      }
    }

    let directory = NSTemporaryDirectory() + "crucible-families-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let options = try PolicyOptions.parse(["--checkpoint", "prior", "--programs", "50"])
    let made = try await options.chosen.makeLearner(
      LearnerSetup(
        directory: directory, prompts: try Prompts.shipped(),
        training: refused.families))
    let learner = try #require(made.value as? BuiltinLearner)
    #expect(learner.method == .pg && learner.searchPrograms == 50 && learner.evalPrograms == 50)
    #expect(learner.costUnit == "programs")
    let local = try #require(PolicyName(argument: "local"))
    let lora = try TrainingFamilies.parse(["--finetune", "lora", "--lora-epochs", "2"])
    try lora.validate(policy: local)
    #expect(lora.local.settings.epochs == 2 && lora.local.settings.rank == FinetuneTool.Settings().rank)
    #expect(throws: ValidationError.self) { try lora.validate(policy: .builtin) }
  }
}
