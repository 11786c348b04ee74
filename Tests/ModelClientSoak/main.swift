import Foundation
import LanguageModel
import TestSupport

// A soak of the model client, in a process of its own so that what it
// measures is its own: `model-client-soak REQUESTS CONCURRENCY`. REQUESTS
// requests through one client against the fault server on loopback, a
// mix of good answers (streamed at full speed or paced), every fault, and
// cancellations at random moments (waiting for a slot, connecting, mid-
// request, mid-stream). Each request's behaviour is chosen from its
// index, so its outcome is known: every one is accounted for. Descriptors
// and resident memory are measured before (once a first client has made
// NIO's shared event loops, which live as long as the process), after a
// warm-up, at the end and after shutdown. Prints one JSON object; exits 0 unless it could
// not run. Bounded: it stops issuing requests after `seconds` (240).

enum Kind: String, CaseIterable {
  // No whole answers to stream requests: the client would take the
  // server for one that does not stream (StreamingTests tests that).
  case streamed, paced
  case status500, status401, rateLimited, html, garbage, invalidUTF8, missingField, truncated, hangUp, reset
  case cutMidStream, stallMidStream, oversize, redirect
  case cancelHeld, cancelPaced

  /// How often, out of 100.
  var weight: Int {
    switch self {
    case .streamed: 52
    case .paced: 3
    case .cancelHeld, .cancelPaced: 8
    default: 1
    }
  }

  var behavior: FaultServer.Behavior {
    switch self {
    case .streamed: .dynamic
    case .paced: .paced(interval: 0.005)
    case .status500: .status(500)
    case .status401: .status(401)
    case .rateLimited: .status(429, headers: ["Retry-After": "0"])
    case .html: .malformed
    case .garbage: .garbage
    case .invalidUTF8: .invalidUTF8
    case .missingField: .missingField
    case .truncated: .truncated
    case .hangUp: .hangUp
    case .reset: .reset
    case .cutMidStream: .cutMidStream(after: 2)
    case .stallMidStream: .stallMidStream(after: 2)
    case .oversize: .oversize(bytes: 100_000)
    case .redirect: .redirect("http://127.0.0.1:1/v1/completions")
    case .cancelHeld: .hold
    case .cancelPaced: .paced(interval: 0.05)
    }
  }

  /// The outcome it must have: "answered", "cancelled", or a failure's code.
  var expected: Set<String> {
    switch self {
    case .streamed, .paced: ["answered"]
    case .status500, .status401, .rateLimited: ["status"]
    case .html, .garbage, .invalidUTF8, .missingField: ["malformed"]
    // A hang-up before the answer: the connection closed, or reset.
    case .truncated, .hangUp, .reset, .cutMidStream: ["connectionLost"]
    case .stallMidStream: ["stalled"]
    case .oversize: ["tooLarge"]
    case .redirect: ["redirect"]
    case .cancelHeld, .cancelPaced: ["cancelled"]
    }
  }
}

/// Request `index`'s kind: a fixed shuffle of the weights.
func kind(of index: Int) -> Kind {
  var x = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
  x ^= x >> 31
  x = x &* 0xBF58_476D_1CE4_E5B9
  x ^= x >> 29
  var slot = Int(x % 100)
  for kind in Kind.allCases {
    if slot < kind.weight { return kind }
    slot -= kind.weight
  }
  return .streamed
}

func descriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.count ?? -1 }

