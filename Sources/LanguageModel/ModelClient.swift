import Foundation
import Policy
import Support

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Which OpenAI endpoint a model is reached through.
public enum ModelAPI: String, Sendable, CaseIterable, Codable {
  /// `/v1/chat/completions`: messages in, an answer out (instruction-tuned models).
  case chat
  /// `/v1/completions`: code in, its continuation out (base models).
  case completions
}

/// How the model samples.
public struct Sampling: Sendable, Equatable {
  public var temperature: Double
  public var topP: Double
  public var maxTokens: Int
  public var stop: [String]

  public init(temperature: Double = 0.8, topP: Double = 0.95, maxTokens: Int = 512, stop: [String] = []) {
    self.temperature = temperature
    self.topP = topP
    self.maxTokens = maxTokens
    self.stop = stop
  }
}

/// Where the server is and how patiently to talk to it.
public struct ServerConfiguration: Sendable {
  /// The API root, e.g. `http://127.0.0.1:8000/v1`.
  public var baseURL: URL
  public var model: String
  public var apiKey: String?
  public var api: ModelAPI
  /// Seconds one HTTP request may take, start to end.
  public var requestTimeout: Double
  /// Retries after the first try, on connection errors, 429, 5xx and
  /// answers that are not the JSON the API promises.
  public var retries: Int
  /// Requests in flight at once, across every task.
  public var concurrency: Int
  /// The first retry's delay in seconds; it doubles per retry (with full
  /// jitter), up to `maxBackoff`. A 429's `Retry-After` wins when given.
  public var backoff: Double
  public var maxBackoff: Double

  public init(
    baseURL: URL, model: String, apiKey: String? = nil, api: ModelAPI = .chat, requestTimeout: Double = 120,
    retries: Int = 4, concurrency: Int = 4, backoff: Double = 0.5, maxBackoff: Double = 30
  ) {
    self.baseURL = baseURL
    self.model = model
    self.apiKey = apiKey
    self.api = api
    self.requestTimeout = requestTimeout
    self.retries = retries
    self.concurrency = concurrency
    self.backoff = backoff
    self.maxBackoff = maxBackoff
  }
}

/// One message of a chat.
public struct ChatMessage: Sendable, Equatable, Codable {
  public var role: String
  public var content: String

  public init(role: String, content: String) {
    self.role = role
    self.content = content
  }
}

/// What to ask: messages (chat) or a prompt (completions).
public enum ModelInput: Sendable, Equatable {
  case messages([ChatMessage])
  case prompt(String)
}

/// What the server answered, and what it cost.
public struct ModelAnswer: Sendable, Equatable {
  public var text: String
  /// `stop`, `length`, ... as the server said.
  public var finishReason: String?
  public var usage: Usage
  /// Tries it took (1 when the first one answered).
  public var tries: Int
}

/// The server could not answer: down, refusing, or past its retries. An
/// infrastructure fault, never a failed attempt.
public struct ModelServerError: Error, CustomStringConvertible, Equatable {
  public var url: String
  public var message: String
  public var tries: Int
  public var description: String {
    "model server \(url): \(message)\(tries > 1 ? " (after \(tries) tries)" : "")"
  }
}

/// An OpenAI-compatible HTTP client on URLSession (FoundationNetworking on
/// Linux: no extra dependency, and plain HTTP/1.1 is all these servers
/// need). Bounded concurrency, a timeout per request, retries with
/// jittered exponential backoff, `Retry-After` honoured.
public final class ModelClient: Sendable {
  public let configuration: ServerConfiguration
  let session: URLSession
  let gate: Gate

  public init(_ configuration: ServerConfiguration) {
    self.configuration = configuration
    let sessionConfiguration = URLSessionConfiguration.ephemeral
    sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
    sessionConfiguration.timeoutIntervalForResource = configuration.requestTimeout
    sessionConfiguration.httpMaximumConnectionsPerHost = max(1, configuration.concurrency)
    sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
    session = URLSession(configuration: sessionConfiguration)
    gate = Gate(permits: max(1, configuration.concurrency))
  }

  deinit { session.finishTasksAndInvalidate() }

  var endpoint: URL {
    configuration.baseURL.appendingPathComponent(configuration.api == .chat ? "chat/completions" : "completions")
  }

  /// Asks once (retrying faults), with `seed` for reproducible sampling.
  public func complete(_ input: ModelInput, sampling: Sampling, seed: UInt64) async throws -> ModelAnswer {
    let body = try requestBody(input, sampling: sampling, seed: seed)
    await gate.acquire()
    do {
      let answer = try await ask(body)
      await gate.release()
      return answer
    } catch {
      await gate.release()
      throw error
    }
  }

