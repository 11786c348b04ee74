import Prometheus
import Verdicts

/// The service's Prometheus metrics. Every label value comes from a fixed
/// vocabulary (the routes, HTTP status codes, verdict kinds, run endings):
/// nothing a request or a candidate wrote becomes a label.
public final class ServiceMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let queued: Gauge
  let runs: Counter
  let refused: Counter
  static let requestBuckets: [Duration] = [
    .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
    .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    .seconds(60),
  ]
  /// The routes that have their own label; anything else is `other`.
  static let routes: Set<String> = [
    "/run_code", "/v1/judge", "/v1/judge/stream", "/healthz", "/readyz", "/metrics",
  ]

  public init() {
    queued = registry.makeGauge(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "queue_jobs", unitName: "",
        helpText: "Sandbox jobs admitted: running or waiting for a slot."))
    runs = registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "sandbox_runs", unitName: "total",
        helpText: "Sandbox jobs run for requests."))
    refused = registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "refused_requests", unitName: "total",
        helpText: "Requests refused with 429 because the queue was full."))
  }

  func request(route: String, status: Int, duration: Duration) {
    let route = Self.routes.contains(route) ? route : "other"
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered."),
      labels: [("route", route), ("status", String(status))]
    ).increment()
    registry.makeDurationHistogram(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "http_request_duration", unitName: "seconds",
        helpText: "Time from a request's head to its answer."),
      labels: [("route", route)], buckets: Self.requestBuckets
    ).record(duration)
  }

  func verdict(_ kind: TestVerdict.Kind) {
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "test_verdicts", unitName: "total",
        helpText: "Verdicts of judged tests, by kind."),
      labels: [("verdict", kind.rawValue)]
    ).increment()
  }

  func ending(_ status: String) {
    registry.makeCounter(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "program_runs", unitName: "total",
        helpText: "Program runs (/run_code), by how they ended."),
      labels: [("status", status)]
    ).increment()
  }

  func job(seconds: Duration) {
    runs.increment()
    registry.makeDurationHistogram(
      descriptor: MetricNameDescriptor(
        namespace: "crucible", metricName: "sandbox_job_duration", unitName: "seconds",
        helpText: "Time of a sandbox job, waiting for a slot included."),
      buckets: Self.requestBuckets
    ).record(seconds)
  }

  /// The exposition text.
  public func text() -> String { registry.emitToString() }
}
