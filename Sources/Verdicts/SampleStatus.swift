/// What an eval's samples of one task came to, worst-first for
/// regressions: `passed` (every sample), `partial` (some), `failed` (none),
/// and two that are neither pass nor fail: `flaky` (a sample's verdict
/// changed on re-run) and `infrastructure_error` (the sandbox failed twice
/// on a sample).
public enum SampleStatus: String, Vocabulary, CodingKeyRepresentable {
  case passed, partial, failed, flaky
  case infrastructureError = "infrastructure_error"

  public static let vocabulary = "sample status"

  /// For comparisons by status: higher is better; nil for flaky and
  /// unjudged tasks (regressions rank by samples instead).
  public var rank: Int? {
    switch self {
    case .passed: 2
    case .partial: 1
    case .failed: 0
    case .flaky, .infrastructureError: nil
    }
  }
}
