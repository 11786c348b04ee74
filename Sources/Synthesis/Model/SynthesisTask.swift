import Policy
import Suites
import Values

/// A task as the synthesizer sees it: the DSL types of its signature, its
/// public examples as DSL values, its constants, and the features the model
/// conditions on.
public struct SynthesisTask: Sendable {
  public let id: String
  public let entryPoint: String
  public let parameterNames: [String]
  public let parameterTypes: [DType]
  public let returnType: DType
  /// Public examples: arguments and expected results.
  public let inputs: [[DValue]]
  public let outputs: [DValue]
  public let constants: Constants
  /// What the model conditions on (``TaskFeatures``).
  public let features: [String]
  /// For a standard-input task: how its input is read into the
  /// parameters and the result written (the program around the function).
  public let stdin: StdinLayout?

  /// Why a task is outside what the DSL can express.
  public enum Unsupported: Error, Equatable, CustomStringConvertible {
    case noSignature
    case type(parameter: String, annotation: String)
    case noExamples
    case example(index: Int)
    /// A standard-input task whose samples it cannot read or write.
    case layout(StdinUnreadable)

    public var description: String {
      switch self {
      case .noSignature: "the task has no typed signature"
      case .type(let parameter, let annotation): "\(parameter): type \(annotation) is outside the DSL"
      case .noExamples: "the task has no public data tests to search against"
      case .example(let index): "public test \(index) holds values outside the DSL's types"
      case .layout(let why): why.description
      }
    }
  }

  public init(_ view: TaskView) throws(Unsupported) {
    if let program = view.program {
      try self.init(program: view, checker: program.checker)
      return
    }
    guard let signature = view.signature, let returns = signature.returns else { throw .noSignature }
    var types: [DType] = []
    for parameter in signature.parameters {
      guard let annotation = parameter.type, let type = DType.from(annotation) else {
        throw .type(parameter: parameter.name, annotation: parameter.type?.description ?? "(none)")
      }
      types.append(type)
    }
    guard let result = DType.from(returns) else { throw .type(parameter: "return", annotation: returns.description) }
    var inputs: [[DValue]] = []
    var outputs: [DValue] = []
    for (index, example) in view.publicExamples.enumerated() {
      guard example.args.count == types.count, let expected = DValue(example.expected, as: result) else {
        throw .example(index: index)
      }
      var args: [DValue] = []
      for (value, type) in zip(example.args, types) {
        guard let arg = DValue(value, as: type) else { throw .example(index: index) }
        args.append(arg)
      }
      inputs.append(args)
      outputs.append(expected)
    }
    guard !inputs.isEmpty else { throw .noExamples }
    self.init(
      id: view.id, entryPoint: view.entryPoint, parameterNames: signature.parameters.map(\.name),
      parameterTypes: types, returnType: result, inputs: inputs, outputs: outputs, prompt: view.prompt)
  }

  /// A standard-input task: a function `solve` over the parameters its
  /// samples' layout gives, with each test case of the samples an example.
  init(program view: TaskView, checker: String) throws(Unsupported) {
    let samples: StdinSamples
    do throws(StdinUnreadable) {
      samples = try StdinLayout.read(view.publicIO, checker: checker)
    } catch {
      throw .layout(error)
    }
    let parameters = samples.layout.parameters
    self.init(
      id: view.id, entryPoint: StdinRenderer.function, parameterNames: parameters.map(\.name),
      parameterTypes: parameters.map(\.type), returnType: samples.layout.output.type, inputs: samples.inputs,
      outputs: samples.outputs, prompt: view.prompt, stdin: samples.layout)
  }

  public init(
    id: String, entryPoint: String, parameterNames: [String], parameterTypes: [DType], returnType: DType,
    inputs: [[DValue]], outputs: [DValue], prompt: String, stdin: StdinLayout? = nil
  ) {
    self.stdin = stdin
    self.id = id
    self.entryPoint = entryPoint
    self.parameterNames = parameterNames
    self.parameterTypes = parameterTypes
    self.returnType = returnType
    self.inputs = inputs
    self.outputs = outputs
    constants = Constants(prompt: prompt)
    features = TaskFeatures.extract(
      prompt: prompt, parameterNames: parameterNames, parameterTypes: parameterTypes, returnType: returnType,
      inputs: inputs, outputs: outputs)
  }
}

