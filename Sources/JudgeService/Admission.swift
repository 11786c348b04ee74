import Synchronization

/// The service's bounded queue: how many sandbox jobs are admitted
/// (running or waiting for a slot of the pool). A request takes as many
/// places as it has jobs, all or none; when they are not free it is
/// refused at once with a time to retry after, so load past what the pool
/// can do becomes 429s, not a backlog that grows until requests time out.
public final class Admission: Sendable {
  struct State {
    var admitted = 0
    var draining = false
    /// Seconds a job takes, smoothed; for the time to retry after.
    var jobSeconds = 0.5
  }

  public let capacity: Int
  let workers: Int
  let state = Mutex(State())

  public init(capacity: Int, workers: Int) {
    self.capacity = capacity
    self.workers = max(1, workers)
  }

  /// Why a request was not admitted.
  public enum Refusal: Error, Equatable {
    /// Full: try again after this many seconds.
    case full(retryAfter: Int)
    /// More jobs than the queue holds at all.
    case tooLarge(capacity: Int)
    /// The service is shutting down.
    case draining
  }

  /// Takes `jobs` places (nil), or says why not.
  public func admit(_ jobs: Int) -> Refusal? {
    state.withLock { state in
      if state.draining { return .draining }
      if jobs > capacity { return .tooLarge(capacity: capacity) }
      guard state.admitted + jobs <= capacity else {
        // About when the jobs ahead will have run, at least a second.
        let ahead = Double(state.admitted) * state.jobSeconds / Double(workers)
        return .full(retryAfter: max(1, min(30, Int(ahead.rounded(.up)))))
      }
      state.admitted += jobs
      return nil
    }
  }

  /// Frees `jobs` places.
  public func release(_ jobs: Int) {
    state.withLock { $0.admitted -= jobs }
  }

  /// A job took `seconds`.
  public func record(seconds: Double) {
    guard seconds.isFinite, seconds >= 0 else { return }
    state.withLock { $0.jobSeconds = 0.9 * $0.jobSeconds + 0.1 * seconds }
  }

  /// Admits nothing more (shutdown has begun).
  public func drain() { state.withLock { $0.draining = true } }

  public var admitted: Int { state.withLock { $0.admitted } }
  public var draining: Bool { state.withLock { $0.draining } }
}
