import Synchronization

/// A counting semaphore for async code: at most `permits` holders, the
/// rest wait in order. A waiter whose task is cancelled stops waiting at
/// once (it throws `CancellationError` and holds nothing), so Ctrl-C is
/// not held up behind a queue of requests.
final class Gate: Sendable {
  private struct Waiter {
    var id: UInt64
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var permits: Int
    var waiters: [Waiter] = []
    var nextID: UInt64 = 0
  }

  private let state: Mutex<State>

  init(permits: Int) { state = Mutex(State(permits: max(1, permits))) }

  /// Waits for a permit; the caller must `release()` it.
  func acquire() async throws {
    let id = state.withLock { state in
      state.nextID += 1
      return state.nextID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        // Under the lock: a cancellation handler that ran before this
        // found no waiter to remove, and the task is cancelled already.
        let granted: Bool? = state.withLock { state in
          if Task.isCancelled { return false }
          if state.permits > 0 {
            state.permits -= 1
            return true
          }
          state.waiters.append(Waiter(id: id, continuation: continuation))
          return nil
        }
        switch granted {
        case true?: continuation.resume()
        case false?: continuation.resume(throwing: CancellationError())
        case nil: break
        }
      }
    } onCancel: {
      let waiter = state.withLock { state -> Waiter? in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return state.waiters.remove(at: index)
      }
      waiter?.continuation.resume(throwing: CancellationError())
    }
  }

  /// Gives a permit back, to the first waiter if there is one.
  func release() {
    let next = state.withLock { state -> Waiter? in
      if state.waiters.isEmpty {
        state.permits += 1
        return nil
      }
      return state.waiters.removeFirst()
    }
    next?.continuation.resume()
  }

  /// Waiting tasks and free permits, for tests.
  var counts: (waiting: Int, free: Int) { state.withLock { ($0.waiters.count, $0.permits) } }

  /// Runs `body` holding a permit.
  func withPermit<T>(_ body: () async throws -> T) async throws -> T {
    try await acquire()
    defer { release() }
    return try await body()
  }
}
