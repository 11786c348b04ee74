import Foundation
import Hummingbird
import Judge
import Logging
import NIOCore
import ServiceLifecycle
import Support
import Values

/// `crucible serve`: the judge and the jail behind HTTP.
///
/// One sandbox pool serves every request; ``Admission`` bounds the jobs
/// admitted to it. Routes: SandboxFusion's `POST /run_code`, Crucible's
/// `POST /v1/judge` and `POST /v1/judge/stream` (NDJSON, a line per
/// candidate as it finishes), `GET /healthz`, `GET /readyz` and
/// `GET /metrics`. A client that goes away cancels its jobs. SIGTERM or
/// SIGINT: nothing new is admitted (503, and /readyz fails), in-flight work
/// has `grace` seconds to finish, what is left is cancelled and answered
/// 503, then the server stops.
public struct JudgeServer: Sendable {
  public let settings: ServiceSettings
  /// The judge of every request, on the warm path.
  public let judge: Judge
  /// The judge of tasks that bring code of their own, on the cold path
  /// (nil: `judge` judges them too). In the warm path, the task's code
  /// runs in the long-lived judge that serves every later request; a
  /// client's task could patch it and change or read other clients'
  /// results. On the cold path every job has a trusted side of its own.
  public let isolated: Judge?
  public let admission: Admission
  public let metrics: ServiceMetrics
  /// Seconds in-flight work may take to finish after SIGTERM.
  public var grace: Double = 20
  let shutdown = Tripwire()

  public init(settings: ServiceSettings, judge: Judge, isolated: Judge?, metrics: ServiceMetrics = ServiceMetrics()) {
    self.settings = settings
    self.judge = judge
    self.isolated = isolated
    self.metrics = metrics
    admission = Admission(capacity: settings.queue, workers: judge.pool.configuration.workers)
  }

