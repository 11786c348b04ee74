import Foundation
import Testing

@testable import LanguageModel

/// The wire format as servers send it: whole answers and streamed chunks
/// from real servers' shapes (extra fields and all), and the errors that
/// name what is missing.
@Suite(.timeLimit(.minutes(1))) struct WireTests {
  struct Body: Sendable, CustomTestStringConvertible {
    var name: String
    var api: ModelAPI
    var json: String
    /// The text, reasoning, finish reason and token counts, or the error's words.
    var expect: Result<Answer, Failure>
    var testDescription: String { name }

    struct Answer: Sendable, Equatable {
      var text: String
      var reasoning: String? = nil
      var finish: String? = "stop"
      var tokens: (prompt: Int, completion: Int) = (0, 1)
      static func == (a: Answer, b: Answer) -> Bool {
        a.text == b.text && a.reasoning == b.reasoning && a.finish == b.finish && a.tokens == b.tokens
      }
    }
    struct Failure: Error, Sendable { var mentioning: String }
  }

  static let bodies: [Body] = [
    Body(
      name: "OpenAI chat", api: .chat,
      json:
        #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":0}},"system_fingerprint":"fp"}"#,
      expect: .success(.init(text: "hi", tokens: (9, 2)))),
    Body(
      name: "llama.cpp completions, timings and all", api: .completions,
      json:
        #"{"id":"cmpl-1","object":"text_completion","created":1,"model":"gemma","choices":[{"text":"    return x\n","index":0,"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25},"timings":{"predicted_per_second":61.2}}"#,
      expect: .success(.init(text: "    return x\n", finish: "length", tokens: (20, 5)))),
    Body(
      name: "DeepSeek/vLLM reasoning_content beside content", api: .chat,
      json:
        #"{"choices":[{"index":0,"message":{"role":"assistant","content":"```python\nx\n```","reasoning_content":"think"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":3}}"#,
      expect: .success(.init(text: "```python\nx\n```", reasoning: "think", tokens: (1, 3)))),
    Body(
      name: "a reasoning model out of tokens: no content, only reasoning", api: .chat,
      json:
        #"{"choices":[{"index":0,"message":{"role":"assistant","content":null,"reasoning":"still thinking"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":512}}"#,
      expect: .success(.init(text: "", reasoning: "still thinking", finish: "length", tokens: (1, 512)))),
    Body(
      name: "no usage: counted as one chunk", api: .completions,
      json: #"{"choices":[{"text":"a","finish_reason":null}]}"#,
      expect: .success(.init(text: "a", finish: nil))),
    // Red team: a count past 64 bits' sums trapped the meter (exit 132).
    Body(
      name: "absurd usage: Int.max, negative, a float, past 64 bits: taken as not sent", api: .completions,
      json:
        #"{"choices":[{"text":"ab","finish_reason":"stop"}],"usage":{"prompt_tokens":-5,"completion_tokens":9223372036854775807}}"#,
      expect: .success(.init(text: "ab", tokens: (0, 1)))),
    Body(
      name: "usage past 2^31 or fractional: not believed", api: .chat,
      json:
        #"{"choices":[{"message":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":2147483648,"completion_tokens":1.5}}"#,
      expect: .success(.init(text: "x", tokens: (0, 1)))),
    Body(
      name: "usage of 1e400: not believed, not a broken answer", api: .completions,
      json: #"{"choices":[{"text":"x","finish_reason":"stop"}],"usage":{"prompt_tokens":1e400,"completion_tokens":7}}"#,
      expect: .success(.init(text: "x", tokens: (0, 7)))),
    Body(
      name: "an error object", api: .chat, json: #"{"error":{"message":"model not loaded","type":"server_error"}}"#,
      expect: .failure(.init(mentioning: "model not loaded"))),
    Body(
      name: "no choices", api: .completions, json: #"{"id":"x","usage":{}}"#,
      expect: .failure(.init(mentioning: "has no choices"))),
    Body(
      name: "empty choices", api: .completions, json: #"{"choices":[]}"#,
      expect: .failure(.init(mentioning: "choices are empty"))),
    Body(
      name: "no text", api: .completions, json: #"{"choices":[{"index":0}]}"#,
      expect: .failure(.init(mentioning: "has no choices[0].text"))),
    Body(
      name: "no message", api: .chat, json: #"{"choices":[{"index":0,"text":"x"}]}"#,
      expect: .failure(.init(mentioning: "has no choices[0].message"))),
    Body(
      name: "a number for the text", api: .completions, json: #"{"choices":[{"text":5}]}"#,
      expect: .failure(.init(mentioning: "choices[0].text is not a string"))),
    Body(
      name: "not JSON", api: .completions, json: "<html>502</html>", expect: .failure(.init(mentioning: "not JSON"))),
  ]

  @Test("Whole answers: known fields read, unknown ignored, a missing one named", arguments: bodies)
  func whole(_ body: Body) throws {
    var parts = AnswerParts()
    do {
      try parts.add(try Wire.decode(Wire.Response.self, from: Data(body.json.utf8)), api: body.api, streamed: false)
      let answer = parts.answer(milliseconds: 0, streamed: false)
      let got = Body.Answer(
        text: answer.text, reasoning: answer.reasoning, finish: answer.finishReason,
        tokens: (answer.usage.promptTokens, answer.usage.completionTokens))
      #expect(try body.expect.get() == got, "\(body.name)")
    } catch let error as Wire.WireError {
      guard case .failure(let failure) = body.expect else {
        Issue.record("\(body.name): \(error.message)")
        return
      }
      #expect(error.message.contains(failure.mentioning), "\(body.name): \(error.message)")
    }
  }

  @Test("Invalid UTF-8 is named as such, not decoded with replacement characters")
  func invalidUTF8() {
    #expect(throws: Wire.WireError(message: "the body is not valid UTF-8 (5 bytes)")) {
      try Wire.decode(Wire.Response.self, from: Data([0x7B, 0x22, 0xFF, 0x22, 0x7D]))
    }
  }

  @Test("A streamed chat answer: deltas, reasoning deltas, the finish chunk, the usage chunk")
  func streamedChat() throws {
    let chunks = [
      #"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
      #"{"choices":[{"index":0,"delta":{"reasoning_content":"hm"},"finish_reason":null}]}"#,
      #"{"choices":[{"index":0,"delta":{"content":"def"},"finish_reason":null}]}"#,
      #"{"choices":[{"index":0,"delta":{"content":" f"},"finish_reason":null}]}"#,
      #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
      #"{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3}}"#,
    ]
    var parts = AnswerParts()
    for chunk in chunks {
      try parts.add(try Wire.decode(Wire.Response.self, from: Data(chunk.utf8)), api: .chat, streamed: true)
    }
    let answer = parts.answer(milliseconds: 0, streamed: true)
    #expect(answer.text == "def f" && answer.reasoning == "hm" && answer.finishReason == "stop")
    #expect(answer.usage.promptTokens == 4 && answer.usage.completionTokens == 3 && parts.textChunks == 2)
  }

  @Test("The request: snake_case keys, nothing absent sent, stream options only with a stream")
  func request() throws {
    let streamed = Wire.Request(
      model: "m", input: .prompt("p"), sampling: Sampling(stop: []), seed: 3_000_000_000, stream: true)
    let text = String(decoding: streamed.encoded(), as: UTF8.self)
    #expect(
      text
        == #"{"max_tokens":512,"model":"m","n":1,"prompt":"p","seed":852516353,"stream":true,"stream_options":{"include_usage":true},"temperature":0.8,"top_p":0.95}"#
    )
    let plain = Wire.Request(
      model: "m", input: .messages([ChatMessage(role: "user", content: "</x>")]), sampling: Sampling(stop: ["\n"]),
      seed: 1, stream: false)
    let json = String(decoding: plain.encoded(), as: UTF8.self)
    #expect(json.contains(#""messages":[{"content":"</x>","role":"user"}]"#) && json.contains(#""stop":["\n"]"#))
    #expect(!json.contains("stream_options") && !json.contains("prompt"))
  }

  @Test(
    "Server-sent events: any line ending, any cut, comments, multi-line data, a line cap",
    arguments: [1, 2, 3, 7, 1000])
  func events(cut: Int) throws {
    let stream = Array(
      ": keep-alive\r\ndata: one\r\n\r\ndata: two\rdata: lines\r\rid: 5\nevent: x\ndata:[DONE]\n\n".utf8)
    var parser = ServerSentEvents(maxLine: 64)
    var events: [String] = []
    var index = 0
    while index < stream.count {
      let piece = stream[index..<min(stream.count, index + cut)]
      events += try parser.feed(piece).map { String(decoding: $0, as: UTF8.self) }
      index += cut
    }
    #expect(events == ["one", "two\nlines", "[DONE]"])
    #expect(parser.finish() == nil)

    var unfinished = ServerSentEvents(maxLine: 64)
    #expect(try unfinished.feed(Array("data: last".utf8)).isEmpty)
    #expect(unfinished.finish().map { String(decoding: $0, as: UTF8.self) } == "last")

    var capped = ServerSentEvents(maxLine: 8)
    #expect(throws: ServerSentEvents.LineTooLong.self) { try capped.feed(Array("data: 123456789".utf8)) }
  }
}
