import Foundation
import Support
import TestSupport
import Testing

/// Where runtime files are found, on fake trees: an install, a build tree
/// in a checkout, `CRUCIBLE_HOME`, and nothing at all.
@Suite(.timeLimit(.minutes(2))) struct RuntimeHomeTests {
  func touch(_ path: String, executable: Bool = false) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data().write(to: URL(fileURLWithPath: path))
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
  }

  @Test("An install: PREFIX/share/crucible, the jail in PREFIX/libexec/crucible")
  func install() throws {
    let dir = try scratch("crucible-home")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try touch("\(dir)/bin/crucible", executable: true)
    try touch("\(dir)/libexec/crucible/crucible-jail", executable: true)
    try touch("\(dir)/share/crucible/prompts/system.txt")
    let home = try RuntimeHome.locate(executable: "\(dir)/bin/crucible", environment: [:])
    #expect(home.origin == .install && home.root == "\(dir)/share/crucible")
    #expect(try home.jail() == "\(dir)/libexec/crucible/crucible-jail")
    #expect(try home.file("prompts/system.txt", what: "x") == "\(dir)/share/crucible/prompts/system.txt")
    let missing = #expect(throws: RuntimeFileMissing.self) {
      try home.file("checkpoints/builtin.json", what: "the shipped checkpoint")
    }
    #expect(missing?.description.contains("\(dir)/share/crucible/checkpoints/builtin.json") == true)
  }

  @Test("A build tree: the checkout above it, the jail beside the executable")
  func checkout() throws {
    let dir = try scratch("crucible-home")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try touch("\(dir)/Package.swift")
    try touch("\(dir)/harness/runner.py")
    try touch("\(dir)/.build/x86_64-unknown-linux-gnu/debug/crucible", executable: true)
    try touch("\(dir)/.build/x86_64-unknown-linux-gnu/debug/crucible-jail", executable: true)
    let executable = "\(dir)/.build/x86_64-unknown-linux-gnu/debug/crucible"
    let home = try RuntimeHome.locate(executable: executable, environment: [:])
    #expect(home.origin == .checkout && home.root == dir)
    #expect(try home.jail() == "\(dir)/.build/x86_64-unknown-linux-gnu/debug/crucible-jail")
    // CRUCIBLE_HOME and CRUCIBLE_JAIL come first.
    try touch("\(dir)/elsewhere/harness/runner.py")
    try touch("\(dir)/elsewhere/jail", executable: true)
    let overridden = try RuntimeHome.locate(
      executable: executable,
      environment: ["CRUCIBLE_HOME": "\(dir)/elsewhere", "CRUCIBLE_JAIL": "\(dir)/elsewhere/jail"])
    #expect(overridden.origin == .environment && overridden.root == "\(dir)/elsewhere")
    #expect(try overridden.jail() == "\(dir)/elsewhere/jail")
  }

  @Test("Nothing found: an error naming every place looked at")
  func nowhere() throws {
    let dir = try scratch("crucible-home")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try touch("\(dir)/bin/crucible", executable: true)
    let error = #expect(throws: RuntimeFileMissing.self) {
      try RuntimeHome.locate(executable: "\(dir)/bin/crucible", environment: [:])
    }
    let text = error?.description ?? ""
    #expect(text.contains("CRUCIBLE_HOME (not set)") && text.contains("\(dir)/share/crucible"), "\(text)")
    #expect(text.contains("above \(dir)/bin"), "\(text)")
    let named = #expect(throws: RuntimeFileMissing.self) {
      try RuntimeHome.locate(executable: "\(dir)/bin/crucible", environment: ["CRUCIBLE_HOME": "\(dir)/no"])
    }
    #expect(named?.description.contains("\(dir)/no (CRUCIBLE_HOME)") == true)
    // No jail anywhere: both places named.
    try touch("\(dir)/share/crucible/harness/runner.py")
    let home = try RuntimeHome.locate(executable: "\(dir)/bin/crucible", environment: [:])
    let jail = #expect(throws: RuntimeFileMissing.self) { try home.jail() }
    #expect(jail?.description.contains("\(dir)/bin/crucible-jail, \(dir)/libexec/crucible/crucible-jail") == true)
  }

  @Test("The running test binary finds this checkout")
  func running() throws {
    let home = try RuntimeHome.locate(environment: [:])
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    #expect(home.origin == .checkout && home.root == checkout)
  }
}
