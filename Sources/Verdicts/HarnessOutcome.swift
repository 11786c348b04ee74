/// The harness's trusted side's vocabulary (`harness/runner.py`): the
/// `outcome` of each test record it writes on the result channel, from
/// which the judge decides a ``TestVerdict``. A record with any other
/// outcome is tampering. `Tests/VerdictsTests` reads the Python source and
/// checks that it spells exactly these.
public enum HarnessOutcome: String, Vocabulary {
  // What the candidate process answered to a call (or to its load).
  case returned, raised, unencodable
  case syntaxError = "syntax_error"
  case loadError = "load_error"
  case missing
  // What the trusted side observed of the candidate process.
  case timeout, died, tamper
  // How a standard-input program's run ended: its exit code and output,
  // or output past the cap.
  case exited
  case outputLimit = "output_limit"
  case startFailed = "start_failed"
  // How a statement test (the task's own code) ended.
  case passed, failed
  case testError = "test_error"
  case setupError = "setup_error"

  public static let vocabulary = "harness outcome"
}
