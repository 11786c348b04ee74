import Foundation
import Testing

@testable import Suites

/// The bundled suites tasks/train, tasks/eval and tasks/holdout
/// (scripts/make_tasks.py, scripts/make_holdout.py): holdout is kept for
/// measurement, so it must share no task with the other two.
@Suite(.timeLimit(.minutes(2))) struct BundledSuitesTests {
  static let tasks =
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/tasks"

  @Test("holdout: at least 60 tasks, each with 3 public and at least 5 hidden tests")
  func holdoutShape() throws {
    let holdout = try Suite.load("\(Self.tasks)/holdout")
    #expect(holdout.tasks.count >= 60)
    for task in holdout.tasks {
      #expect(task.publicCount == 3, "\(task.id): \(task.publicCount) public tests")
      #expect(task.hiddenTests.count >= 5, "\(task.id): \(task.hiddenTests.count) hidden tests")
      #expect(task.tests.count == task.publicCount + task.hiddenTests.count)
    }
  }

  @Test("train, eval and holdout share no task_id and no entry point")
  func disjoint() throws {
    let names = ["train", "eval", "holdout"]
    let suites = try names.map { try Suite.load("\(Self.tasks)/\($0)") }
    for (i, first) in suites.enumerated() {
      for (j, second) in suites.enumerated() where j > i {
        let ids = Set(first.tasks.map(\.id)).intersection(second.tasks.map(\.id))
        let entries = Set(first.tasks.map(\.entryPoint)).intersection(second.tasks.map(\.entryPoint))
        #expect(ids.isEmpty, "\(names[i]) and \(names[j]) share task ids \(ids.sorted())")
        #expect(entries.isEmpty, "\(names[i]) and \(names[j]) share entry points \(entries.sorted())")
      }
    }
  }
}
