import Support

/// What a run is for: the commands that record into the run store.
public enum RunKind: String, Sendable, CaseIterable {
  /// `crucible solve`: a search of every task of a suite.
  case solve
  /// `crucible eval`: samples of every task, each run on every test.
  case eval
  /// `crucible train`: rounds of search, learning and measurement.
  case train
  /// One search of one round of a training run.
  case trainSearch = "train_search"
}

/// What makes a run the run it is, for every command: the suite's path and
/// content digest, the samples file's digest, and every option that changes
/// a verdict or a proposal, each by the name its reports use. Two
/// invocations with the same identity are the same run (the second resumes
/// the first); a store holding a run of the same kind with another identity
/// refuses the second, naming each field that differs.
public struct RunIdentity: Sendable, Equatable, Codable {
  public var kind: RunKind
  /// Every field, by name.
  public var fields: [String: String]
  /// Set to start over beside a recorded run rather than resume it
  /// (`--fresh`), or to tell apart runs a command makes on purpose (a
  /// training round's searches).
  public var salt: String

  public init(kind: RunKind, fields: [String: String], salt: String = "") {
    self.kind = kind
    self.fields = fields
    self.salt = salt
  }

  /// `run-` and 12 hex digits of a hash of the fields and the salt.
  public var id: String {
    let key = (fields.keys.sorted().map { "\($0)=\(fields[$0]!)" } + [salt]).joined(separator: "\u{1F}")
    return "run-" + String(FNV1a.hex(key).prefix(12))
  }

  /// What a report shows as the run's suite: the field that names it.
  public var suite: String { fields["suite"] ?? fields["train"] ?? "" }

  /// The fields in which `recorded` (another run's fields; nil when it was
  /// recorded without them) differs from this run, each with what it was
  /// and is: `seed (was 0, now 1)`.
  public func differences(from recorded: [String: String]?) -> [String] {
    guard let recorded else { return ["identity (recorded by an older Crucible)"] }
    return Set(recorded.keys).union(fields.keys).sorted().filter { recorded[$0] != fields[$0] }.map {
      "\($0) (was \(Self.shown(recorded[$0])), now \(Self.shown(fields[$0])))"
    }
  }

  /// A field's value as a difference shows it: `unset`, `none` for an
  /// empty value, values holding a comma or a space in quotes.
  static func shown(_ value: String?) -> String {
    guard let value else { return "unset" }
    if value.isEmpty { return "none" }
    return value.contains(where: { $0 == "," || $0 == " " }) ? "'\(value)'" : value
  }

  enum CodingKeys: String, CodingKey { case kind, fields, salt }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let raw = try container.decode(String.self, forKey: .kind)
    guard let kind = RunKind(rawValue: raw) else {
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "not a run kind: \(SafeText.visible(raw))")
    }
    self.kind = kind
    fields = try container.decode([String: String].self, forKey: .fields)
    salt = try container.decodeIfPresent(String.self, forKey: .salt) ?? ""
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind.rawValue, forKey: .kind)
    try container.encode(fields, forKey: .fields)
    try container.encode(salt, forKey: .salt)
  }
}

/// A store already holds another run of the same kind (of the same suite,
/// for `solve`) than the one asked for: the fields that differ, with what
/// each was and is.
public struct RunMismatch: Error, Sendable, CustomStringConvertible {
  public var runID: String
  /// The recorded run's identity (nil: recorded by an older Crucible).
  public var recorded: [String: String]?
  public var wanted: RunIdentity

  public init(runID: String, recorded: [String: String]?, wanted: RunIdentity) {
    self.runID = runID
    self.recorded = recorded
    self.wanted = wanted
  }

  public var differences: [String] { wanted.differences(from: recorded) }

  public var description: String {
    "holds \(runID), another \(wanted.kind.rawValue) run: it differs in \(differences.joined(separator: ", "))"
  }
}
