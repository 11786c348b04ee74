import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive lock on a command's output directory, so that two runs
/// never write one journal or store at once: `flock` on `DIR/.crucible.lock`,
/// which holds the holder's pid. The kernel lets go when the process ends,
/// however it ends (a `kill -9` included), so a lock never outlives its run.
public final class DirectoryLock: Sendable {
  public static let fileName = ".crucible.lock"

  public let path: String
  let descriptor: Int32

  /// Takes the lock on `directory` (creating it), or fails at once, naming
  /// the process that holds it.
  public init(_ directory: String) throws(DirectoryLockError) {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw DirectoryLockError(directory: directory, holder: nil, reason: error.localizedDescription)
    }
    path = "\(directory)/\(Self.fileName)"
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DirectoryLockError(directory: directory, holder: nil, reason: String(cString: strerror(errno)))
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let failure = errno
      let holder = Self.holder(fd)
      close(fd)
      throw DirectoryLockError(
        directory: directory, holder: holder,
        reason: failure == EWOULDBLOCK ? nil : String(cString: strerror(failure)))
    }
    descriptor = fd
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
  }

  deinit { close(descriptor) }

  /// The pid the lock file names, if it names one yet.
  static func holder(_ fd: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    guard count > 0 else { return nil }
    return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// A directory another run holds (or whose lock cannot be taken).
public struct DirectoryLockError: Error, CustomStringConvertible {
  public var directory: String
  /// The pid of the process holding the lock, when it is held and says.
  public var holder: Int32?
  /// Why the lock could not be taken, when not because another run holds it.
  public var reason: String?

  public var description: String {
    if let reason { return "\(directory): cannot lock the directory (\(reason))" }
    let who = holder.map { "process \($0)" } ?? "another process"
    return "\(directory) is in use by another run (\(who) holds \(directory)/\(DirectoryLock.fileName)); "
      + "wait for it to end, or use another directory"
  }
}
