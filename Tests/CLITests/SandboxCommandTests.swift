import Foundation
import TestSupport
import Testing

@Suite(.serialized, .timeLimit(.minutes(10))) struct SandboxCommandTests {
  @Test("doctor exits 0 and lists the active layers")
  func doctor() async throws {
    let text = try await CLI.run(["sandbox", "doctor"])
    #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
    for layer in ["seccomp", "landlock-fs", "user-ns", "pid-ns", "net-ns", "mount-ns", "rlimits"] {
      #expect(text.stdout.contains(layer))
    }
    #expect(text.stdout.contains("ABI"))
    let json = try await CLI.run(["sandbox", "doctor", "--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["ok"] as? Bool == true)
    #expect((object["layers"] as? [String])?.contains("seccomp") == true)
  }

  @Test("run --json reports status, codes, times and layers", arguments: ["cold", "warm"])
  func runJSON(_ mode: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "import sys\nprint('out'); print('err', file=sys.stderr); sys.exit(3)\n"
      .write(toFile: "\(dir)/s.py", atomically: true, encoding: .utf8)
    let result = try await CLI.run(["sandbox", "run", "--json", "--mode", mode, "\(dir)/s.py"])
    #expect(result.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["status"] as? String == "exited")
    #expect(object["exit_code"] as? Int == 3)
    #expect(object["stdout"] as? String == "out\n")
    #expect(object["stderr"] as? String == "err\n")
    for key in ["signal", "wall_ms", "cpu_ms", "peak_memory_kb", "layers"] { #expect(object[key] != nil, "\(key)") }
    try "print('fine')\n".write(toFile: "\(dir)/ok.py", atomically: true, encoding: .utf8)
    let ok = try await CLI.run(["sandbox", "run", "--mode", mode, "\(dir)/ok.py"])
    #expect(ok.status == 0)
    #expect(ok.stdout == "fine\n")
  }

  @Test("a limit reached: status and exit 1")
  func timeout() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "while True: pass\n".write(toFile: "\(dir)/spin.py", atomically: true, encoding: .utf8)
    let result = try await CLI.run(["sandbox", "run", "--json", "--timeout", "0.5", "\(dir)/spin.py"])
    #expect(result.status == 1)
    #expect(result.stdout.contains("\"status\":\"timeout\""))
  }

  @Test(
    "bad input: a clear message naming the problem, and exit 2",
    arguments: [
      (["sandbox", "run", "/nonexistent/x.py"], "no such file"),
      (["sandbox", "run", "/tmp"], "is a directory"),
      (["sandbox", "run", "--timeout", "0", "SCRIPT"], "--timeout"),
      (["sandbox", "run", "--timeout", "-3", "SCRIPT"], "--timeout"),
      (["sandbox", "run", "--memory", "1", "SCRIPT"], "--memory"),
      (["sandbox", "run", "--memory", "lots", "SCRIPT"], "memory"),
      (["sandbox", "run", "--mode", "lukewarm", "SCRIPT"], "mode"),
      (["sandbox", "run"], "file"),
      (["sandbox", "run", "/proc/self/mem"], "cannot read"),
      (["sandbox", "run", "BINARY"], "not UTF-8"),
    ])
  func badInput(_ arguments: [String], _ mention: String) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try "print(1)\n".write(toFile: "\(dir)/s.py", atomically: true, encoding: .utf8)
    try "print(1)\n".write(toFile: "\(dir)/locked.py", atomically: true, encoding: .utf8)
    chmod("\(dir)/locked.py", 0)
    try Data([0xff, 0xfe, 0x00]).write(to: URL(fileURLWithPath: "\(dir)/binary.py"))
    let args = arguments.map {
      $0.replacingOccurrences(of: "SCRIPT", with: "\(dir)/s.py")
        .replacingOccurrences(of: "UNREADABLE", with: "\(dir)/locked.py")
        .replacingOccurrences(of: "BINARY", with: "\(dir)/binary.py")
    }
    let result = try await CLI.run(args)
    #expect(result.status == 2, "\(args): \(result.status) \(result.stderr)")
    #expect(result.stderr.lowercased().contains(mention.lowercased()), "\(args): \(result.stderr)")
    #expect(!result.stderr.contains("Fatal error"))
  }
}
