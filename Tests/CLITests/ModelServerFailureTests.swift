import Foundation
import Store
import TestSupport
import Testing

/// `crucible solve --policy openai` when the server fails: exit 2 with one
/// line naming the URL and what happened, never a hang or a trap; Ctrl-C
/// in the middle of a model call exits 130 and the same command resumes.
@Suite(.timeLimit(.minutes(10))) struct ModelServerFailureTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  enum Failure: String, CaseIterable, Sendable {
    case refused, unauthorized, serverError, html, garbage

    var behavior: FaultServer.Behavior? {
      switch self {
      case .refused: nil
      case .unauthorized: .status(401, body: #"{"error": {"message": "invalid api key"}}"#)
      case .serverError: .status(500)
      case .html: .malformed
      case .garbage: .garbage
      }
    }
    /// What the line says besides the URL.
    var words: [String] {
      switch self {
      case .refused: ["connection refused"]
      case .unauthorized: ["HTTP 401", "invalid api key"]
      case .serverError: ["HTTP 500"]
      case .html: ["HTTP 200", "text/html", "not JSON"]
      case .garbage: ["HTTP 200", "not valid UTF-8"]
      }
    }
    /// Tries of one request: 401 is not asked again.
    var tries: Int { self == .unauthorized ? 1 : 3 }
  }

  func suite(in dir: String) throws -> String {
    let path = "\(dir)/tasks.jsonl"
    try Data(LanguageModelCommandTests.suite.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The default concurrency (4; two tasks at once with two samples each
  /// on two cores) and one request at a time.
  @Test(
    "A refused port, 401, 500, HTML, garbage: exit 2 within the retry budget, one line naming the URL and the status",
    arguments: Failure.allCases, [nil, 1])
  func fails(_ failure: Failure, concurrency: Int?) async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try failure.behavior.map { try FaultServer(fallback: $0) }
    defer { server?.stop() }
    let url = server?.baseURL ?? "http://127.0.0.1:\(FaultServer.refusingPort())/v1"
    let started = ContinuousClock.now
    let result = try await CLI.run(
      [
        "solve", try suite(in: dir), "--policy", "openai", "--base-url", url, "--model", "m", "--api", "completions",
        "--budget", "proposals=2,runs=2,seconds=600", "--retries", "2", "--out", dir,
      ] + (concurrency.map { ["--concurrency", String($0)] } ?? []))
    // Two retries back off at most 0.5 + 1 s: the run ends on the failure,
    // long before the seconds budget (a bound loose enough for a loaded
    // machine, where starting the sandbox alone has taken 25 s).
    #expect(ContinuousClock.now - started < .seconds(300))
    #expect(result.status == 2, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    let line = String(lines.first ?? "")
    #expect(line.hasPrefix("crucible: ") && line.contains("\(url)/completions"), "\(line)")
    for word in failure.words { #expect(line.contains(word), "\(line)") }
    #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("backtrace"))
    if let server, concurrency == 1 {
      // One request at a time: the first fails after its tries; those
      // waiting for the slot are cancelled (one may take the slot the
      // failed request gave back before the cancellation reaches it). At
      // the default concurrency four go out at once, and each is retried.
      #expect((failure.tries...failure.tries + 1).contains(server.requests.count), "\(server.requests.count)")
    }
  }

  @Test("eval with a 401: exit 2, one line naming the URL and the status, not a hang")
  func evalUnauthorized() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try FaultServer(fallback: .status(401))
    defer { server.stop() }
    let result = try await CLI.run([
      "eval", try suite(in: dir), "--policy", "openai", "--base-url", server.baseURL, "--model", "m", "--samples", "2",
      "--report", "\(dir)/report",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("\(server.baseURL)/chat/completions: HTTP 401"), "\(result.stderr)")
  }

  @Test("The issue's command: no server on port 9, exit 2, one line, no backtrace")
  func unreachable() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let result = try await CLI.run(
      [
        "solve", "tasks/examples", "--policy", "openai", "--base-url", "http://127.0.0.1:9/v1", "--model", "x", "--api",
        "completions", "--out", dir,
      ], in: Self.root)
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("http://127.0.0.1:9/v1/completions: connection refused (after 5 tries)"))
  }

  @Test(
    "Ctrl-C during a model call: exit 130 at once, the request cancelled, nothing recorded lost; the same command resumes"
  )
  func interrupted() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let suite = try suite(in: dir)
    // The first task's two samples are answered; the next request is held.
    let server = try FaultServer(
      script: [.dynamic, .dynamic, .hold], fallback: .dynamic, answer: LanguageModelCommandTests.answer)
    defer { server.stop() }
    let arguments = [
      "solve", suite, "--policy", "openai", "--base-url", server.baseURL, "--model", "scripted", "--api", "completions",
      "--budget", "proposals=2,runs=2,seconds=600", "--workers", "1", "--concurrency", "1", "--out", dir,
    ]
    let run = try CLI.start(arguments)
    #expect(await eventually(within: 60) { server.requests.count == 3 }, "the held request arrives")
    let interrupted = ContinuousClock.now
    kill(run.process.processIdentifier, SIGINT)
    // When it ended, seen from a thread of its own: polling from the task
    // pool, which the rest of the suite keeps busy, read 12 s for an exit
    // that took less than one.
    let exited = try await offThePool { () -> ContinuousClock.Instant in
      run.process.waitUntilExit()
      return .now
    }
    // The held request is never answered, so any bound shows the exit did
    // not wait for it; this one leaves room for a loaded machine.
    #expect(exited - interrupted < .seconds(20))
    let result = try await run.finish()
    #expect(result.status == 130, "\(result.stderr)")
    #expect(result.stderr.contains("interrupted") && result.stderr.contains("the same command resumes"))
    #expect(!result.stderr.contains("infrastructure failure"), "\(result.stderr)")
    #expect(await eventually { server.departures == 1 }, "the held request's connection was closed")

    let store = try RunStore(path: "\(dir)/store.sqlite")
    let runID = try #require(try await store.runs().first).id
    let before = try await store.attempts(run: runID).map { "\($0.taskID)#\($0.step)#\($0.index)#\($0.selection)" }
    #expect(before.count == 2, "\(before)")  // inc: its public run and its hidden run
    let resumed = try await CLI.run(arguments)
    #expect(resumed.status == 0, "\(resumed.stderr.suffix(1500))")
    #expect(resumed.stderr.contains("resuming run-"))
    let after = try await store.attempts(run: runID).map { "\($0.taskID)#\($0.step)#\($0.index)#\($0.selection)" }
    #expect(Array(after.prefix(before.count)) == before && after.count == 6)
  }

  @Test("Streamed answers: tokens per second on each progress line, the model's totals at the end")
  func progress() async throws {
    let dir = try scratch("crucible-cli")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let server = try FaultServer(answer: LanguageModelCommandTests.answer)
    defer { server.stop() }
    let result = try await CLI.run([
      "solve", try suite(in: dir), "--policy", "openai", "--base-url", server.baseURL, "--model", "scripted",
      "--api", "completions", "--budget", "proposals=2,runs=2,seconds=600", "--workers", "1", "--out", dir,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let items = result.stderr.split(separator: "\n").filter { $0.hasPrefix("[") }
    #expect(items.count == 3 && items.allSatisfy { $0.hasSuffix(" tok/s") }, "\(result.stderr)")
    #expect(result.stderr.contains("crucible: model: 6 answers (6 streamed)"), "\(result.stderr)")
    #expect(server.streamedAnswers == 6)
  }
}
