/// How close to its time limit a program's slowest test may come before
/// the reports (solve's table, eval's summary) name it.
public enum TimeLimit {
  /// A test that took this share of its limit is close to timing out.
  public static let closeShare = 0.5
}
