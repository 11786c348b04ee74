// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Crucible",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "crucible", targets: ["crucible"]),
    .executable(name: "crucible-jail", targets: ["crucible-jail"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // The wire protocol between supervisor and jail: one header, both sides.
    .target(name: "CJailWire", path: "sandbox/wire"),
    // The jail: a small single-threaded C program, statically linked.
    .executableTarget(
      name: "crucible-jail",
      dependencies: ["CJailWire"],
      path: "sandbox/jail",
      cSettings: [.unsafeFlags(["-O2", "-Wall"])],
      linkerSettings: [.unsafeFlags(["-static-executable"])]
    ),
    // Typed Python values and their JSON encoding.
    .target(name: "Values"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    // Task suites on disk: directories and HumanEval/MBPP/Crucible JSONL.
    .target(name: "Suites", dependencies: ["Values", "CZlib"]),
    .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp"),
    .target(name: "Sandbox", dependencies: ["CJailWire", "CSeccomp"]),
    // The Policy protocol: propose and revise candidates from what a task shows.
    .target(name: "Policy", dependencies: ["Suites", "Values"]),
    // The built-in policy: a typed DSL, its interpreter and Python renderer,
    // a learned conditional model, and a bottom-up enumerator.
    .target(name: "Synthesis", dependencies: ["Policy", "Suites", "Values"]),
    // Running a candidate against a task's tests in the sandbox: per-test verdicts.
    .target(name: "Judge", dependencies: ["Sandbox", "Suites", "Values"]),
    .executableTarget(
      name: "crucible",
      dependencies: [
        "Sandbox", "Suites", "Judge",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "crucible-bench", dependencies: ["Sandbox", "Suites", "Judge", "Policy", "Synthesis"]),
    // Helpers shared by the test targets: shared pools, host state, polling.
    .target(name: "TestSupport", dependencies: ["Sandbox"], path: "Tests/TestSupport"),
    .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TestSupport", "crucible-jail"]),
    .testTarget(name: "ValuesTests", dependencies: ["Values"]),
    .testTarget(name: "SuitesTests", dependencies: ["Suites", "Values"]),
    .testTarget(
      name: "JudgeTests", dependencies: ["Judge", "Sandbox", "Suites", "Values", "TestSupport", "crucible-jail"]),
    .testTarget(
      name: "SynthesisTests",
      dependencies: ["Synthesis", "Policy", "Suites", "Sandbox", "Values", "TestSupport", "crucible-jail"]),
    .testTarget(name: "CLITests", dependencies: ["crucible", "crucible-jail"]),
  ]
)
