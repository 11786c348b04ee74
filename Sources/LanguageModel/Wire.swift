import Foundation
import Policy

/// The OpenAI wire format, as servers actually send it: Codable types for
/// the chat and completions requests, their answers and their streamed
/// chunks. Fields a server adds that are not here are ignored; a field the
/// client needs and does not find is a `WireError` naming it.
enum Wire {
  /// A request to `/v1/completions` (`prompt`) or `/v1/chat/completions`
  /// (`messages`).
  struct Request: Encodable, Equatable {
    var model: String
    var prompt: String?
    var messages: [ChatMessage]?
    var temperature: Double
    var topP: Double
    var maxTokens: Int
    var seed: Int
    var n = 1
    var stop: [String]?
    var stream: Bool
    /// Asks for a last chunk with the usage (OpenAI, vLLM, llama.cpp's own
    /// server); servers that do not know it ignore it.
    var streamOptions: StreamOptions?

    struct StreamOptions: Encodable, Equatable {
      var includeUsage = true
      enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum CodingKeys: String, CodingKey {
      case model, prompt, messages, temperature, seed, n, stop, stream
      case topP = "top_p"
      case maxTokens = "max_tokens"
      case streamOptions = "stream_options"
    }

    init(model: String, input: ModelInput, sampling: Sampling, seed: UInt64, stream: Bool) {
      self.model = model
      switch input {
      case .messages(let messages): self.messages = messages
      case .prompt(let prompt): self.prompt = prompt
      }
      temperature = sampling.temperature
      topP = sampling.topP
      maxTokens = sampling.maxTokens
      self.seed = Int(seed % 2_147_483_647)
      stop = sampling.stop.isEmpty ? nil : sampling.stop
      self.stream = stream
      streamOptions = stream ? StreamOptions() : nil
    }

    func encoded() -> Data {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      // Strings, numbers and arrays of them: encoding cannot fail.
      return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
  }

  /// An answer, or one chunk of a streamed answer (`delta` for `message`;
  /// `choices` empty in a stream's usage chunk).
  struct Response: Decodable {
    var choices: [Choice]?
    var usage: WireUsage?
    var error: ServerMessage?
  }

  struct Choice: Decodable {
    var index: Int?
    /// Completions: the text.
    var text: String?
    /// Chat: the message.
    var message: Message?
    /// Chat, streamed: what this chunk adds to the message.
    var delta: Message?
    var finishReason: String?

    enum CodingKeys: String, CodingKey {
      case index, text, message, delta
      case finishReason = "finish_reason"
    }
  }

  struct Message: Decodable {
    var role: String?
    var content: String?
    /// DeepSeek, vLLM, llama.cpp: the model's thinking, apart from `content`.
    var reasoningContent: String?
    /// OpenRouter, Ollama: the same, under another name.
    var reasoning: String?

    enum CodingKeys: String, CodingKey {
      case role, content, reasoning
      case reasoningContent = "reasoning_content"
    }

    var thought: String? { reasoningContent ?? reasoning }
  }

  struct WireUsage: Decodable {
    var promptTokens: Int?
    var completionTokens: Int?

    enum CodingKeys: String, CodingKey {
      case promptTokens = "prompt_tokens"
      case completionTokens = "completion_tokens"
    }

    /// The largest count believed: a server's number is untrusted, and one
    /// past it (or negative, or not an integer) is taken as not sent, so
    /// no sum of counts can overflow.
    static let plausible = 0...Int(Int32.max)

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      func count(_ key: CodingKeys) -> Int? {
        guard let value = try? container.decodeIfPresent(Int.self, forKey: key), Self.plausible.contains(value)
        else { return nil }
        return value
      }
      promptTokens = count(.promptTokens)
      completionTokens = count(.completionTokens)
    }
  }

  /// `"error": "text"` or `"error": {"message": "text", ...}`.
  struct ServerMessage: Decodable {
    var message: String

    init(from decoder: any Decoder) throws {
      if let text = try? decoder.singleValueContainer().decode(String.self) {
        message = text
        return
      }
      let container = try decoder.container(keyedBy: CodingKeys.self)
      message = (try? container.decode(String.self, forKey: .message)) ?? "(no message)"
    }

    enum CodingKeys: String, CodingKey { case message }
  }

  /// The body is not what the API promises; `field` names where.
  struct WireError: Error, Equatable {
    var message: String
  }

