import ArgumentParser
import BuiltinFamily
import Learning
import ModelFamily
import Policy

/// Every policy family, registered once. A new family is a module of its
/// own (its options conforming to `PolicyFamily`) and, here, an entry in
/// `all`, its `@OptionGroup` in `PolicyOptions` (and in `TrainingFamilies`,
/// if it adds options to `train`), each listed in that struct's `families`.
public enum PolicyFamilies {
  public static let all: [any (PolicyFamily & ParsableArguments).Type] = [BuiltinOptions.self, ModelOptions.self]

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
  @OptionGroup(title: "Policy builtin") public var builtin: BuiltinOptions
  @OptionGroup(title: "Policy openai") public var openai: ModelOptions

  /// Every family's options, in the order of `PolicyFamilies.all`.
  public var families: [any PolicyFamily] { [builtin, openai] }

  public init() {}

  /// The options of the family `--policy` chose.
  public var chosen: any PolicyFamily {
    guard let family = families.first(where: { type(of: $0).name == policy.name }) else {
      preconditionFailure("--policy \(policy.name) is registered in PolicyFamilies.all but not in PolicyOptions")
    }
    return family
  }

  public func validate() throws {
    try PolicyFamilies.refuseOthers(
      families.map { (type(of: $0).name, $0.givenFlags) }, chosen: policy.name)
    try chosen.validateAsChosen()
  }

  /// The policy these options describe.
  public func makePolicy() throws -> Opened<any Policy> { try chosen.makePolicy(prompts: prompts) }

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

  /// Every family's training options.
  public var families: [any TrainingOptions] { [builtin] }

  public init() {}

  /// Refuses the training options of a family other than `policy`'s.
  public func validate(policy: PolicyName) throws {
    try PolicyFamilies.refuseOthers(families.map { (type(of: $0).family, $0.givenFlags) }, chosen: policy.name)
  }
}
