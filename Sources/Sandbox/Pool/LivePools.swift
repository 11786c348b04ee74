import Glibc
import Synchronization

/// Host users for slots. As root every slot of every pool gets two
/// unprivileged uids (and gids): one for its candidates, so RLIMIT_NPROC
/// applies (it is not enforced for uid 0) and two slots never share a user,
/// and one for its trusted side (the test runner, the warm zygote), so no
/// candidate can signal, re-limit or read it. Otherwise everything runs as
/// the caller. Uids are drawn from a block above 10^9 chosen by the process
/// id, so concurrent Crucible processes do not collide either.
enum SlotUsers {
  private static let next = Atomic<UInt32>(0)

  /// The candidates' and the trusted side's host uid of each slot; the
  /// trusted one is nil when there is only the caller's own.
  static func allocate(count: Int) -> [(candidate: UInt32, trusted: UInt32?)] {
    guard geteuid() == 0 else { return Array(repeating: (geteuid(), nil), count: count) }
    let base = UInt32(1_000_000_000) + UInt32(getpid() % 100_000) * 1024
    let first = next.wrappingAdd(UInt32(2 * count), ordering: .relaxed).oldValue
    return (0..<UInt32(count)).map {
      (base + (first + 2 * $0) % 1024, base + (first + 2 * $0 + 1) % 1024)
    }
  }
}

/// Pools not yet shut down, so that a process that exits without calling
/// ``SandboxPool/shutdown()`` still stops its jails and removes its cgroups.
enum LivePools {
  private final class Entry: Sendable {
    weak nonisolated(unsafe) var pool: SandboxPool?
    init(_ pool: SandboxPool) { self.pool = pool }
  }
  private static let entries = Mutex<[ObjectIdentifier: Entry]>([:])
  private static let installed = Mutex(false)

  static func register(_ pool: SandboxPool) {
    entries.withLock { $0[ObjectIdentifier(pool)] = Entry(pool) }
    let first = installed.withLock { done -> Bool in
      defer { done = true }
      return !done
    }
    if first { atexit { LivePools.shutdownAll() } }
  }

  static func unregister(_ pool: SandboxPool) {
    _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(pool)) }
  }

  static func shutdownAll() {
    let pools = entries.withLock { entries in entries.values.compactMap(\.pool) }
    for pool in pools { pool.shutdown() }
  }
}
