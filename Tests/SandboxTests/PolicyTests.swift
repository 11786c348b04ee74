import Foundation
import TestSupport
import Testing

@testable import Sandbox

@Suite(.timeLimit(.minutes(10))) struct PolicyTests {
  @Test("No system call is in two lists")
  func listsAreDisjoint() {
    let lists = [SeccompPolicy.allowed, SeccompPolicy.refused, SeccompPolicy.forbidden]
    var seen: [String: Int] = [:]
    for (index, list) in lists.enumerated() {
      for name in list {
        #expect(seen[name] == nil, "\(name) is in lists \(seen[name] ?? -1) and \(index)")
        seen[name] = index
      }
    }
  }

  @Test("The policy compiles, with and without user notification", arguments: [true, false])
  func compiles(_ notify: Bool) throws {
    for internet in [true, false] {
      let program = try SeccompPolicy.standard(internet: internet).compile(notify: notify)
      #expect(program.count % 8 == 0 && program.count > 100)
    }
  }

  @Test("Every forbidden or refused call is known to libseccomp on this machine")
  func namesResolve() {
    for name in SeccompPolicy.forbidden + SeccompPolicy.refused + SeccompPolicy.allowed {
      let known = SeccompPolicy.syscallNumbers[name] != nil
      #expect(known || ["nfsservctl", "uselib", "lookup_dcookie", "futex_waitv"].contains(name), "\(name)")
    }
  }

  @Test("The minimum of docs/sandbox.md: each missing layer is named")
  func minimum() {
    let full: Layers = [.seccomp, .mountNamespace, .netNamespace, .pidNamespace]
    #expect(full.missingForMinimum.isEmpty)
    #expect(full.subtracting(.seccomp).missingForMinimum == ["seccomp"])
    #expect(Layers([.seccomp, .landlockFilesystem, .landlockNetwork, .landlockScope]).missingForMinimum.isEmpty)
    #expect(Layers([.seccomp, .mountNamespace, .pidNamespace]).missingForMinimum.count == 1)
    #expect(Layers([.seccomp, .mountNamespace, .netNamespace]).missingForMinimum.count == 1)
  }
}

@Suite(.timeLimit(.minutes(10))) struct ProtocolTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The zygote spells the protocol's tags in Python; they must equal the header's.
  @Test("zygote.py and jail_wire.h agree on every tag")
  func zygoteTags() throws {
    let header = try String(
      contentsOf: Self.root.appendingPathComponent("sandbox/wire/include/jail_wire.h"), encoding: .utf8)
    let zygote = try String(contentsOf: Self.root.appendingPathComponent("harness/zygote.py"), encoding: .utf8)
    var cTags: [String: Int] = [:]
    for match in header.matches(of: /(JW_[A-Z0-9_]+) = (\d+),/) { cTags[String(match.1)] = Int(match.2) }
    var used = 0
    for match in zygote.matches(of: /^(JW_[A-Z0-9_]+) = (\d+)$/.anchorsMatchLineEndings()) {
      #expect(cTags[String(match.1)] == Int(match.2), "\(match.1)")
      used += 1
    }
    #expect(used >= 10)
  }

  @Test("Frames round-trip and malformed payloads are refused")
  func frames() {
    var frame = WireFrame()
    frame.append(7, UInt64(0x0102_0304_0506_0708))
    frame.append(8, "text")
    frame.append(9, "a", "b")
    let records = frame.records()
    #expect(records?.count == 3)
    #expect(records?[0].value.wireUInt64 == 0x0102_0304_0506_0708)
    #expect(records.map { Array($0[2].value) } == [UInt8(ascii: "a"), 0, UInt8(ascii: "b")])
    let encoded = frame.encoded
    #expect(encoded.count == frame.bytes.count + 4)
    #expect(WireFrame(payload: Array(frame.bytes.dropLast())).records() == nil)
  }
}

@Suite(.timeLimit(.minutes(10))) struct PlanTests {
  func configuration(_ change: (inout HostProbe) -> Void) throws -> SandboxConfiguration {
    var probe = HostProbe(
      kernel: "test", euid: 0, landlockABI: 7, seccomp: true, seccompNotify: true,
      namespaces: Dictionary(
        uniqueKeysWithValues: ["userns", "mntns", "pidns", "netns", "ipcns", "utsns", "cgroupns"].map { ($0, "ok") }),
      cgroups: CgroupHost(v1: [:], v2: nil, notes: []))
    change(&probe)
    return SandboxConfiguration(
      mode: .cold, workers: 1,
      python: PythonInterpreter(executable: "/usr/bin/python3", basePrefix: "/usr", version: "3.11.2"),
      components: Components(jail: "/bin/false", harness: "/tmp"), probe: probe)
  }

  @Test("Every layer the kernel offers is planned")
  func fullPlan() throws {
    let plan = try configuration { _ in }.plan()
    #expect(
      plan.layers.isSuperset(of: [
        .seccomp, .landlockFilesystem, .landlockScope, .userNamespace, .pidNamespace, .netNamespace, .mountNamespace,
      ]))
    #expect(plan.landlockABI == 7)
  }

  @Test(
    "Fail closed: a missing required layer is named, with how to get it",
    arguments: [
      ("seccomp", "seccomp"), ("userns", "user namespaces"), ("mntns", "mount namespaces"),
    ])
  func failClosed(_ layer: String, _ mention: String) throws {
    let config = try configuration { probe in
      if layer == "seccomp" { probe.seccomp = false } else { probe.namespaces[layer] = "EPERM" }
    }
    #expect {
      try config.plan()
    } throws: { error in
      guard let error = error as? SandboxError else { return false }
      return error.code == .minimumNotMet && error.message.contains(mention)
    }
  }

  @Test("Without a pid namespace or a net namespace, Landlock must stand in, else the plan refuses")
  func degrade() throws {
    let noPid = try configuration { $0.namespaces["pidns"] = "EPERM" }
    #expect(try noPid.plan().layers.contains(.landlockScope))
    let noPidNoScope = try configuration {
      $0.namespaces["pidns"] = "EPERM"
      $0.landlockABI = 3
      $0.euid = 1000
    }
    #expect(throws: SandboxError.self) { try noPidNoScope.plan() }
    let noNet = try configuration {
      $0.namespaces["netns"] = "EPERM"
      $0.landlockABI = 3
    }
    #expect(throws: SandboxError.self) { try noNet.plan() }
  }
}
