import Foundation
import TestSupport
import Testing

/// 10,000 requests through one client at concurrency 8 against the fault
/// server on loopback: good answers, every fault, cancellations at random
/// moments. Run by `model-client-soak` in a process of its own, so the
/// descriptors and memory it measures are the client's and the server's,
/// not other tests'.
@Suite(.timeLimit(.minutes(10))) struct SoakTests {
  static let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("model-client-soak").path

  @Test("10,000 requests, faults and cancellations: no crash, no descriptor or memory growth, all accounted for")
  func soak() async throws {
    // A minute of waiting on a child process, off the cooperative pool.
    let (data, exited) = try await output(of: Self.executable, ["10000", "8"])
    #expect(exited, "no crash")
    let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    print("soak:", String(decoding: data, as: UTF8.self))
    let outcomes = try #require(report["outcomes"] as? [String: Int])
    #expect(outcomes.values.reduce(0, +) == 10_000 && outcomes["not run"] == nil, "\(outcomes)")
    #expect(report["mismatches"] as? Int == 0, "\(report["first_mismatches"] ?? "")")
    // Each kind is in the mix: thousands answered, hundreds cancelled, every fault code.
    #expect((outcomes["answered"] ?? 0) > 5000 && (outcomes["cancelled"] ?? 0) > 1000)
    for code in ["status", "malformed", "connectionLost", "stalled", "tooLarge", "redirect"] {
      #expect((outcomes[code] ?? 0) > 0, "\(code)")
    }
    // What the server saw: every request that was not cancelled, and
    // some that were (cancelled after they left); one more, the first.
    let received = try #require(report["server_requests"] as? Int) - 1
    #expect(received >= 10_000 - (outcomes["cancelled"] ?? 0) && received <= 10_000)
    #expect(report["connections_closed"] as? Bool == true)
    let fds = try #require(report["fds"] as? [String: Int])
    let rss = try #require(report["rss_kib"] as? [String: Int])
    // Descriptors: the pool's kept-alive connections (both ends) at most,
    // and after shutdown none left.
    #expect(fds["after_shutdown"] == fds["before"], "\(fds)")
    #expect((fds["end"] ?? 0) - (fds["warm"] ?? 0) <= 16, "\(fds)")
    // Memory: 9,000 requests after the warm-up add less than 8 MiB (a
    // leak of a connection or a body per request would add tens).
    #expect((rss["end"] ?? 0) - (rss["warm"] ?? 0) < 8 << 10, "\(rss)")
    #expect(report["seconds"] as? Double ?? 999 < 240)
  }
}
