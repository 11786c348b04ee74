import Synchronization

/// A one-way signal many tasks wait on: once fired, every waiter (and
/// every later one) goes on at once. A waiting task that is cancelled
/// stops waiting.
final class Tripwire: Sendable {
  struct State {
    var fired = false
    var next = 0
    var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    /// Waiters cancelled before their continuation was stored.
    var cancelled: Set<Int> = []
  }

  let state = Mutex(State())

  var fired: Bool { state.withLock { $0.fired } }

  func fire() {
    let waiters = state.withLock { state in
      state.fired = true
      defer { state.waiters = [:] }
      return Array(state.waiters.values)
    }
    for waiter in waiters { waiter.resume() }
  }

  func wait() async {
    let id = state.withLock { state in
      state.next += 1
      return state.next
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resume = state.withLock { state in
          if state.fired || state.cancelled.remove(id) != nil { return true }
          state.waiters[id] = continuation
          return false
        }
        if resume { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        guard let waiter = state.waiters.removeValue(forKey: id) else {
          state.cancelled.insert(id)
          return nil as CheckedContinuation<Void, Never>?
        }
        return waiter
      }
      waiter?.resume()
    }
  }
}
