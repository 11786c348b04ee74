import Foundation
import Judge
import Policy
import Search
import Suites
import Support

/// Successful trajectories as chat-format JSONL, one object per line:
///
///     {"task_id": "...", "round": 2, "source": "crucible",
///      "messages": [{"role": "system", "content": "..."},
///                   {"role": "user", "content": "<the task, its signature, its public tests>"},
///                   {"role": "assistant", "content": "```python\n...\n```"},
///                   {"role": "user", "content": "<that program's failing public tests>"},
///                   {"role": "assistant", "content": "```python\n...\n```"}]}
///
/// The messages are the ones that produced the final program (the prompts
/// of `prompts/`): a proposal, then one repair turn per revision that led
/// to it, with the environment's feedback. The last assistant message
/// holds the program that passed every test. TRL's SFTTrainer, axolotl's
/// `chat_template` datasets and most other SFT tools read this shape.
public enum SFTExport {
  public struct Message: Codable, Equatable, Sendable {
    public var role: String
    public var content: String
  }

  public struct Record: Codable, Equatable, Sendable {
    public var taskID: String
    public var round: Int
    public var source: String
    public var messages: [Message]

    enum CodingKeys: String, CodingKey {
      case taskID = "task_id"
      case round, source, messages
    }
  }

  /// The trajectory that led to each solved task's chosen program.
  public static func records(_ experience: Experience, prompts: Prompts) -> [Record] {
    let tasks = Dictionary(uniqueKeysWithValues: experience.tasks.map { ($0.id, $0) })
    var out: [Record] = []
    for outcome in experience.outcomes where outcome.solved {
      guard let chosen = outcome.chosen, let task = tasks[outcome.taskID] else { continue }
      let publicRuns = experience.attempts.filter { $0.taskID == task.id && $0.selection == .publicOnly }
      // The chain of revisions, oldest first.
      var chain = [chosen]
      while let parent = chain[0].provenance.parent,
        let attempt = publicRuns.first(where: { $0.candidate.id == parent }),
        !chain.contains(where: { $0.id == parent })
      {
        chain.insert(attempt.candidate, at: 0)
      }
      let view = TaskView(task)
      var messages = [
        Message(role: "system", content: prompts.system(for: view)),
        Message(role: "user", content: prompts.proposal(for: view)),
      ]
      for (i, candidate) in chain.enumerated() {
        messages.append(Message(role: "assistant", content: Prompts.fenced(candidate.program)))
        if i < chain.count - 1, let run = publicRuns.first(where: { $0.candidate.id == candidate.id }) {
          let feedback = Feedback(
            candidateID: candidate.id,
            outcomes: run.results.map {
              .init(
                index: $0.index, passed: $0.verdict == .passed, kind: $0.verdict.kind,
                detail: $0.verdict.detail)
            })
          messages.append(
            Message(
              role: "user", content: prompts.revision(for: view, program: candidate.program, feedback: feedback)))
        }
      }
      out.append(Record(taskID: task.id, round: experience.round, source: "crucible", messages: messages))
    }
    return out
  }

  public static func write(_ records: [Record], to path: String) throws {
    try JSONLines.write(records, to: path)
  }

  /// Reads an export back, checking every line against the schema above.
  public static func read(_ path: String) throws -> [Record] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let records: [(line: Int, value: Record)]
    do {
      records = try JSONLines.numbered(text, path: path, as: "an SFT record")
    } catch {
      throw LearningError(message: error.description)
    }
    for record in records { try validate(record.value, at: "\(path):\(record.line)") }
    return records.map(\.value)
  }

  /// system, user, assistant, then (user, assistant) pairs; fenced code in
  /// every assistant message.
  public static func validate(_ record: Record, at location: String) throws {
    let roles = record.messages.map(\.role)
    guard roles.count >= 3, roles.count % 2 == 1, roles[0] == "system",
      roles.dropFirst().enumerated().allSatisfy({ $0.element == ($0.offset % 2 == 0 ? "user" : "assistant") })
    else {
      throw LearningError(
        message: "\(location): field messages: roles \(roles) are not system, user, assistant, (user, assistant)*")
    }
    for message in record.messages where message.role == "assistant" {
      guard message.content.hasPrefix("```python\n"), message.content.hasSuffix("\n```") else {
        throw LearningError(message: "\(location): field messages: an assistant message is not one fenced program")
      }
    }
  }
}