/// The task features of the model: words of the prompt (`word:odd`), the
/// signature's types (`returns:int`, `takes:list[int]`, `arity:2`) and
/// statistics of the public examples (`stat:same-length`, ...). Binary.
public enum TaskFeatures {
  /// Words too common to say anything about the program.
  static let stopwords: Set<String> = [
    "the", "a", "an", "of", "in", "to", "and", "is", "it", "its", "by", "for", "with", "that", "this", "as", "be",
    "are", "if", "or", "on", "at", "from", "return", "returns", "list", "string", "number", "numbers", "which",
    "whose", "their", "there", "they", "them", "holds", "hold", "has", "have", "given", "value", "values",
  ]

  public static func extract(
    prompt: String, parameterNames: [String], parameterTypes: [DType], returnType: DType, inputs: [[DValue]],
    outputs: [DValue]
  ) -> [String] {
    var features: Set<String> = []
    let names = Set(parameterNames.map { $0.lowercased() })
    for word in words(prompt) where !stopwords.contains(word) && !names.contains(word) {
      features.insert("word:\(word)")
    }
    features.insert("returns:\(returnType)")
    for type in Set(parameterTypes) { features.insert("takes:\(type)") }
    features.insert("arity:\(min(parameterTypes.count, 3))")
    for stat in statistics(parameterTypes: parameterTypes, inputs: inputs, outputs: outputs) {
      features.insert("stat:\(stat)")
    }
    return features.sorted()
  }

  /// Lower-case words of letters, with a plural `s` dropped (`odds` → `odd`).
  public static func words(_ text: String) -> [String] {
    text.lowercased().split { !$0.isLetter }.map { word in
      let w = String(word)
      if w.count > 3, w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us") { return String(w.dropLast()) }
      return w
    }
  }

  /// What the examples show about the function, as names.
  static func statistics(parameterTypes: [DType], inputs: [[DValue]], outputs: [DValue]) -> [String] {
    var stats: [String] = []
    func all(_ predicate: ([DValue], DValue) -> Bool) -> Bool {
      zip(inputs, outputs).allSatisfy { predicate($0.0, $0.1) }
    }
    let firstList = parameterTypes.firstIndex { $0.element != nil }
    if let list = firstList {
      if all({ length($0[list]) == length($1) }) { stats.append("same-length") }
      if all({ (length($1) ?? 0) < (length($0[list]) ?? 0) || length($0[list]) == 0 }) { stats.append("shorter") }
      if all({ elements($1).allSatisfy(elements($0[list]).contains) }) { stats.append("from-input") }
      if all({ input, output in
        if case .int = output { return elements(input[list]).contains(output) || length(input[list]) == 0 }
        return false
      }) {
        stats.append("picks-element")
      }
    }
    if all({ _, output in
      if case .int(let v) = output { return v >= 0 }
      return false
    }) {
      stats.append("non-negative")
    }
    if all({ _, output in
      if case .ints(let xs) = output { return xs == xs.sorted() }
      return false
    }) {
      stats.append("sorted")
    }
    if all({ input, output in input.contains(output) }) { stats.append("returns-argument") }
    return stats
  }

  static func length(_ value: DValue) -> Int? {
    switch value {
    case .ints(let xs): xs.count
    case .strs(let xs): xs.count
    case .grid(let xs): xs.count
    case .str(let s): s.scalars.count
    default: nil
    }
  }

  static func elements(_ value: DValue) -> [DValue] {
    switch value {
    case .ints(let xs): xs.map { .int($0) }
    case .strs(let xs): xs.map { .str($0) }
    case .grid(let xs): xs.map { .ints($0) }
    case .str(let s): s.scalars.map { .str(PyStr([$0])) }
    default: []
    }
  }
}
