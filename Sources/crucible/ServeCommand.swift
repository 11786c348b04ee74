import ArgumentParser
import Foundation
import Judge
import JudgeService
import Logging
import Sandbox

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the judge over HTTP: SandboxFusion's /run_code and Crucible's /v1/judge, for RL trainers.",
    discussion: """
      Loopback only unless --host says otherwise; bound elsewhere, every request but /healthz and /readyz must \
      carry `Authorization: Bearer $CRUCIBLE_SERVE_TOKEN`. Prints `listening on http://HOST:PORT` once it \
      accepts requests. SIGTERM or SIGINT: new requests get 503, in-flight ones have --grace seconds to \
      finish, then the server exits 0.
      """
  )

  @Option(help: "The address to bind.") var host = "127.0.0.1"
  @Option(parsing: .unconditional, help: "The port; 0 picks a free one.") var port = 8080
  @Option(parsing: .unconditional, help: "Sandbox slots (default: the number of cores).") var workers: Int?
  @Option(parsing: .unconditional, help: "Jobs admitted at once, running or waiting; past it, 429.")
  var queue = 256
  @Option(parsing: .unconditional, help: "The largest request body, bytes.") var maxBody = 16 << 20
  @Option(parsing: .unconditional, help: "The most candidates in one /v1/judge request.") var maxCandidates = 64
  @Option(parsing: .unconditional, help: "The longest run_timeout a /run_code request may ask for, seconds.")
  var maxRunSeconds = 60.0
  @Option(
    parsing: .unconditional,
    help: "A run's output past this many bytes stops it; each fetched file at most this, all of them 4 times it.")
  var maxOutput = 1 << 20
  @Option(parsing: .unconditional, help: "CPU seconds per test of a judged function task, by default.")
  var timeout = 5.0
  @Option(parsing: .unconditional, help: "A request's whole time, queue included, seconds.")
  var deadline = 600.0
  @Option(parsing: .unconditional, help: "Seconds in-flight requests may take to finish after SIGTERM.")
  var grace = 20.0
  @Option(help: "cold or warm interpreters.") var mode: SandboxConfiguration.Mode = .warm
  @Flag(
    help: """
      Judge tasks that bring code of their own (HumanEval's check, MBPP's asserts) on the warm path too: faster, \
      but that code then runs in the judge that serves every client. Only when every client is trusted.
      """)
  var trustTaskCode = false
  @Flag(
    help: """
      Bound beyond loopback, serve without a token: only on a private network that only trusted clients reach \
      (SandboxFusion's client sends no Authorization header).
      """)
  var noToken = false
  @OptionGroup var jail: JailOptions

  func settings(environment: [String: String] = ProcessInfo.processInfo.environment) -> ServiceSettings {
    var settings = ServiceSettings()
    settings.host = host
    settings.port = port
    settings.queue = queue
    settings.maxBodyBytes = maxBody
    settings.maxCandidates = maxCandidates
    settings.maxRunSeconds = maxRunSeconds
    settings.maxOutputBytes = maxOutput
    settings.trustTaskCode = trustTaskCode
    settings.unauthenticated = noToken
    settings.testTimeoutSeconds = timeout
    settings.deadlineSeconds = deadline
    settings.token = environment["CRUCIBLE_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    settings.executorName = environment["HOSTNAME"] ?? ProcessInfo.processInfo.hostName
    return settings
  }

  func validate() throws {
    try CLIOptions.checkWorkers(workers)
    try CLIOptions.checkTimeout(timeout)
    if let problem = settings().problems().first { throw ValidationError(problem) }
    if !(grace >= 0 && grace <= 3600) { throw ValidationError("--grace must be in [0, 3600] seconds, not \(grace)") }
  }

  func run() async throws {
    let settings = settings()
    let pool = try await CLISandbox.start(mode: mode, workers: workers, work: Int.max, jail: jail)
    defer { pool.shutdown() }
    // Tasks with code of their own get a trusted side per job: a cold pool.
    let cold =
      mode == .warm && !trustTaskCode
      ? try await CLISandbox.start(mode: .cold, workers: workers, work: Int.max, jail: jail) : nil
    defer { cold?.shutdown() }
    var server = JudgeServer(
      settings: settings, judge: Judge(pool: pool, testTimeoutSeconds: timeout),
      isolated: cold.map { Judge(pool: $0, testTimeoutSeconds: timeout) })
    server.grace = grace
    var logger = Logger(label: "crucible.serve")
    logger.logLevel = .warning
    try await server.run(logger: logger) { port in
      let shown = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
      Output.write(
        "listening on http://\(shown):\(port) (\(pool.configuration.workers) workers, queue \(settings.queue), "
          + "task code \(cold == nil ? "warm" : "cold"), \(settings.token == nil ? "no token" : "a bearer token"))\n",
        to: STDOUT_FILENO)
    }
    Output.note("serve: stopped")
  }
}
