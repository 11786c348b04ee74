import Synchronization

/// Hands out worker slots; callers beyond the number of slots wait in order.
final class SlotQueue: Sendable {
  private struct State {
    var free: [Int]
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Int, Error>)] = []
    var nextWaiter: UInt64 = 0
  }
  private let state: Mutex<State>

  init(count: Int) { state = Mutex(State(free: Array((0..<count).reversed()))) }

  /// A free slot; waits for one, and throws CancellationError if cancelled while waiting.
  func acquire() async throws -> Int {
    let id = state.withLock { state -> UInt64 in
      state.nextWaiter += 1
      return state.nextWaiter
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, Error>) in
        let slot: Int? = state.withLock { state in
          if Task.isCancelled { return -1 }
          if let slot = state.free.popLast() { return slot }
          state.waiters.append((id, continuation))
          return nil
        }
        if slot == -1 {
          continuation.resume(throwing: CancellationError())
        } else if let slot {
          continuation.resume(returning: slot)
        }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<Int, Error>? in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return state.waiters.remove(at: index).continuation
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  /// Returns a slot; the longest waiter gets it.
  func release(_ slot: Int) {
    let waiter = state.withLock { state -> CheckedContinuation<Int, Error>? in
      if state.waiters.isEmpty {
        state.free.append(slot)
        return nil
      }
      return state.waiters.removeFirst().continuation
    }
    waiter?.resume(returning: slot)
  }
}