  /// Serves until SIGTERM or SIGINT (or until the calling task is
  /// cancelled); `ready` gets the port once the server listens.
  public func run(
    logger: Logger = Logger(label: "crucible.serve"), ready: @escaping @Sendable (Int) async -> Void = { _ in }
  ) async throws {
    let app = Application(
      router: router(),
      // A connection that sends nothing for 30 s while a request is read,
      // or between requests, is closed (not while its answer is worked on).
      server: .http1(configuration: .init(idleTimeout: .seconds(30))),
      configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "crucible"),
      onServerRunning: { channel in await ready(channel.localAddress?.port ?? 0) }, logger: logger)
    // Shut down in reverse order: the drainer first, the server after it.
    let group = ServiceGroup(
      configuration: .init(
        services: [app, Drainer(server: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
  }

  /// On graceful shutdown: admit nothing, wait for in-flight work up to
  /// the grace time, then cancel what is left.
  struct Drainer: ServiceLifecycle.Service {
    let server: JudgeServer

    func run() async throws {
      try? await gracefulShutdown()
      server.admission.drain()
      let end = ContinuousClock.now + .seconds(server.grace)
      while server.admission.admitted > 0 && ContinuousClock.now < end && !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(20))
      }
      server.shutdown.fire()
    }
  }

  func router() -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: Gate(server: self))
    router.get("/healthz") { _, _ in Self.json(.object([("status", .string("ok"))])) }
    router.get("/readyz") { _, _ in
      admission.draining
        ? Self.json(.object([("status", .string("draining"))]), status: .serviceUnavailable)
        : Self.json(.object([("status", .string("ready"))]))
    }
    router.get("/metrics") { _, _ in
      metrics.queued.set(Double(admission.admitted))
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }
    // A client that goes away cancels its request's jobs. Hummingbird
    // notices by reading the connection while the handler runs, and closes
    // the connection after the answer; the answer says so, so that no
    // client sends its next request on a closed connection.
    router.post("/run_code") { request, _ in
      try await request.body.consumeWithCancellationOnInboundClose { body in
        Self.closing(
          try await Self.answer { try await runCode(try await Self.fields(body, limit: settings.maxBodyBytes)) })
      }
    }
    router.post("/v1/judge") { request, _ in
      try await request.body.consumeWithCancellationOnInboundClose { body in
        Self.closing(
          try await Self.answer { try await judgeBatch(try await Self.fields(body, limit: settings.maxBodyBytes)) })
      }
    }
    router.post("/v1/judge/stream") { request, _ in
      try await Self.answer { try await judgeStream(try await Self.fields(request.body, limit: settings.maxBodyBytes)) }
    }
    return router
  }

  // MARK: routes

  func runCode(_ fields: RequestFields) async throws -> Response {
    let language = try fields.string("language")
    if let refusal = RunCode.refusal(language: language) {
      metrics.ending("unsupported_language")
      return Self.json(refusal)
    }
    let request = try RunCode(fields, settings: settings)
    let run = try await admitted(jobs: 1) {
      try await timed {
        try await judge.run(
          program: request.program, stdin: request.stdin, files: request.files, fetch: request.fetch,
          seconds: request.seconds, memoryMiB: request.memoryMiB, outputCap: settings.maxOutputBytes,
          fetchCap: settings.maxOutputBytes, fetchBudget: 4 * settings.maxOutputBytes)
      }
    }
    // How long a job takes once it has a slot, for Retry-After.
    if let seconds = run.seconds { admission.record(seconds: seconds) }
    let response = RunCode.response(run, executor: settings.executorName)
    if case .string(let status)? = response["status"] { metrics.ending(Self.endings[status] ?? "other") }
    return Self.json(response)
  }

  static let endings = ["Success": "success", "Failed": "failed", "SandboxError": "sandbox_error"]

  func judgeBatch(_ fields: RequestFields) async throws -> Response {
    let request = try JudgeRequest(fields, settings: settings)
    let results = try await admitted(jobs: request.candidates.count) {
      try await withThrowingTaskGroup(of: (Int, Judgement).self) { group in
        for (index, program) in request.candidates.enumerated() {
          group.addTask { (index, try await judged(program, request)) }
        }
        var results = [JSON?](repeating: nil, count: request.candidates.count)
        for try await (index, judgement) in group { results[index] = JudgeRequest.result(judgement, candidate: index) }
        return results.compactMap { $0 }
      }
    }
    return Self.json(.object([("task_id", .string(request.task.id)), ("results", .array(results))]))
  }

  /// Results as NDJSON, a line per candidate as it finishes (not in
  /// order: each line names its candidate), then a last line
  /// `{"done": N}`. An error after the first line ends the stream with a
  /// line `{"error": ...}`.
  func judgeStream(_ fields: RequestFields) async throws -> Response {
    let request = try JudgeRequest(fields, settings: settings)
    if let refusal = admission.admit(request.candidates.count) { throw Self.error(refusal) }
    let server = self
    return Response(
      status: .ok, headers: [.contentType: "application/x-ndjson"],
      body: ResponseBody { writer in
        defer { server.admission.release(request.candidates.count) }
        let (lines, sink) = AsyncStream<String>.makeStream()
        try await withThrowingTaskGroup(of: Bool.self) { group in
          group.addTask {
            defer { sink.finish() }
            return try await server.bounded { () async throws -> Bool in
              try await withThrowingTaskGroup(of: (Int, Judgement).self) { group in
                for (index, program) in request.candidates.enumerated() {
                  group.addTask { (index, try await server.judged(program, request)) }
                }
                for try await (index, judgement) in group {
                  sink.yield(SafeText.json(JudgeRequest.result(judgement, candidate: index).text) + "\n")
                }
              }
              return true
            } ?? false
          }
          // A space every two seconds while nothing else is written (JSON
          // allows it before a value, so a line is still one document): a
          // client gone away fails a write within seconds, and leaving the
          // group cancels its jobs. Nothing else tells: the server reads
          // nothing of the connection while it answers.
          group.addTask {
            while true {
              try await Task.sleep(for: .seconds(2))
              sink.yield(" ")
            }
          }
          for await piece in lines { try await writer.write(ByteBuffer(string: piece)) }
          let finished = try await group.next() ?? false
          group.cancelAll()
          let last: JSON =
            finished
            ? .object([("done", .number(String(request.candidates.count), isInteger: true))])
            : .object([
              ("error", .string(server.shutdown.fired ? "the service is shutting down" : "the deadline passed"))
            ])
          try await writer.write(ByteBuffer(string: last.text + "\n"))
        }
        try await writer.finish(nil)
      })
  }

  func judged(_ program: String, _ request: JudgeRequest) async throws -> Judgement {
    var judge = request.task.runsOwnCode ? isolated ?? self.judge : self.judge
    judge.testTimeoutSeconds = request.timeout
    let judgement = try await timed { try await judge.judge(program, for: request.task, tests: request.tests) }
    for result in judgement.results { metrics.verdict(result.verdict.kind) }
    if let run = judgement.run { admission.record(seconds: Double(run.wallMicroseconds) / 1e6) }
    return judgement
  }

  // MARK: admission, deadlines, timing

  /// Runs `body` with `jobs` places of the queue; refused at once when
  /// they are not free; cut at the deadline or by shutdown.
  func admitted<T: Sendable>(jobs: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    if let refusal = admission.admit(jobs) { throw Self.error(refusal) }
    defer { admission.release(jobs) }
    guard let value = try await bounded(body) else {
      throw RequestError(
        503, shutdown.fired ? "the service is shutting down; retry on another replica" : "the request's deadline passed"
      )
    }
    return value
  }

  /// `body`'s result, or nil when the deadline passed or shutdown cut it
  /// (its jobs are then cancelled).
  func bounded<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T? {
    let seconds = settings.deadlineSeconds
    let shutdown = self.shutdown
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: .seconds(seconds))
        return nil
      }
      group.addTask {
        await shutdown.wait()
        return nil
      }
      defer { group.cancelAll() }
      return try await group.next() ?? nil
    }
  }

  /// A sandbox job's time, waiting for a slot included, for the metrics.
  func timed<T>(_ body: () async throws -> T) async rethrows -> T {
    let start = ContinuousClock.now
    defer { metrics.job(seconds: ContinuousClock.now - start) }
    return try await body()
  }

  // MARK: bodies and answers

  static func fields(_ body: RequestBody, limit: Int) async throws -> RequestFields {
    let buffer: ByteBuffer
    do {
      buffer = try await body.collect(upTo: limit)
    } catch is NIOTooManyBytesError {
      throw RequestError(413, "the body is larger than \(limit) bytes")
    }
    return try RequestFields(body: Array(buffer.readableBytesView))
  }

  /// The answer to a request: `body`'s, or the error's as JSON.
  static func answer(_ body: () async throws -> Response) async throws -> Response {
    do {
      return try await body()
    } catch let error as RequestError {
      var response = json(.object([("error", .string(error.message))]), status: .init(code: error.status))
      if error.status == 429, let seconds = error.retryAfter { response.headers[.retryAfter] = String(seconds) }
      return response
    }
  }

  static func closing(_ response: Response) -> Response {
    var response = response
    response.headers[.connection] = "close"
    return response
  }

  static func error(_ refusal: Admission.Refusal) -> RequestError {
    switch refusal {
    case .full(let seconds):
      var error = RequestError(429, "the queue is full; retry after \(seconds) s")
      error.retryAfter = seconds
      return error
    case .tooLarge(let capacity):
      return RequestError(413, "the request has more jobs than the queue holds (\(capacity)); split it")
    case .draining:
      return RequestError(503, "the service is shutting down; retry on another replica")
    }
  }

  /// A JSON response; text that would hide characters on a terminal is
  /// written as JSON escapes (the document's values are the same).
  static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: SafeText.json(value.text))))
  }
}
