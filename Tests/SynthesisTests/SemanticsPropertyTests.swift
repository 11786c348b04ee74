import Foundation
import Sandbox
import TestSupport
import Testing
import Values

@testable import Synthesis

/// The interpreter and the rendered Python must agree: a value, or both
/// fail (Python raises where the interpreter says `.error`). Results the
/// interpreter cannot represent (`.beyond`: past 64 bits or too large) are
/// not compared; the test bounds how many there are.
@Suite(.timeLimit(.minutes(10))) struct SemanticsPropertyTests {
  struct Case {
    var expr: Expr
    var params: [DType]
    var result: DType
    var inputs: [[DValue]]
    var expected: [DValue]
    var source: String
  }

  static let script = """
    import json, os, sys
    sys.path.insert(0, "/harness")
    from candidate import decode, encode
    out = []
    for case in json.loads(sys.stdin.read()):
        namespace = {}
        exec(case["source"], namespace)
        function = namespace["f"]
        results = []
        for args in case["inputs"]:
            try:
                results.append({"value": encode(function(*decode(args)))})
            except Exception as error:
                results.append({"error": type(error).__name__})
        out.append(results)
    data = json.dumps(out).encode()
    os.write(3, data)
    """

  func makeCases(count: Int, seed: UInt64) -> [Case] {
    var generator = ProgramGenerator(seed: seed)
    let renderer = PythonRenderer(constants: generator.constants)
    let interpreter = Interpreter(constants: generator.constants)
    var cases: [Case] = []
    let types = DType.allCases
    while cases.count < count {
      let params = (0..<Int.random(in: 1...2, using: &generator.generator)).map { _ in
        types.randomElement(using: &generator.generator)!
      }
      let result = types.randomElement(using: &generator.generator)!
      guard
        let expr = generator.program(result, params: params, depth: Int.random(in: 2...4, using: &generator.generator))
      else { continue }
      let inputs = (0..<3).map { _ in params.map { generator.value($0) } }
      let expected = inputs.map { interpreter.evaluate(expr, params: $0) }
      let names = params.indices.map { "p\($0)" }
      let source = renderer.program(expr, entryPoint: "f", parameters: names)
      cases.append(Case(expr: expr, params: params, result: result, inputs: inputs, expected: expected, source: source))
    }
    return cases
  }

  @Test("3,000 random programs: the Swift interpreter and the rendered Python agree")
  func agree() async throws {
    let pool = try await Pools.shared.pool(.warm)
    // Seconds of generating and interpreting: on a thread of its own, not
    // one of the test process's few pool threads (see offThePool).
    let cases = try await offThePool { makeCases(count: 3000, seed: 42) }
    var compared = 0
    var beyond = 0
    var errors = 0
    var mismatches: [String] = []
    for batch in stride(from: 0, to: cases.count, by: 500) {
      let slice = Array(cases[batch..<min(batch + 500, cases.count)])
      // Inputs whose result the interpreter cannot represent are not sent.
      let payload: JSON = .array(
        slice.map { c in
          .object([
            ("source", .string(c.source)),
            (
              "inputs",
              .array(zip(c.inputs, c.expected).filter { $0.1 != .beyond }.map { .array($0.0.map { $0.value!.json }) })
            ),
          ])
        })
      var limits = SandboxLimits()
      limits.wallMilliseconds = 60_000
      limits.cpuMilliseconds = 60_000
      limits.memoryBytes = 1 << 30
      let run = try await pool.run(
        SandboxJob(
          script: "main.py", files: [.init(path: "main.py", text: Self.script)], stdin: Array(payload.text.utf8),
          limits: limits))
      #expect(run.termination == .exited(0), "\(run.termination) \(run.stderr.text.suffix(2000))")
      guard case .array(let results)? = try? JSON.parse(String(decoding: run.resultChannel, as: UTF8.self)) else {
        Issue.record("no results from Python: \(run.stderr.text.suffix(2000))")
        return
      }
      for (c, result) in zip(slice, results) {
        guard case .array(let outcomes) = result else { continue }
        var pythonOutcomes = outcomes.makeIterator()
        for (input, expected) in zip(c.inputs, c.expected) {
          if expected == .beyond {
            beyond += 1
            continue
          }
          guard let outcome = pythonOutcomes.next() else { break }
          compared += 1
          let detail = "\(c.expr.text)\n\(c.source)input \(input.map { $0.value!.pythonLiteral }): "
          if expected == .error {
            errors += 1
            if outcome["error"] == nil { mismatches.append(detail + "Swift: error, Python: \(outcome.text)") }
          } else if let json = outcome["value"], let value = try? Value(json: json) {
            if !(expected.value.map { $0.accepts(value) && value.accepts($0) } ?? false) {
              mismatches.append(detail + "Swift: \(expected.value!.pythonLiteral), Python: \(value.pythonLiteral)")
            }
          } else {
            mismatches.append(detail + "Swift: \(expected.value!.pythonLiteral), Python: \(outcome.text)")
          }
        }
      }
    }
    #expect(
      mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5).joined(separator: "\n---\n"))")
    #expect(compared >= 8000)
    #expect(errors < compared / 2, "too many programs fail: the comparison would say little")
    #expect(beyond < compared / 50, "\(beyond) results beyond the interpreter's limits")
  }

  @Test("The interpreter is total: errors and runaway programs are values")
  func total() async throws {
    let generated = ProgramGenerator(seed: 7)
    let interpreter = Interpreter(constants: generated.constants)
    // 20,000 programs: on a thread of their own (see offThePool). A trap
    // here would end the test process, which is the failure.
    try await offThePool {
      var generator = generated
      for _ in 0..<20_000 {
        let params: [DType] = [.ints, .str]
        guard
          let expr = generator.program(
            DType.allCases.randomElement(using: &generator.generator)!, params: params, depth: 5)
        else { continue }
        _ = interpreter.evaluate(expr, params: [.ints([Int.max, Int.min, 0]), .str(PyStr(""))])
      }
    }
    let huge: Expr = .call(
      Grammar.index["repeat_str"]!, [.constant(7), .call(Grammar.index["mul"]!, [.param(0), .param(0)])])
    #expect(interpreter.evaluate(huge, params: [.int(1_000_000)]) == .beyond)
    let overflow: Expr = .call(Grammar.index["mul"]!, [.param(0), .param(0)])
    #expect(interpreter.evaluate(overflow, params: [.int(Int.max)]) == .beyond)
    let divide: Expr = .call(Grammar.index["floordiv"]!, [.param(0), .constant(0)])
    #expect(interpreter.evaluate(divide, params: [.int(5)]) == .error)
  }

  @Test("Expressions round-trip through their text form")
  func textRoundTrip() {
    var generator = ProgramGenerator(seed: 3)
    for _ in 0..<2000 {
      let expr = generator.program(.ints, params: [.ints, .int], depth: 4)
      #expect(expr != nil && Expr.parse(expr!.text) == expr)
    }
    #expect(Expr.parse("(sum @0") == nil)
    #expect(Expr.parse("(nosuch @0)") == nil)
  }
}
