import Dispatch
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM. The first cancels the command's task: the
/// run unwinds (model requests and sandbox jobs are cancelled, the store
/// keeps everything recorded, connections and the sandbox close) and the
/// process exits 128 + the signal (130 for Ctrl-C); the same command then
/// resumes. A second signal, or a run still unwinding after
/// `grace` seconds, exits at once.
///
/// The handler only writes the signal's number to a pipe (what a signal
/// handler may safely do); a dispatch source reads it. A handler, unlike
/// an ignored signal, is not inherited by the programs the run starts.
enum Interrupt {
  static let grace = 10.0
  private static let received = Atomic<Int32>(0)
  nonisolated(unsafe) private static var pipeWrite: Int32 = -1
  nonisolated(unsafe) private static var source: (any DispatchSourceRead)?

  /// The signal that arrived, if one did.
  static var signal: Int32? {
    let value = received.load(ordering: .acquiring)
    return value == 0 ? nil : value
  }

  /// Calls `cancel` on the first SIGINT or SIGTERM. Call once, early.
  static func install(cancel: @escaping @Sendable () -> Void) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return }
    for fd in fds {
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      _ = fcntl(fd, F_SETFL, O_NONBLOCK)
    }
    pipeWrite = fds[1]
    let reader = DispatchSource.makeReadSource(fileDescriptor: fds[0], queue: .global())
    reader.setEventHandler {
      var byte: UInt8 = 0
      while read(fds[0], &byte, 1) == 1 { arrived(Int32(byte), cancel: cancel) }
    }
    reader.resume()
    source = reader
    for signo in [SIGINT, SIGTERM] {
      Foundation.signal(signo) { signo in
        var byte = UInt8(truncatingIfNeeded: signo)
        _ = write(Interrupt.pipeWrite, &byte, 1)
      }
    }
    // A parent (a test runner's thread, say) may have blocked them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  private static func arrived(_ signo: Int32, cancel: @Sendable () -> Void) {
    guard received.compareExchange(expected: 0, desired: signo, ordering: .acquiringAndReleasing).exchanged else {
      Output.write("crucible: stopped at once\n")
      _exit(128 + signo)
    }
    Output.write("crucible: \(signo == SIGINT ? "interrupted" : "terminated"); stopping (again to stop at once)\n")
    cancel()
    DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
      Output.write("crucible: still stopping after \(Int(grace)) s; stopped at once\n")
      _exit(128 + signo)
    }
  }

  /// Exits for the signal that arrived, saying that what was recorded is kept.
  static func exit(_ signo: Int32) -> Never {
    Output.write("crucible: stopped; what was recorded is kept, and the same command resumes\n")
    Foundation.exit(128 + signo)
  }
}
