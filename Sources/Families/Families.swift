import ArgumentParser
import BuiltinFamily
import Judge
import Learning
import LocalFamily
import ModelFamily
import Policy
import Search
import Selection

/// Every policy family, registered once. A new family is a module of its
/// own (its options conforming to `PolicyFamily`) and, here, an entry in
/// `all`, its `@OptionGroup` in `PolicyOptions` (and in `TrainingFamilies`,
/// if it adds options to `train`), each listed in that struct's `families`.
public enum PolicyFamilies {
  public static let all: [any (PolicyFamily & ParsableArguments).Type] = [
    BuiltinOptions.self, ModelOptions.self, LocalOptions.self,
  ]

  /// The names `--policy` takes.
  public static var names: [String] { all.map { $0.name } }

  /// `--policy`'s help: each name with what it is.
  static var help: String {
    all.map { "\($0.name) (\($0.summary))" }.joined(separator: " or ") + "."
  }

  /// Refuses the flags given for a family other than `chosen`, naming both:
  /// `--base-url is an option of --policy openai; the policy is builtin`.
  static func refuseOthers(_ given: [(family: String, flags: [String])], chosen: String) throws {
    for (family, flags) in given where family != chosen {
      if let flag = flags.first {
        throw ValidationError("\(flag) is an option of --policy \(family); the policy is \(chosen)")
      }
    }
  }
}

/// The value of `--policy`: the name of a registered family; another name
/// is refused, the known ones listed.
public struct PolicyName: ExpressibleByArgument, Sendable, Equatable {
  public let name: String

  public init?(argument: String) {
    guard PolicyFamilies.names.contains(argument) else { return nil }
    name = argument
  }

  public static var allValueStrings: [String] { PolicyFamilies.names }
  public var defaultValueDescription: String { name }

  public static let builtin = PolicyName(argument: BuiltinOptions.name)!
}

/// The options that choose and configure a policy, shared by the commands
/// that run one: `--policy`, `--prompts`, and every family's own options,
/// those of a family not chosen refused when given.
public struct PolicyOptions: ParsableArguments {
  @Option(help: ArgumentHelp(PolicyFamilies.help)) public var policy: PolicyName = .builtin
  @Option(
    help:
      "A directory of prompt templates (system.txt, propose.txt, revise.txt, exemplar.txt; program-system.txt, program-propose.txt, program-revise.txt for standard-input tasks): a language model's prompts, and train's SFT export (default: the shipped ones)."
  )
  public var prompts: String?
  @Option(
    help: ArgumentHelp(
      "Among candidates that pass every public test: first (the policy's best; search stops there), cluster (the best of the largest behaviour cluster on generated inputs) or codet (the best by dual agreement with tests the model writes; language models only). The builtin policy clusters with its interpreter; others run in the sandbox (default: first).",
      valueName: "first|cluster|codet"))
  public var select: Selection?
  @Option(
    parsing: .unconditional,
    help:
      "With --select cluster or codet: candidates passing every public test to collect before choosing (default: builtin 32, others 4)."
  )
  public var consistent: Int?
  @Option(
    parsing: .unconditional,
    help: "With --select cluster: generated inputs the candidates are told apart on (default: builtin 32, others 16).")
  public var probe: Int?
  @OptionGroup(title: "Policy builtin") public var builtin: BuiltinOptions
  @OptionGroup(
    title: "Policy openai (local takes its sampling options, not --base-url, --model, --api or --api-key-env)") public
    var openai: ModelOptions
  @OptionGroup(title: "Policy local") public var local: LocalOptions

  /// Every family's options, in the order of `PolicyFamilies.all`; the
  /// builtin family chooses among its programs itself (its interpreter
  /// computes their outputs), so it is given the selection; the local
  /// family samples as openai's options say.
  public var families: [any PolicyFamily] {
    var builtin = builtin
    (builtin.select, builtin.consistent, builtin.probe) = (select, consistent, probe)
    var local = local
    local.sampling = openai
    return [builtin, openai, local]
  }

