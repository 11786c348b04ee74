import Foundation
import GRDB

/// Kills a child process with SIGKILL once a condition on what it recorded
/// holds. The watch runs on a thread of its own: in a loaded test run the
/// cooperative pool can be starved for seconds, long enough for a short
/// child to finish unobserved (as an eval of 328 samples once did on CI).
enum KillSwitch {
  /// Watches until `condition` holds (then kills), the process ends, or
  /// `seconds` pass. The caller waits for the exit and asserts how it ended.
  static func arm(
    _ process: Process, within seconds: Double, when condition: @escaping @Sendable () -> Bool
  ) async {
    nonisolated(unsafe) let process = process
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let thread = Thread {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
          if condition() {
            kill(process.processIdentifier, SIGKILL)
            break
          }
          usleep(10_000)
        }
        continuation.resume()
      }
      thread.start()
    }
  }

  /// The single integer `sql` selects from the store at `path`, read only;
  /// 0 while the store or its tables do not exist yet.
  static func count(_ path: String, _ sql: String) -> Int {
    guard FileManager.default.fileExists(atPath: path) else { return 0 }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(1)
    guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
    return (try? queue.read { db in try Int.fetchOne(db, sql: sql) } ?? 0) ?? 0
  }
}
