import Policy

/// A policy family: what `--policy NAME` chooses. A family lives in a module
/// of its own (its options, how it makes a policy and a learner, the unit of
/// its cost) and is registered once, in `Families`; Learning knows only this
/// protocol, and the trainer only the `Learner` a family makes.
///
/// A value of a family is its options as the command line gave them.
public protocol PolicyFamily: Sendable {
  /// The value of `--policy` that chooses it.
  static var name: String { get }
  /// A phrase for `--policy`'s help: `the offline synthesizer`.
  static var summary: String { get }
  /// What its policies' cost counts, for the curve and the report:
  /// `programs`, `completion tokens`.
  static var costUnit: String { get }
  /// The flags of its options that the command line gave: refused when
  /// another family is chosen.
  var givenFlags: [String] { get }
  /// Checks what it needs once it is the family chosen (an option it
  /// cannot do without); its options' own ranges are checked by parsing.
  func validateAsChosen() throws
  /// The policy its options describe (`solve`, `eval`); `prompts` is
  /// `--prompts`, the directory of prompt templates (nil: the shipped ones).
  func makePolicy(prompts: String?) async throws -> Opened<any Policy>
  /// The learner of a training run (`train`).
  func makeLearner(_ setup: LearnerSetup) async throws -> Opened<any Learner>
}

/// Options a family adds to `crucible train` alone (a learning rate, epochs).
public protocol TrainingOptions: Sendable {
  /// The family they belong to: its `--policy` name.
  static var family: String { get }
  /// The flags of these options that the command line gave.
  var givenFlags: [String] { get }
}

/// What a family's learner is made from, besides its own options.
public struct LearnerSetup: Sendable {
  /// The training directory (`--out`): the learner's checkpoints go there.
  public var directory: String
  /// The prompt templates of the run (a language model's prompts, and the
  /// SFT export's).
  public var prompts: Prompts
  /// Every family's training options; a family takes its own (`options(_:)`).
  public var training: [any TrainingOptions]

  public init(directory: String, prompts: Prompts, training: [any TrainingOptions]) {
    self.directory = directory
    self.prompts = prompts
    self.training = training
  }

  /// The training options of type `T`, if the command has them.
  public func options<T: TrainingOptions>(_ type: T.Type) -> T? {
    training.lazy.compactMap { $0 as? T }.first
  }
}

/// What a family made for a command, a policy or a learner, with what it
/// holds open while the command runs (a model's connections): a status for
/// the progress line, and how to close it.
public struct Opened<Value: Sendable>: Sendable {
  public var value: Value
  /// More for the progress line (a model's tokens per second), if any.
  public var status: (@Sendable () -> String?)?
  /// Closes what is open; returns a closing line (a model's totals), if any.
  public var close: @Sendable () async -> String?

  public init(
    _ value: Value, status: (@Sendable () -> String?)? = nil, close: @escaping @Sendable () async -> String? = { nil }
  ) {
    self.value = value
    self.status = status
    self.close = close
  }
}

/// An option of a family that it cannot use (a checkpoint that does not
/// load, a missing file): bad input, said in one line naming the flag or
/// the file.
public struct PolicyFamilyError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
