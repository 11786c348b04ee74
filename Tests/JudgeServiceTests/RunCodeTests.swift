import Foundation
import JudgeService
import Sandbox
import Support
import TestSupport
import Testing

/// Runs `body` against a server of its own, stopped afterwards.
func withServer<T>(
  _ settings: ServiceSettings = Served.settings(), pool: SandboxPool? = nil, _ body: (Served) async throws -> T
) async throws -> T {
  let served = try await Served.start(settings, pool: pool)
  do {
    let value = try await body(served)
    await served.stop()
    return value
  } catch {
    await served.stop()
    throw error
  }
}

/// One /run_code request and what its answer must be.
struct RunCase: Sendable, CustomStringConvertible {
  let name: String
  let request: String
  let status: Int
  /// A problem with the answer, or nil.
  let check: @Sendable (Answer) -> String?
  var description: String { name }

  init(_ name: String, _ request: [String: Any], status: Int = 200, _ check: @escaping @Sendable (Answer) -> String?) {
    self.name = name
    self.request = HTTP.json(request)
    self.status = status
    self.check = check
  }

  init(_ name: String, raw: String, status: Int, _ check: @escaping @Sendable (Answer) -> String?) {
    self.name = name
    request = raw
    self.status = status
    self.check = check
  }

  static func python(_ code: String, _ more: [String: Any] = [:]) -> [String: Any] {
    ["code": code, "language": "python"].merging(more) { $1 }
  }

  /// The answer's status, run status and return code are these.
  static func ended(_ status: String, _ run: String? = "Finished", code: Int?) -> @Sendable (Answer) -> String? {
    { answer in
      let json = answer.json
      let result = json["run_result"] as? [String: Any]
      let got = (json["status"] as? String, result?["status"] as? String, result?["return_code"] as? Int)
      return got == (status, run, code) ? nil : "got \(got): \(answer.body.prefix(600))"
    }
  }

  static func error(naming words: String...) -> @Sendable (Answer) -> String? {
    { answer in
      let message = answer.json["error"] as? String ?? ""
      return words.allSatisfy(message.contains) ? nil : "the error \(message) does not name \(words)"
    }
  }
}

extension RunCase {
  /// The documented results, and the hostile programs of the jail's
  /// catalogue that matter to an execution service.
  static let documented: [RunCase] = [
    RunCase("ok", python("print('hello')"), ended("Success", code: 0)),
    RunCase("error", python("raise ValueError('nope')"), ended("Failed", code: 1)),
    RunCase("exit code", python("import sys; sys.exit(5)"), ended("Failed", code: 5)),
    RunCase("timeout", python("while True: pass", ["run_timeout": 1]), ended("Failed", "TimeLimitExceeded", code: nil)),
    RunCase(
      "sleep past the timeout", python("import time; time.sleep(60)", ["run_timeout": 1]),
      ended("Failed", "TimeLimitExceeded", code: nil)),
    RunCase("stdin", python("print(input()[::-1])", ["stdin": "abc\n"])) { answer in
      ((answer.json["run_result"] as? [String: Any])?["stdout"] as? String) == "cba\n" ? nil : answer.body
    },
    RunCase("unsupported language", ["code": "int main(){}", "language": "cpp"]) { answer in
      answer.json["status"] as? String == "SandboxError" && (answer.json["message"] as? String ?? "").contains("cpp")
        ? nil : answer.body
    },
  ]

