import Foundation
import Policy

/// The built-in policy: enumerates DSL programs in order of the model's
/// probability, proposes those that match every public example (rendered
/// as Python), and repairs failing ones by subtree rewrites. A
/// standard-input task is a function over the values its samples' layout
/// gives (``StdinLayout``), inside a program that reads and prints them;
/// a layout it cannot read is declined at once, with the reason.
public struct SynthesisPolicy: Policy {
  public let synthesizer: Synthesizer
  public let budget: EnumerationBudget
  /// Programs enumerated to collect a revision's alternatives.
  public var revisionPrograms = 100_000
  /// How programs that match every public example are ordered.
  public var selection: Selection
  /// With `cluster`: the matching programs collected (at least), and the
  /// generated inputs they are told apart on.
  public var consistent = 32
  public var probeInputs = 32
  let fingerprint: String

  public init(
    model: SynthesisModel = Prior.model, budget: EnumerationBudget = EnumerationBudget(),
    selection: Selection = .first
  ) {
    synthesizer = Synthesizer(model: model)
    self.budget = budget
    self.selection = selection
    fingerprint = Checkpoint.fingerprint(model)
  }

  public var name: String { "builtin" }
  /// The checkpoint's name and fingerprint and the enumeration budget.
  public var parameters: String {
    "\(synthesizer.model.name)@\(fingerprint) programs=\(budget.programs)"
      + (selection == .first ? "" : " select=\(selection.rawValue) consistent=\(consistent) probe=\(probeInputs)")
  }

  /// A task whose signature or public examples the DSL cannot express, or
  /// a standard-input task whose samples' layout it cannot read or write.
  public func declines(_ task: TaskView) -> String? {
    do throws(SynthesisTask.Unsupported) {
      _ = try SynthesisTask(task)
      return nil
    } catch {
      return "the built-in policy cannot write it: \(error.description) (a language model policy can try it)"
    }
  }

  public func propose(_ request: ProposeRequest) async throws -> [Candidate] {
    guard let task = try? SynthesisTask(request.task) else { return [] }
    var budget = self.budget
    budget.matches = max(
      budget.matches, request.count + request.history.count, selection == .cluster ? consistent : 0)
    let enumeration = synthesizer.enumerate(task, budget: budget)
    var ranked = synthesizer.ranked(enumeration, task: task)
    if selection == .cluster {
      ranked = synthesizer.clustered(
        ranked, task: task, inputs: GeneratedInputs.make(task, count: probeInputs, seed: request.seed))
    }
    let tried = Set(request.history.map(\.candidateID))
    var out: [Candidate] = []
    for found in ranked where out.count < request.count {
      let candidate = candidate(found, task: task, index: out.count, parent: nil)
      if !tried.contains(candidate.id), !out.contains(where: { $0.id == candidate.id }) { out.append(candidate) }
    }
    return out
  }

  public func revise(_ request: ReviseRequest) async throws -> [Candidate] {
    guard let task = try? SynthesisTask(request.task), let text = request.candidate.payload,
      let expr = Expr.parse(text)
    else { return [] }
    let rewrites = synthesizer.revise(
      expr, task: task, baseline: request.feedback.passedCount, count: request.count, programs: revisionPrograms)
    return rewrites.enumerated().map { candidate($1, task: task, index: $0, parent: request.candidate.id) }
  }

  /// Bits charged per public example a program gets wrong: its score
  /// then ranks it below every program that matches them all.
  public static let missBits = 1000.0

  func candidate(_ found: Found, task: SynthesisTask, index: Int, parent: String?) -> Candidate {
    var program = PythonRenderer(constants: task.constants).program(
      found.expr, entryPoint: task.entryPoint, parameters: task.parameterNames)
    if let layout = task.stdin { program = StdinRenderer(layout: layout).program(around: program) }
    let missed = Double(task.outputs.count - found.passed)
    return Candidate(
      program: program, score: -found.bits - missed * Self.missBits,
      provenance: Provenance(policy: name, parameters: parameters, sampleIndex: index, parent: parent),
      payload: found.expr.text, cost: Double(found.programs))
  }
}
