import Journal
import Policy
import Suites

extension RunIdentity {
  /// A search's identity: the suite (its path and the digest of every
  /// test), the policy and its parameters, the strategy, budget and seed,
  /// and the further options that change a verdict (a test timeout, the
  /// jail's packages), by name.
  public static func search(
    kind: RunKind = .solve, suite: String, tasks: [CodingTask], policy: any Policy, strategy: Strategy,
    budget: SearchBudget, seed: UInt64, options: [String: String], salt: String = ""
  ) -> RunIdentity {
    var fields = options
    fields["suite"] = suite
    fields["suite_digest"] = Suite.digest(tasks)
    fields["policy"] = policy.name
    fields["parameters"] = policy.parameters
    fields["strategy"] = strategy.rawValue
    fields["budget"] = budget.description
    fields["seed"] = String(seed)
    return RunIdentity(kind: kind, fields: fields, salt: salt)
  }
}