  public init() {}

  /// The options of the family `--policy` chose.
  public var chosen: any PolicyFamily {
    guard let family = families.first(where: { type(of: $0).name == policy.name }) else {
      preconditionFailure("--policy \(policy.name) is registered in PolicyFamilies.all but not in PolicyOptions")
    }
    return family
  }

  public func validate() throws {
    // The local family takes openai's sampling options; only where the
    // server is (--base-url, --model, ...) is openai's own.
    let given = families.map { family -> (String, [String]) in
      let name = type(of: family).name
      if name == ModelOptions.name, policy.name == LocalOptions.name {
        return (name, openai.givenFlags.filter { !openai.givenSamplingFlags.contains($0) })
      }
      return (name, family.givenFlags)
    }
    try PolicyFamilies.refuseOthers(given, chosen: policy.name)
    try chosen.validateAsChosen()
    if select == .codet, policy == .builtin {
      throw ValidationError(
        "--select codet ranks by tests a language model writes; the builtin policy has first or cluster")
    }
    if let consistent, !(2...10_000).contains(consistent) {
      throw ValidationError("--consistent must be from 2 to 10000 (got \(consistent))")
    }
    if let probe, !(1...1_000).contains(probe) {
      throw ValidationError("--probe must be from 1 to 1000 (got \(probe))")
    }
    if select == nil || select == .first, consistent != nil {
      throw ValidationError(
        "--consistent sets how --select cluster or codet chooses; it does nothing with --select first")
    }
    if select != .cluster, let probe {
      throw ValidationError(
        "--probe \(probe) sets the generated inputs of --select cluster; it does nothing with --select \(select?.rawValue ?? "first")"
      )
    }
  }

  /// The policy these options describe.
  public func makePolicy() async throws -> Opened<any Policy> { try await chosen.makePolicy(prompts: prompts) }

  /// How search chooses among candidates that pass every public test, when
  /// the sandbox does it: nil for `first`, and for the builtin policy
  /// (which chooses among its programs itself).
  public func choice(for policy: any Policy, judge: Judge, seed: UInt64) -> (any ConsistentChoice)? {
    guard let select, select != .first, self.policy != .builtin else { return nil }
    var tests: CandidateSelector.TestSource?
    if let writer = policy as? any TestWritingPolicy {
      tests = { task in try await writer.writeTests(for: TaskView(task), seed: seed).tests }
    }
    return CandidateSelector(
      selection: select, judge: judge, consistent: consistent ?? CandidateSelector.defaultConsistent,
      probeInputs: probe ?? CandidateSelector.defaultProbeInputs, seed: seed, tests: tests)
  }

  /// The choice's settings, for a run's identity: empty for none.
  public var choiceDescription: String {
    guard let select, select != .first, policy != .builtin else { return "" }
    return "select=\(select.rawValue) consistent=\(consistent ?? CandidateSelector.defaultConsistent)"
      + (select == .cluster ? " probe=\(probe ?? CandidateSelector.defaultProbeInputs)" : "")
  }

  /// The prompt templates: `--prompts DIR`, else the shipped ones.
  public func promptTemplates() throws(PolicyFamilyError) -> Prompts {
    do {
      return try Prompts.load(from: prompts)
    } catch {
      throw PolicyFamilyError(error.description)
    }
  }
}

/// The options families add to `crucible train`.
public struct TrainingFamilies: ParsableArguments {
  @OptionGroup(title: "Training, policy builtin") public var builtin: BuiltinTrainingOptions
  @OptionGroup(title: "Training, policy local") public var local: LocalTrainingOptions

  /// Every family's training options.
  public var families: [any TrainingOptions] { [builtin, local] }

  public init() {}

  /// Refuses the training options of a family other than `policy`'s.
  public func validate(policy: PolicyName) throws {
    try PolicyFamilies.refuseOthers(families.map { (type(of: $0).family, $0.givenFlags) }, chosen: policy.name)
  }
}