func residentKiB() -> Int {
  let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
  let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
  return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 10_000
let concurrency = arguments.dropFirst().first ?? 8
let warmUp = min(1000, total / 10)
let seconds = 240.0

let server = try FaultServer(
  keepsBodies: false,
  choose: { body in
    guard let start = body.range(of: "#request-"), let index = Int(body[start.upperBound...].prefix { $0.isNumber })
    else { return nil }
    return kind(of: index).behavior
  })
// The idle timeout is short (stalls are a tenth of the mix) but not so
// short that a good paced stream looks stalled when other processes keep
// this one off the CPU: at 0.3 s one did, with a load average of 15.
let configuration = ServerConfiguration(
  baseURL: URL(string: server.baseURL)!, model: "soak", api: .completions, requestTimeout: 20, idleTimeout: 1.5,
  retries: 0, concurrency: concurrency, backoff: 0.01, maxBackoff: 0.01, maxAnswerBytes: 64 << 10)
let primed = try await ModelClient.with(configuration) {
  try await $0.complete(.prompt("prime\n"), sampling: Sampling(), seed: 0).text
}
guard primed == "    return 0\n", await eventually(within: 10, { server.openConnections == 0 }) else {
  FileHandle.standardError.write(Data("model-client-soak: the first request was not answered\n".utf8))
  exit(1)
}
let before = (fds: descriptors(), kib: residentKiB())
let client = ModelClient(configuration)
let started = ContinuousClock.now
var outcomes = [String?](repeating: nil, count: total)
var warm = (fds: 0, kib: 0)

/// One request's outcome.
func run(_ index: Int) async -> String {
  let request = Task {
    try await client.complete(.prompt("def f():\n#request-\(index)\n"), sampling: Sampling(), seed: UInt64(index))
  }
  if kind(of: index).expected == ["cancelled"] {
    try? await Task.sleep(for: .milliseconds(Int.random(in: 0...40)))
    request.cancel()
  }
  switch await request.result {
  case .success(let answer): return answer.text == "    return 0\n" ? "answered" : "wrong text"
  case .failure(let error as ModelServerError):
    if !kind(of: index).expected.contains(error.code.rawValue) { return "\(error.code.rawValue): \(error.message)" }
    return error.code.rawValue
  case .failure(is CancellationError): return "cancelled"
  case .failure(let error): return "unexpected: \(error)"
  }
}

await withTaskGroup(of: (Int, String).self) { group in
  var next = 0
  // More callers than slots: some wait at the gate (and are cancelled there).
  for _ in 0..<min(total, concurrency + concurrency / 2) {
    let index = next
    group.addTask { (index, await run(index)) }
    next += 1
  }
  var done = 0
  for await (index, outcome) in group {
    outcomes[index] = outcome
    done += 1
    if done == warmUp { warm = (descriptors(), residentKiB()) }
    if next < total, ContinuousClock.now - started < .seconds(seconds) {
      let index = next
      group.addTask { (index, await run(index)) }
      next += 1
    }
  }
}
let end = (fds: descriptors(), kib: residentKiB())
let elapsed = (ContinuousClock.now - started)
await client.shutdown()
let closed = await eventually(within: 10) { server.openConnections == 0 }
let after = (fds: descriptors(), kib: residentKiB())

var byOutcome: [String: Int] = [:]
var mismatches: [String] = []
for (index, outcome) in outcomes.enumerated() {
  let outcome = outcome ?? "not run"
  byOutcome[outcome, default: 0] += 1
  if !kind(of: index).expected.contains(outcome) { mismatches.append("#\(index) \(kind(of: index)): \(outcome)") }
}
let answered = byOutcome["answered"] ?? 0
let cancelled = byOutcome["cancelled"] ?? 0
let report: [String: Any] = [
  "requests": total, "concurrency": concurrency, "seconds": Double(elapsed.components.seconds), "outcomes": byOutcome,
  "mismatches": mismatches.count, "first_mismatches": Array(mismatches.prefix(10)),
  "server_requests": server.requestCount,
  "server_departures": server.departures, "connections_closed": closed,
  "fds": ["before": before.fds, "warm": warm.fds, "end": end.fds, "after_shutdown": after.fds],
  "rss_kib": ["before": before.kib, "warm": warm.kib, "end": end.kib, "after_shutdown": after.kib],
  "meter": ["answers": client.meter.snapshot.answers, "tokens": client.meter.snapshot.tokens],
  "answered": answered, "cancelled": cancelled,
]
server.stop()
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
