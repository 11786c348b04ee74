import AsyncHTTPClient
import Foundation
import JudgeService
import NIOCore
import Support
import TestSupport
import Testing

@testable import Sandbox

let sleepy = HTTP.json(RunCase.python("import time\ntime.sleep(2)\nprint('slept')", ["run_timeout": 10]))
let quick = HTTP.json(RunCase.python("print('quick')"))

@Suite(.timeLimit(.minutes(10))) struct OperationsTests {
  @Test("A full queue answers 429 with Retry-After at once; a place freed admits the next")
  func backPressure() async throws {
    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 1))
    defer { pool.shutdown() }
    try await withServer(Served.settings { $0.queue = 1 }, pool: pool) { served in
      let first = Task { try await HTTP.post(served.url + "/run_code", sleepy) }
      #expect(await eventually { served.server.admission.admitted == 1 })
      let refused = try await HTTP.post(served.url + "/run_code", quick)
      #expect(refused.status == 429, "\(refused.body)")
      #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
      let batch = try await HTTP.post(
        served.url + "/v1/judge", HTTP.json(["task": InlineTasks.data, "candidates": ["a", "b"]]))
      #expect(batch.status == 413, "more jobs than the queue holds: \(batch.body)")
      #expect(try await first.value.json["status"] as? String == "Success")
      let next = try await HTTP.post(served.url + "/run_code", quick)
      #expect(next.status == 200)
      let metrics = try await HTTP.get(served.url + "/metrics").body
      #expect(metrics.contains("crucible_refused_requests_total 1"), "\(metrics.prefix(2000))")
      #expect(metrics.contains("crucible_http_requests_total{route=\"/run_code\",status=\"429\"} 1"))
    }
  }

  @Test("With a token, every route but the probes needs it; a wrong one is refused")
  func token() async throws {
    let token = "s3cret-token-0123456789"
    try await withServer(Served.settings { $0.token = token }) { served in
      #expect(try await HTTP.post(served.url + "/run_code", quick).status == 401)
      #expect(
        try await HTTP.post(served.url + "/run_code", quick, headers: ["Authorization": "Bearer nope"]).status == 401)
      #expect(
        try await HTTP.post(served.url + "/run_code", quick, headers: ["Authorization": "Bearer \(token)x"]).status
          == 401)
      let ok = try await HTTP.post(served.url + "/run_code", quick, headers: ["Authorization": "Bearer \(token)"])
      #expect(ok.status == 200 && ok.json["status"] as? String == "Success")
      #expect(try await HTTP.get(served.url + "/metrics").status == 401)
      #expect(try await HTTP.get(served.url + "/healthz").status == 200)
      #expect(try await HTTP.get(served.url + "/readyz").status == 200)
    }
    var open = ServiceSettings()
    open.host = "0.0.0.0"
    #expect(open.problems().contains { $0.contains("CRUCIBLE_SERVE_TOKEN") })
    open.unauthenticated = true
    #expect(open.problems().isEmpty, "--no-token: a private network, on purpose")
    open.token = "short"
    #expect(open.problems().contains { $0.contains("at least 16") })
  }

  @Test("A client that goes away mid-request: its job is cancelled and the slot serves the next")
  func disconnect() async throws {
    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 1))
    defer { pool.shutdown() }
    try await withServer(pool: pool) { served in
      let forever = HTTP.json(RunCase.python("while True: pass", ["run_timeout": 60]))
      // The client gives up after a second; the run would take a minute.
      await #expect(throws: (any Error).self) { _ = try await HTTP.post(served.url + "/run_code", forever, timeout: 1) }
      #expect(await eventually(within: 20) { served.server.admission.admitted == 0 })
      let next = try await HTTP.post(served.url + "/run_code", quick, timeout: 30)
      #expect(next.json["status"] as? String == "Success", "\(next.body)")
    }
  }

  @Test("A stream's client that goes away: its jobs are cancelled, their places freed")
  func streamDisconnect() async throws {
    try await withServer { served in
      let spinning = HTTP.json([
        "task": InlineTasks.data, "candidates": Array(repeating: "def square(x):\n    while True: pass\n", count: 8),
        "timeout": 10,
      ])
      var request = HTTPClientRequest(url: served.url + "/v1/judge/stream")
      request.method = .POST
      request.body = .bytes(ByteBuffer(string: spinning))
      let client = Task {
        let response = try await HTTP.client.execute(request, timeout: .seconds(60))
        for try await _ in response.body {}
      }
      #expect(await eventually { served.server.admission.admitted == 8 })
      client.cancel()
      // Eight candidates of eight tests of ten seconds: minutes, were they not cancelled.
      #expect(await eventually(within: 20) { served.server.admission.admitted == 0 })
    }
  }

  @Test("A body declared past the cap is refused at once, before it is sent")
  func declaredTooLarge() async throws {
    try await withServer { served in
      let port = try #require(URL(string: served.url)?.port)
      let answer = try await offThePool { () -> String in
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
        let head = "POST /run_code HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n{"
        _ = head.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
      }
      #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
    }
  }

  @Test("A jail killed from outside fails that request as a SandboxError; the next succeeds")
  func jailKilled() async throws {
    let pool = try await SandboxPool.start(.detect(mode: .warm, workers: 1))
    defer { pool.shutdown() }
    try await withServer(pool: pool) { served in
      _ = try await HTTP.post(served.url + "/run_code", quick)
      let jail = try #require(pool.jailProcessIDs().first)
      let slow = Task { try await HTTP.post(served.url + "/run_code", sleepy) }
      #expect(await eventually { served.server.admission.admitted == 1 })
      try await Task.sleep(for: .milliseconds(300))
      kill(jail, SIGKILL)
      let failed = try await slow.value
      #expect(failed.status == 200 && failed.json["status"] as? String == "SandboxError", "\(failed.body)")
      let next = try await HTTP.post(served.url + "/run_code", quick)
      #expect(next.json["status"] as? String == "Success", "\(next.body)")
    }
  }
}

