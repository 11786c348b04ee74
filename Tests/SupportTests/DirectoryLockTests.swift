import Foundation
import Support
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct DirectoryLockTests {
  @Test("A directory is locked once: a second taker is refused, naming the holder's pid; released, it can be taken")
  func exclusive() throws {
    let dir = try scratch("crucible-lock")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var first: DirectoryLock? = try DirectoryLock("\(dir)/out")
    // flock belongs to the open file: a second open conflicts, even here.
    let error = #expect(throws: DirectoryLockError.self) { try DirectoryLock("\(dir)/out") }
    #expect(error?.holder == getpid())
    #expect(error?.description.contains("process \(getpid())") == true, "\(String(describing: error))")
    _ = first
    first = nil
    let again = try DirectoryLock("\(dir)/out")
    #expect(again.path == "\(dir)/out/\(DirectoryLock.fileName)")
  }

  @Test("A directory that cannot be made is refused, naming it")
  func unusable() throws {
    let dir = try scratch("crucible-lock")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    FileManager.default.createFile(atPath: "\(dir)/file", contents: Data())
    let error = #expect(throws: DirectoryLockError.self) { try DirectoryLock("\(dir)/file/out") }
    #expect(error?.description.contains("\(dir)/file/out") == true)
  }
}
