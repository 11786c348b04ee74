/// What one task's search may spend.
public struct SearchBudget: Sendable, Equatable, Codable, CustomStringConvertible {
  /// Candidates the policy may propose, revisions included.
  public var proposals: Int
  /// Sandbox runs on the public tests during search (the final check on
  /// the hidden tests is one more run, outside this budget).
  public var runs: Int
  /// Wall-clock seconds per task.
  public var seconds: Double

  public init(proposals: Int = 32, runs: Int = 8, seconds: Double = 120) {
    self.proposals = proposals
    self.runs = runs
    self.seconds = seconds
  }

  public var description: String { "proposals=\(proposals),runs=\(runs),seconds=\(formatSeconds(seconds))" }

  /// A budget written as `key=value` pairs separated by commas
  /// (`runs=8,proposals=32,seconds=120`); keys not given keep `base`'s.
  public static func parse(_ text: String, base: SearchBudget = SearchBudget()) throws(BudgetError) -> SearchBudget {
    var budget = base
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard pair.count == 2, !pair[0].isEmpty else {
        throw BudgetError(text: text, message: "'\(part)' is not key=value (keys: proposals, runs, seconds)")
      }
      switch pair[0] {
      case "proposals", "runs":
        guard let n = Int(pair[1]), n >= 1, n <= 1_000_000 else {
          throw BudgetError(
            text: text, message: "\(pair[0]) must be a whole number from 1 to 1000000 (got '\(pair[1])')")
        }
        if pair[0] == "runs" { budget.runs = n } else { budget.proposals = n }
      case "seconds":
        guard let s = Double(pair[1]), s > 0, s <= 86_400 else {
          throw BudgetError(
            text: text, message: "seconds must be a number above 0 and at most 86400 (got '\(pair[1])')")
        }
        budget.seconds = s
      default:
        throw BudgetError(text: text, message: "unknown key '\(pair[0])' (keys: proposals, runs, seconds)")
      }
    }
    return budget
  }
}

/// A budget that does not parse, and why.
public struct BudgetError: Error, CustomStringConvertible {
  public var text: String
  public var message: String
  public var description: String { "invalid budget '\(text)': \(message)" }
}

func formatSeconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
