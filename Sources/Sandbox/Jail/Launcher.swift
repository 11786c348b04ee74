import CJailWire
import Foundation
import Glibc

/// One worker slot: a `crucible-jail serve` process and the dedicated thread
/// that spawned it and talks to it.
///
/// The thread is long-lived on purpose: the jail sets PDEATHSIG, which fires
/// when the *thread* that spawned it exits (docs/sandbox.md, "Pitfalls"). The jail
/// runs one job at a time; cancelling sends a cancel frame, and the jail kills
/// the job's whole pid namespace.
final class Launcher: @unchecked Sendable {
  let slot: Int
  private let jailPath: String
  private let configuration: WireFrame

  /// Guards everything below.
  private let condition = NSCondition()
  private var pending: Work?
  private var stopping = false
  private var requestFD: Int32 = -1
  private var replyFD: Int32 = -1
  private var pid: pid_t = -1
  /// The job the thread has taken, whether its request went out, and
  /// whether a cancel arrived before it did.
  private var currentID: UInt64?
  private var requestSent = false
  private var cancelRequested = false
  private var thread: Thread?
  private var exited = false

  private struct Work {
    var id: UInt64
    var frame: [UInt8]
    var reply: @Sendable (Result<WireFrame, SandboxError>) -> Void
  }

  init(slot: Int, jailPath: String, configuration: WireFrame) {
    self.slot = slot
    self.jailPath = jailPath
    self.configuration = configuration
  }

  /// The jail process, while it runs.
  var processID: pid_t? {
    condition.lock()
    defer { condition.unlock() }
    return pid > 0 ? pid : nil
  }

  /// Inodes of the request and reply pipes, while they are open.
  func pipeInodes() -> [UInt64] {
    condition.lock()
    defer { condition.unlock() }
    return [requestFD, replyFD].compactMap { fd -> UInt64? in
      var info = stat()
      return fd >= 0 && fstat(fd, &info) == 0 ? UInt64(info.st_ino) : nil
    }
  }

  /// Starts the thread and the jail process; throws when the jail refuses
  /// its configuration.
  func start() async throws {
    startThread()
    // An empty frame is a no-op that proves the jail answered READY.
    _ = try await submit(id: 0, frame: [])
  }

  private func startThread() {
    let thread = Thread { [self] in self.loop() }
    thread.name = "crucible-slot-\(slot)"
    condition.lock()
    self.thread = thread
    condition.unlock()
    thread.start()
  }

