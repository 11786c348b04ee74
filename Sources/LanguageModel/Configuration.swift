import Foundation
import Policy

/// Which OpenAI endpoint a model is reached through.
public enum ModelAPI: String, Sendable, CaseIterable, Codable {
  /// `/v1/chat/completions`: messages in, an answer out (instruction-tuned models).
  case chat
  /// `/v1/completions`: code in, its continuation out (base models).
  case completions
}

/// Whether answers are streamed (server-sent events).
public enum StreamingMode: String, Sendable, CaseIterable, Codable {
  /// Stream, and serve a server that does not without it (detected once).
  case auto
  /// Never ask for a stream.
  case off
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
  /// Seconds one HTTP request may take, from connecting to the last byte
  /// of its answer.
  public var requestTimeout: Double
  /// Seconds an answer may go without a byte once it has begun: a server
  /// that stalls mid-answer is caught in this, not after `requestTimeout`.
  /// (The wait for the first byte, while the server reads the prompt, is
  /// bounded by `requestTimeout` alone.)
  public var idleTimeout: Double
  /// Retries after the first try, on connection errors, 408, 429, 5xx and
  /// answers that are not the JSON the API promises.
  public var retries: Int
  /// Requests in flight at once, across every task; also the size of the
  /// connection pool.
  public var concurrency: Int
  /// The first retry's delay in seconds; it doubles per retry (with full
  /// jitter), up to `maxBackoff`. A `Retry-After` wins when given (capped
  /// at `maxBackoff`).
  public var backoff: Double
  public var maxBackoff: Double
  public var streaming: StreamingMode
  /// The most bytes one answer may have; more is the server's fault.
  public var maxAnswerBytes: Int

  public init(
    baseURL: URL, model: String, apiKey: String? = nil, api: ModelAPI = .chat, requestTimeout: Double = 120,
    idleTimeout: Double = 15, retries: Int = 4, concurrency: Int = 4, backoff: Double = 0.5, maxBackoff: Double = 30,
    streaming: StreamingMode = .auto, maxAnswerBytes: Int = 8 << 20
  ) {
    self.baseURL = baseURL
    self.model = model
    self.apiKey = apiKey
    self.api = api
    self.requestTimeout = requestTimeout
    self.idleTimeout = idleTimeout
    self.retries = retries
    self.concurrency = concurrency
    self.backoff = backoff
    self.maxBackoff = maxBackoff
    self.streaming = streaming
    self.maxAnswerBytes = maxAnswerBytes
  }

  /// The endpoint of `api` under `baseURL`.
  public var endpoint: URL {
    baseURL.appendingPathComponent(api == .chat ? "chat/completions" : "completions")
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
  /// What a reasoning model thought before answering (`reasoning_content`
  /// or `reasoning`, where the server sends it).
  public var reasoning: String?
  /// `stop`, `length`, ... as the server said.
  public var finishReason: String?
  /// Tokens as the server counted them; a stream without a usage chunk
  /// counts its chunks with text (one token each on llama.cpp and vLLM).
  public var usage: Usage
  /// Tries it took (1 when the first one answered).
  public var tries: Int
  /// Whether the answer came as a stream of events.
  public var streamed: Bool

  public init(
    text: String, reasoning: String? = nil, finishReason: String?, usage: Usage, tries: Int = 1, streamed: Bool = false
  ) {
    self.text = text
    self.reasoning = reasoning
    self.finishReason = finishReason
    self.usage = usage
    self.tries = tries
    self.streamed = streamed
  }
}

/// The server could not answer: down, refusing, or past its retries. An
/// infrastructure fault, never a failed attempt. `description` is one line
/// naming the URL and what happened; what the server wrote in it is made
/// visible with `SafeText`.
public struct ModelServerError: Error, CustomStringConvertible, Equatable {
  /// What went wrong, for code that tells faults apart.
  public enum Code: String, Sendable, Equatable {
    /// Nothing listens there, or the host is unknown.
    case unreachable
    /// The connection broke: reset, or closed before the answer ended.
    case connectionLost
    /// No answer within the request timeout.
    case timeout
    /// An answer stopped mid-way for longer than the idle timeout.
    case stalled
    /// An HTTP status other than 2xx.
    case status
    /// A 3xx: the base URL points somewhere else.
    case redirect
    /// A 2xx whose body is not the answer the API promises.
    case malformed
    /// An answer over the size cap.
    case tooLarge
  }

  public var code: Code
  public var url: String
  public var message: String
  public var tries: Int
  /// The HTTP status, when there was one.
  public var status: Int?

  public init(code: Code, url: String, message: String, tries: Int, status: Int? = nil) {
    self.code = code
    self.url = url
    self.message = message
    self.tries = tries
    self.status = status
  }

  public var description: String {
    "model server \(url): \(message)\(tries > 1 ? " (after \(tries) tries)" : "")"
  }
}