  static let hostile: [RunCase] = [
    // The trusted side reads an exception's description from a pipe the
    // program's process holds; written by hand, it cannot change the code.
    RunCase(
      "a forged exception description, then exit 3",
      python(
        "import json, os\nfor fd in range(3, 64):\n    try: os.write(fd, json.dumps({'type': 'Forged', 'message': 'x', "
          + "'line': 1}).encode())\n    except OSError: pass\nos._exit(3)")
    ) { answer in
      let result = answer.json["run_result"] as? [String: Any] ?? [:]
      return result["return_code"] as? Int == 3 && !(result["stderr"] as? String ?? "").contains("Forged")
        ? nil : answer.body
    },
    // A control byte is six in JSON: the output cap keeps the answer small.
    RunCase("an output of control bytes past the cap", python("import sys\nsys.stdout.write('\\x01' * (2 << 20))")) {
      let message = $0.json["message"] as? String ?? ""
      return $0.json["status"] as? String == "Failed" && message.contains("output cap") && $0.body.utf8.count < 8 << 20
        ? nil : String($0.body.prefix(300))
    },
    RunCase(
      "fork bomb", python("import os\nwhile True:\n    try: os.fork()\n    except OSError: pass", ["run_timeout": 2])
    ) {
      ($0.json["status"] as? String) == "Failed" ? nil : $0.body
    },
    RunCase("memory balloon", python("x = bytearray(1 << 34)", ["memory_limit_MB": 64])) {
      ($0.json["status"] as? String) == "Failed" ? nil : $0.body
    },
    RunCase("output flood", python("import sys\nwhile True: sys.stdout.write('x' * 65536)", ["run_timeout": 5])) {
      let stdout = (($0.json["run_result"] as? [String: Any])?["stdout"] as? String) ?? ""
      return ($0.json["status"] as? String) == "Failed" && stdout.utf8.count <= 8 << 20
        ? nil : String($0.body.prefix(300))
    },
    RunCase("a network connection", python("import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=1)")) {
      let stderr = (($0.json["run_result"] as? [String: Any])?["stderr"] as? String) ?? ""
      return ($0.json["status"] as? String) == "Failed" && stderr.contains("Error") ? nil : $0.body
    },
    RunCase(
      "terminal escapes in the output",
      python("import sys\nprint('\\x1b]0;owned\\x07\\u202e\\x9b')\nsys.stderr.write('\\x1b[2J')")
    ) { answer in
      // The document holds no raw control character: each is a JSON escape.
      let hidden = HostileText.hidden(in: answer.body, multiline: true)
      return hidden.isEmpty && (answer.json["status"] as? String) == "Success" ? nil : "raw: \(hidden)"
    },
    RunCase("kill every process it can see", python("import os, signal\nos.kill(-1, signal.SIGKILL)\nprint('alive')")) {
      ($0.json["status"] as? String) != "SandboxError" ? nil : $0.body
    },
    // Landlock refuses a link made in the sandbox; were one made, the
    // trusted side, which reads the files, would not follow it.
    RunCase(
      "a link to a file outside, fetched",
      python("import os\nos.symlink('/etc/passwd', 'out')", ["fetch_files": ["out"]])
    ) { answer in
      let files = answer.json["files"] as? [String: Any] ?? [:]
      return files.isEmpty && (answer.json["message"] as? String ?? "").contains("out (not") ? nil : answer.body
    },
    RunCase(
      "a fetched directory link", python("import os\nos.symlink('/', 'root')", ["fetch_files": ["root/etc/passwd"]])
    ) { answer in (answer.json["files"] as? [String: Any] ?? [:]).isEmpty ? nil : answer.body },
  ]

  static let refused: [RunCase] = [
    RunCase(
      "a key twice", raw: #"{"code": "print(1)", "language": "python", "code": "print(2)"}"#, status: 400,
      error(naming: "code", "twice")),
    RunCase(
      "a file that is another's directory", python("1", ["files": ["a": "", "a/b": ""]]), status: 400,
      error(naming: "files[a]", "directory")),
    RunCase(
      "a path part too long", python("1", ["files": [String(repeating: "x", count: 300): ""]]), status: 400,
      error(naming: "files", "255")),
    RunCase("not JSON", raw: "{code: 1", status: 400, error(naming: "not JSON")),
    RunCase("no code", ["language": "python"], status: 400, error(naming: "code", "required")),
    RunCase("code not a string", ["language": "python", "code": 5], status: 400, error(naming: "code", "5")),
    RunCase("a timeout past the cap", python("1", ["run_timeout": 1e9]), status: 400, error(naming: "run_timeout")),
    RunCase("a negative timeout", python("1", ["run_timeout": -1]), status: 400, error(naming: "run_timeout", "-1")),
    RunCase(
      "bad base64", python("1", ["files": ["a.txt": "%%%"]]), status: 400, error(naming: "files[a.txt]", "base64")),
    RunCase("a file out of /work", python("1", ["files": ["../x": ""]]), status: 400, error(naming: "files", "../x")),
    RunCase(
      "a fetch out of /work", python("1", ["fetch_files": ["/etc/passwd"]]), status: 400,
      error(naming: "fetch_files", "/etc/passwd")),
    RunCase("language missing", ["code": "1"], status: 400, error(naming: "language")),
  ]
}