  /// Decodes `data` as JSON of type `T`, with errors that name the field.
  static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(WireError) -> T {
    guard String(validating: data, as: UTF8.self) != nil else {
      throw WireError(message: "the body is not valid UTF-8 (\(data.count) bytes)")
    }
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
      throw WireError(message: describe(error, data: data))
    } catch {
      throw WireError(message: "the body is not JSON: \(error)")
    }
  }

  static func describe(_ error: DecodingError, data: Data) -> String {
    switch error {
    case .keyNotFound(let key, let context):
      return "the answer has no \(path(context.codingPath + [key]))"
    case .valueNotFound(_, let context):
      return "the answer has null for \(path(context.codingPath))"
    case .typeMismatch(let type, let context):
      return "the answer's \(path(context.codingPath)) is not a \(typeName(type))"
    case .dataCorrupted(let context) where context.codingPath.isEmpty:
      return "the body is not JSON: \(excerpt(data))"
    case .dataCorrupted(let context):
      return "the answer's \(path(context.codingPath)) is invalid: \(context.debugDescription)"
    @unknown default:
      return "the body is not the JSON the API promises: \(excerpt(data))"
    }
  }

  /// `choices[0].message.content`, from a decoder's coding path.
  static func path(_ keys: [any CodingKey]) -> String {
    var out = ""
    for key in keys {
      if let index = key.intValue {
        out += "[\(index)]"
      } else {
        out += (out.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return out.isEmpty ? "top level" : out
  }

  static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "string"
    case is Int.Type, is Double.Type: "number"
    case is Bool.Type: "boolean"
    default: "\(type)".lowercased().contains("array") ? "list" : "object"
    }
  }

  /// The first bytes of a body, for a message (made visible later), runs
  /// of white space as one space: an HTML page's lines read as one.
  static func excerpt(_ data: Data, limit: Int = 120) -> String {
    let text = String(decoding: data.prefix(limit), as: UTF8.self)
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
    return words.joined(separator: " ") + (data.count > limit ? "…" : "")
  }
}

/// The parts of an answer, gathered from a whole body or from chunks.
struct AnswerParts {
  var text = ""
  var reasoning: String?
  var finishReason: String?
  var promptTokens: Int?
  var completionTokens: Int?
  /// Chunks that added text (a stream's token count when it sends no usage).
  var textChunks = 0
  /// A choice seen at all (a stream with none never answered).
  var sawChoice = false

  /// Adds one answer or chunk, for `api`; throws naming the field a whole
  /// answer lacks.
  mutating func add(_ response: Wire.Response, api: ModelAPI, streamed: Bool) throws(Wire.WireError) {
    if let error = response.error {
      throw Wire.WireError(message: "the server answered with an error: \(error.message)")
    }
    if let usage = response.usage {
      promptTokens = usage.promptTokens ?? promptTokens
      completionTokens = usage.completionTokens ?? completionTokens
    }
    guard let choices = response.choices else {
      if streamed && response.usage != nil { return }
      throw Wire.WireError(message: "the answer has no choices")
    }
    guard let choice = choices.first else {
      if streamed { return }  // the usage chunk
      throw Wire.WireError(message: "the answer's choices are empty")
    }
    sawChoice = true
    if let reason = choice.finishReason { finishReason = reason }
    let piece: String?
    let thought: String?
    switch (api, streamed) {
    case (.completions, _):
      piece = choice.text
      thought = nil
      guard piece != nil || streamed else { throw Wire.WireError(message: "the answer has no choices[0].text") }
    case (.chat, false):
      guard let message = choice.message else {
        throw Wire.WireError(message: "the answer has no choices[0].message")
      }
      piece = message.content
      thought = message.thought
      // A reasoning model that spent its tokens thinking has no content:
      // an empty answer, not a broken server.
      guard piece != nil || thought != nil else {
        throw Wire.WireError(message: "the answer has no choices[0].message.content")
      }
    case (.chat, true):
      piece = choice.delta?.content ?? choice.message?.content
      thought = choice.delta?.thought
    }
    if let piece, !piece.isEmpty {
      text += piece
      textChunks += 1
    }
    if let thought, !thought.isEmpty { reasoning = (reasoning ?? "") + thought }
  }

  func answer(milliseconds: Double, streamed: Bool) -> ModelAnswer {
    ModelAnswer(
      text: text, reasoning: reasoning, finishReason: finishReason,
      usage: Usage(
        promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? textChunks,
        milliseconds: milliseconds),
      streamed: streamed)
  }
}
