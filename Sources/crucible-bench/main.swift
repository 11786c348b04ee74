import Foundation

/// `crucible-bench NAME [options]`: benchmarks that print what they measured
/// and the ratios the issues ask for, each against its point of comparison
/// measured in the same run.
let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks: [String: ([String]) async throws -> Void] = [
  "sandbox": SandboxBenchmark.run,
  "check": CheckBenchmark.run,
  "synth": SynthBenchmark.run,
  "strategies": StrategyBenchmark.run,
  "eval": EvalBenchmark.run,
  "timeouts": TimeoutBenchmark.run,
  "io": IOBenchmark.run,
  "rerank": RerankBenchmark.run,
  "serve": ServeBenchmark.run,
]
guard let name = arguments.first, let benchmark = benchmarks[name] else {
  print("usage: crucible-bench \(benchmarks.keys.sorted().joined(separator: "|")) [options]")
  exit(2)
}
do {
  try await benchmark(Array(arguments.dropFirst()))
} catch {
  FileHandle.standardError.write(Data("crucible-bench: \(error)\n".utf8))
  exit(2)
}
