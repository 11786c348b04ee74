import Foundation
import Testing

@testable import Sandbox

@Suite(.timeLimit(.minutes(2))) struct ComponentsTests {
  @Test("The jail gets every module of harness/ (and scripts/install installs the same files)")
  func harnessModules() throws {
    let harness = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("harness").path
    let modules = try FileManager.default.contentsOfDirectory(atPath: harness).filter { $0.hasSuffix(".py") }
    #expect(Components.harnessModules.sorted() == modules.sorted())
    let components = try Components.locate()
    #expect(components.harness == harness)
    #expect(try components.harnessFiles().map(\.path) == Components.harnessModules.map { "/harness/\($0)" })
  }
}