/// The built `crucible`, next to the test bundle.
let crucible = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
  .appendingPathComponent("crucible").path

@Suite(.timeLimit(.minutes(10))) struct ServeProcessTests {
  @Test("SIGTERM under load: every request is answered (done, or 503 once the grace ran out), then exit 0")
  func sigterm() async throws {
    let port = try #require(Loopback.freePort(), "no free loopback port")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: crucible)
    process.arguments = ["serve", "--port", "\(port)", "--workers", "1", "--grace", "3"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let url = "http://127.0.0.1:\(port)"
    var up = false
    for _ in 0..<600 where !up {
      up = (try? await HTTP.get(url + "/healthz"))?.status == 200
      if !up { try await Task.sleep(for: .milliseconds(50)) }
    }
    #expect(up)
    // Eight runs of two seconds on one slot: about three finish in the grace.
    let requests = (0..<8).map { _ in Task { try await HTTP.post(url + "/run_code", sleepy, timeout: 60) } }
    try await Task.sleep(for: .milliseconds(500))
    kill(process.processIdentifier, SIGTERM)
    var statuses: [Int] = []
    for request in requests {
      let answer = try await request.value
      statuses.append(answer.status)
      if answer.status == 200 {
        #expect(answer.json["status"] as? String == "Success", "\(answer.body)")
      } else {
        #expect(answer.status == 503 && (answer.json["error"] as? String ?? "").contains("shutting down"))
      }
    }
    #expect(statuses.contains(200) && statuses.contains(503), "\(statuses)")
    try await offThePool { process.waitUntilExit() }
    #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(printed.hasPrefix("listening on http://127.0.0.1:\(port)"))
  }

  @Test("Bound beyond loopback without a token, serve refuses to start and says why")
  func refusesOpenPort() async throws {
    let (stdout, succeeded) = try await output(of: crucible, ["serve", "--host", "0.0.0.0", "--port", "0"])
    #expect(!succeeded)
    _ = stdout
  }
}

@Suite(.timeLimit(.minutes(5))) struct ManifestTests {
  @Test("docs/k8s-serve.yaml passes kubernetes-validate; a broken copy does not")
  func manifest() async throws {
    let python = try ToolsPython.path()
    let validate = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent(
      "kubernetes-validate"
    ).path
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let manifest = root.appendingPathComponent("docs/k8s-serve.yaml").path
    let (good, passed) = try await output(of: validate, ["--strict", manifest])
    #expect(passed, "\(String(decoding: good, as: UTF8.self))")
    let broken = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-serve-broken-\(getpid()).yaml")
    let text = try String(contentsOfFile: manifest, encoding: .utf8)
    try text.replacingOccurrences(of: "readinessProbe:", with: "readynessProbe:").write(
      to: broken, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: broken) }
    let (_, brokenPassed) = try await output(of: validate, ["--strict", broken.path])
    #expect(!brokenPassed)
  }
}

@Suite(.timeLimit(.minutes(1))) struct AdmissionTests {
  @Test("The queue: all of a request's jobs or none; a time to retry from the jobs ahead; nothing once draining")
  func admission() {
    let admission = Admission(capacity: 4, workers: 2)
    #expect(admission.admit(3) == nil)
    #expect(admission.admit(2) == .full(retryAfter: 1))
    #expect(admission.admitted == 3, "a refused request takes no place")
    for _ in 0..<50 { admission.record(seconds: 10) }
    // Three jobs ahead of about ten seconds each, on two slots.
    guard case .full(let wait)? = admission.admit(2) else {
      Issue.record("admitted past the capacity")
      return
    }
    #expect((12...16).contains(wait), "\(wait)")
    #expect(admission.admit(5) == .tooLarge(capacity: 4))
    admission.release(3)
    #expect(admission.admit(4) == nil)
    admission.release(4)
    admission.drain()
    #expect(admission.admit(1) == .draining && admission.admitted == 0)
  }
}