  /// Sends a job frame and waits for the jail's reply frame.
  func submit(id: UInt64, frame: [UInt8]) async throws -> WireFrame {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WireFrame, Error>) in
        post(Work(id: id, frame: frame) { continuation.resume(with: $0.mapError { $0 as Error }) })
      }
    } onCancel: {
      cancel(id: id)
    }
  }

  private func post(_ work: Work) {
    condition.lock()
    if stopping {
      condition.unlock()
      work.reply(.failure(SandboxError(.shutDown, "the sandbox pool is shut down")))
      return
    }
    precondition(pending == nil, "a launcher runs one job at a time")
    pending = work
    condition.signal()
    condition.unlock()
  }

  /// Kills job `id` if it is running, or drops it if it has not started.
  func cancel(id: UInt64) {
    condition.lock()
    if let work = pending, work.id == id {
      pending = nil
      condition.unlock()
      work.reply(.success(Self.cancelledReply))
      return
    }
    defer { condition.unlock() }
    guard currentID == id else { return }  // finished already
    if requestSent {
      var cancel = WireFrame()
      cancel.append(JW_MSG_CANCEL.rawValue, [UInt8]())
      _ = Self.writeAll(requestFD, cancel.encoded)
    } else {
      cancelRequested = true
    }
  }

  private static var cancelledReply: WireFrame {
    var reply = WireFrame()
    reply.append(JW_R_STATUS.rawValue, UInt64(JW_ST_CANCELLED.rawValue))
    return reply
  }

  /// Ends the jail process and the thread; waits for both.
  func stop() {
    condition.lock()
    stopping = true
    if requestFD >= 0 {
      close(requestFD)  // EOF: the jail kills its warm interpreter and exits
      requestFD = -1
    }
    condition.signal()
    while !exited { condition.wait() }
    condition.unlock()
  }

  private func loop() {
    while true {
      condition.lock()
      while pending == nil && !stopping { condition.wait() }
      guard let work = pending, !stopping else {
        if let work = pending {
          pending = nil
          work.reply(.failure(SandboxError(.shutDown, "the sandbox pool is shut down")))
        }
        let child = pid
        pid = -1
        if requestFD >= 0 { close(requestFD) }
        if replyFD >= 0 { close(replyFD) }
        requestFD = -1
        replyFD = -1
        condition.unlock()
        if child > 0 { Self.reap(child) }
        condition.lock()
        exited = true
        condition.broadcast()
        condition.unlock()
        return
      }
      pending = nil
      currentID = work.id
      requestSent = false
      cancelRequested = false
      condition.unlock()
      let result = perform(work)
      condition.lock()
      currentID = nil
      condition.unlock()
      work.reply(result)
    }
  }

  private func perform(_ work: Work) -> Result<WireFrame, SandboxError> {
    if pid <= 0 {
      if let error = spawn() { return .failure(error) }
    }
    if work.frame.isEmpty { return .success(WireFrame()) }
    condition.lock()
    if cancelRequested {
      condition.unlock()
      return .success(Self.cancelledReply)
    }
    let written = Self.writeAll(requestFD, work.frame)
    requestSent = written
    condition.unlock()
    let reply = written ? Self.readFrame(replyFD) : nil
    guard let reply else {
      let status = shutDownProcess()
      return .failure(
        SandboxError(.jailFailed, "the jail of slot \(slot) died (\(status)); it restarts for the next job"))
    }
    return .success(reply)
  }

  /// Spawns the jail from this thread; nil on success.
  private func spawn() -> SandboxError? {
    var request: [Int32] = [0, 0]
    var reply: [Int32] = [0, 0]
    guard jw_pipe_cloexec(&request) == 0, jw_pipe_cloexec(&reply) == 0 else {
      return SandboxError(.jailFailed, "pipe: \(String(cString: strerror(errno)))")
    }
    let started = Result {
      try Spawn.start([jailPath, "serve"], environment: ["PATH=/usr/bin:/bin"], stdin: request[0], stdout: reply[1])
    }
    close(request[0])
    close(reply[1])
    guard case .success(let child) = started else {
      close(request[1])
      close(reply[0])
      if case .failure(let error as SandboxError) = started { return error }
      return SandboxError(.jailFailed, "cannot start \(jailPath)")
    }
    condition.lock()
    pid = child
    requestFD = request[1]
    replyFD = reply[0]
    condition.unlock()
    guard Self.writeAll(requestFD, configuration.encoded), let ready = Self.readFrame(replyFD),
      ready.records()?.contains(where: { $0.tag == JW_R_READY.rawValue }) == true
    else {
      let status = shutDownProcess()
      return SandboxError(
        .jailFailed, "the jail of slot \(slot) refused its configuration (\(status)); see its message above")
    }
    return nil
  }

  /// Closes the pipes and reaps the jail; describes how it ended.
  private func shutDownProcess() -> String {
    condition.lock()
    let child = pid
    pid = -1
    if requestFD >= 0 { close(requestFD) }
    if replyFD >= 0 { close(replyFD) }
    requestFD = -1
    replyFD = -1
    condition.unlock()
    guard child > 0 else { return "not running" }
    let status = Self.reap(child)
    if status & 0x7f == 0 { return "exit code \((status >> 8) & 0xff)" }
    return "signal \(status & 0x7f)"
  }

  @discardableResult
  private static func reap(_ child: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(child, &status, 0) < 0 && errno == EINTR {}
    return status
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    guard fd >= 0 else { return false }
    return bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
  }

  static func readFrame(_ fd: Int32) -> WireFrame? {
    var header = [UInt8](repeating: 0, count: 4)
    guard readAll(fd, &header) else { return nil }
    let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
    guard length <= JW_MAX_FRAME else { return nil }
    var payload = [UInt8](repeating: 0, count: length)
    guard readAll(fd, &payload) else { return nil }
    return WireFrame(payload: payload)
  }

  private static func readAll(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
    let count = buffer.count
    return buffer.withUnsafeMutableBytes { raw in
      var offset = 0
      while offset < count {
        let n = read(fd, raw.baseAddress! + offset, count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
  }
}