// One case at a time, for the same reason as the hostile catalogue.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RunCodeTests {
  @Test(
    "/run_code: documented results, hostile programs and refused requests",
    arguments: RunCase.documented + RunCase.hostile + RunCase.refused)
  func runCode(_ c: RunCase) async throws {
    // One slot: what a program leaves must not reach the next request.
    let pool = try await Pools.shared.pool(.warm, workers: 1)
    try await withServer(pool: pool) { served in
      let answer = try await HTTP.post(served.url + "/run_code", c.request)
      #expect(answer.status == c.status, "\(c.name): \(answer.body.prefix(400))")
      if let problem = c.check(answer) { Issue.record("\(c.name): \(problem)") }
      #expect(HostileText.hidden(in: answer.body, multiline: true).isEmpty, "\(c.name)")
      // The slot serves the next request as if nothing had run.
      let next = try await HTTP.post(
        served.url + "/run_code", HTTP.json(RunCase.python("import os; print(sorted(os.listdir('.')))")))
      #expect(next.json["status"] as? String == "Success", "after \(c.name): \(next.body)")
      #expect((next.json["run_result"] as? [String: Any])?["stdout"] as? String == "[]\n", "after \(c.name)")
      #expect(served.server.admission.admitted == 0)
    }
  }

  @Test("Files in, files out: bytes exactly, in subdirectories; missing and oversized ones named")
  func files() async throws {
    try await withServer { served in
      let payload = Data((0..<4096).map { UInt8($0 % 256) })
      let request = RunCase.python(
        "data = open('in/a.bin', 'rb').read()\nimport os\nos.makedirs('out', exist_ok=True)\n"
          + "open('out/b.bin', 'wb').write(data[::-1])\nopen('big', 'wb').write(b'x' * (5 << 20))",
        ["files": ["in/a.bin": payload.base64EncodedString()], "fetch_files": ["out/b.bin", "none", "big"]])
      let answer = try await HTTP.post(served.url + "/run_code", HTTP.json(request))
      let files = answer.json["files"] as? [String: String] ?? [:]
      #expect(files.keys.sorted() == ["out/b.bin"], "\(answer.body.prefix(500))")
      #expect(files["out/b.bin"].flatMap { Data(base64Encoded: $0) } == Data(payload.reversed()))
      let message = answer.json["message"] as? String ?? ""
      #expect(message.contains("none (not found)") && message.contains("big (larger than"), "\(message)")
      #expect(answer.json["status"] as? String == "Success")
    }
  }

  @Test("A body past the cap is refused with 413 before it is read whole")
  func bodyCap() async throws {
    try await withServer(Served.settings { $0.maxBodyBytes = 4096 }) { served in
      let big = HTTP.json(RunCase.python(String(repeating: "#", count: 10_000)))
      let answer = try await HTTP.post(served.url + "/run_code", big)
      #expect(answer.status == 413, "\(answer.body)")
      #expect((answer.json["error"] as? String ?? "").contains("4096"))
    }
  }
}

@Suite(.timeLimit(.minutes(10))) struct SandboxFusionClientTests {
  @Test("SandboxFusion's own client (PyPI sandbox-fusion 0.3.7) gets the documented results")
  func client() async throws {
    let python = try ToolsPython.path()
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("sandbox_fusion_client.py").path
    // A pool of its own: on the module's shared one, its first request
    // waited past the client's timeout behind the tamper table's jobs.
    let pool = try await Pools.shared.pool(.warm, own: "sandbox-fusion")
    try await withServer(pool: pool) { served in
      let (stdout, succeeded) = try await output(of: python, [script, served.url])
      let text = String(decoding: stdout, as: UTF8.self)
      #expect(succeeded, "\(text)")
      let lines = text.split(separator: "\n")
      #expect(lines.count == 12 && lines.allSatisfy { $0.hasPrefix("ok ") }, "\(text)")
    }
  }
}

// One case at a time: every case's jobs go to the same single slot, and a
// hundred at once would wait behind each other past any client's timeout.
@Suite(.serialized, .timeLimit(.minutes(20))) struct HostileThroughHTTPTests {
  static let clean = """
    import os
    left = [p for p in ("/dev/shm/marker", "/tmp/marker", "/work/marker", "/tmp/late") if os.path.exists(p)]
    modes = ["%o" % (os.stat(p).st_mode & 0o7777) for p in ("/work", "/tmp", "/dev/shm")]
    print("clean", left, sorted(os.listdir("/work")), sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")), modes)
    """

  @Test(
    "The jail's hostile catalogue through /run_code: nothing allowed or leaked, the host untouched, the next run clean",
    arguments: HostileCase.all)
  func hostile(_ hostile: HostileCase) async throws {
    // One slot: the next request runs where the hostile one ran.
    let pool = try await Pools.shared.pool(.warm, workers: 1)
    let fixtures = HostFixtures.shared
    try await withServer(pool: pool) { served in
      let request = RunCase.python(
        hostile.program(fixtures), ["run_timeout": Double(hostile.wallMilliseconds) / 1000])
      let answer = try await HTTP.post(served.url + "/run_code", HTTP.json(request))
      let context = "\(hostile.id): \(answer.body.prefix(1500))"
      let status = answer.json["status"] as? String
      #expect(answer.status == 200 && (status == "Success" || status == "Failed"), "\(context)")
      let stdout = (answer.json["run_result"] as? [String: Any])?["stdout"] as? String ?? ""
      #expect(!stdout.contains("ALLOWED"), "\(context)")
      #expect(!answer.body.contains(fixtures.secret), "the secret leaked; \(context)")
      #expect(HostileText.hidden(in: answer.body, multiline: true).isEmpty, "\(context)")
      #expect(fixtures.violations() == [], "\(context)")
      let after = try await HTTP.post(served.url + "/run_code", HTTP.json(RunCase.python(Self.clean)))
      let seen = (after.json["run_result"] as? [String: Any])?["stdout"] as? String
      #expect(seen == "clean [] [] [] [] ['755', '1777', '1777']\n", "after \(hostile.id): \(after.body.prefix(600))")
      #expect(served.server.admission.admitted == 0)
    }
  }
}