  func ask(_ body: Data) async throws -> ModelAnswer {
    let started = ContinuousClock.now
    var tries = 0
    while true {
      try Task.checkCancellation()
      tries += 1
      let fault: Fault
      switch await once(body) {
      case .success(var answer):
        answer.tries = tries
        answer.usage.milliseconds = (ContinuousClock.now - started).milliseconds
        return answer
      case .failure(let failure):
        fault = failure
      }
      guard fault.retryable else {
        throw ModelServerError(url: endpoint.absoluteString, message: fault.message, tries: tries)
      }
      guard tries <= configuration.retries else {
        throw ModelServerError(url: endpoint.absoluteString, message: fault.message, tries: tries)
      }
      try await Task.sleep(for: .seconds(delay(retry: tries, retryAfter: fault.retryAfter)))
    }
  }

  /// Seconds before retry `retry` (1-based): `Retry-After` when the server
  /// gave one (capped), else full jitter over an exponential backoff.
  func delay(retry: Int, retryAfter: Double?) -> Double {
    if let retryAfter { return min(max(retryAfter, 0), configuration.maxBackoff) }
    let ceiling = min(configuration.maxBackoff, configuration.backoff * pow(2, Double(retry - 1)))
    return Double.random(in: (ceiling / 2)...max(ceiling / 2, ceiling))
  }

  /// One try: an answer, or the fault that kept it from being one.
  func once(_ body: Data) async -> Result<ModelAnswer, Fault> {
    do {
      return .success(try await send(body))
    } catch let fault as Fault {
      return .failure(fault)
    } catch {
      return .failure(Fault(message: Self.describe(error), retryable: true))
    }
  }

  struct Fault: Error {
    var message: String
    var retryable: Bool
    var retryAfter: Double? = nil
  }

  func requestBody(_ input: ModelInput, sampling: Sampling, seed: UInt64) throws -> Data {
    var body: [String: Any] = [
      "model": configuration.model, "temperature": sampling.temperature, "top_p": sampling.topP,
      "max_tokens": sampling.maxTokens, "seed": Int(seed % 2_147_483_647), "n": 1, "stream": false,
    ]
    if !sampling.stop.isEmpty { body["stop"] = sampling.stop }
    switch input {
    case .messages(let messages): body["messages"] = messages.map { ["role": $0.role, "content": $0.content] }
    case .prompt(let prompt): body["prompt"] = prompt
    }
    return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
  }

  func send(_ body: Data) async throws -> ModelAnswer {
    var request = URLRequest(url: endpoint, timeoutInterval: configuration.requestTimeout)
    request.httpMethod = "POST"
    request.httpBody = body
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    if let key = configuration.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await session.data(for: request)
    } catch {
      throw Fault(message: Self.describe(error), retryable: true)
    }
    guard let http = response as? HTTPURLResponse else {
      throw Fault(message: "an answer that is not HTTP", retryable: true)
    }
    let excerpt = String(decoding: data.prefix(300), as: UTF8.self)
    switch http.statusCode {
    case 200..<300: break
    case 429:
      let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      throw Fault(message: "HTTP 429 (rate limited): \(excerpt)", retryable: true, retryAfter: retryAfter)
    case 408, 500..<600:
      throw Fault(message: "HTTP \(http.statusCode): \(excerpt)", retryable: true)
    default:
      // 400, 401, 404, ...: asking again will not help (a wrong model
      // name, a missing key, a bad setting).
      throw Fault(message: "HTTP \(http.statusCode): \(excerpt)", retryable: false)
    }
    return try parse(data)
  }

  func parse(_ data: Data) throws -> ModelAnswer {
    let excerpt = String(decoding: data.prefix(200), as: UTF8.self)
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw Fault(message: "an answer that is not JSON: \(excerpt)", retryable: true)
    }
    guard let choices = object["choices"] as? [[String: Any]], let first = choices.first else {
      if let error = object["error"] {
        throw Fault(message: "an error answer: \(error)", retryable: true)
      }
      throw Fault(message: "an answer without choices: \(excerpt)", retryable: true)
    }
    let text: String?
    switch configuration.api {
    case .chat: text = (first["message"] as? [String: Any])?["content"] as? String
    case .completions: text = first["text"] as? String
    }
    guard let text else {
      throw Fault(
        message: "an answer without \(configuration.api == .chat ? "choices[0].message.content" : "choices[0].text")",
        retryable: true)
    }
    let usage = object["usage"] as? [String: Any]
    return ModelAnswer(
      text: text, finishReason: first["finish_reason"] as? String,
      usage: Usage(
        promptTokens: usage?["prompt_tokens"] as? Int ?? 0, completionTokens: usage?["completion_tokens"] as? Int ?? 0,
        milliseconds: 0),
      tries: 1)
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? URLError {
      switch error.code {
      case .timedOut: return "no answer within the request timeout"
      case .cannotConnectToHost: return "connection refused"
      case .networkConnectionLost: return "the connection was lost"
      case .cannotFindHost: return "host not found"
      default: return "connection error: \(error.localizedDescription)"
      }
    }
    return "\(error.localizedDescription)"
  }
}

/// A counting semaphore for async code: at most `permits` holders.
actor Gate {
  var permits: Int
  var waiting: [CheckedContinuation<Void, Never>] = []

  init(permits: Int) { self.permits = permits }

  func acquire() async {
    if permits > 0 {
      permits -= 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func release() {
    if waiting.isEmpty {
      permits += 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
