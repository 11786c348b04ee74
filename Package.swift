// swift-tools-version: 6.1
import PackageDescription

// The jail's C, and the wire code linked into it: optimized (FORTIFY needs
// it), every warning -Wextra finds, glibc's checked string and I/O calls
// (their __*_chk versions are in the static libc the jail links) and stack
// canaries. CI builds the jail once more with -Xcc -Werror (.ci/run), so a
// new warning fails there without breaking builds on other compilers.
let jailCFlags = [
  "-O2", "-Wall", "-Wextra", "-U_FORTIFY_SOURCE", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong",
]

// Linux only: the sandbox is built on Linux namespaces, seccomp, Landlock
// and cgroups, and finds its runtime files through /proc/self/exe.
let package = Package(
  name: "Crucible",
  products: [
    .executable(name: "crucible", targets: ["crucible"]),
    .executable(name: "crucible-jail", targets: ["crucible-jail"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    // AsyncHTTPClient's own: its types (ByteBuffer, HTTPHeaders) are named.
    .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
    // The service (`crucible serve`): HTTP on SwiftNIO, and its metrics.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    // Hummingbird's own, named for their types: its logger, and the
    // service group that shuts it down on SIGTERM.
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
  ],
  targets: [
    // The wire protocol between supervisor and jail: one header, both sides.
    .target(name: "CJailWire", path: "sandbox/wire", cSettings: [.unsafeFlags(jailCFlags)]),
    // The jail: a small single-threaded C program, statically linked.
    .executableTarget(
      name: "crucible-jail",
      dependencies: ["CJailWire"],
      path: "sandbox/jail",
      cSettings: [.unsafeFlags(jailCFlags)],
      linkerSettings: [.unsafeFlags(["-static-executable"])]
    ),
    // Small pieces every layer uses: FNV-1a, JSON Lines, bounded concurrency, durations,
    // showing untrusted text safely, and where the runtime files are (RuntimeHome).
    .target(name: "Support"),
    // Typed Python values and their JSON encoding.
    .target(name: "Values"),
    // The one vocabulary of outcomes: test verdicts and their kinds, grades,
    // eval sample statuses, the harness's outcomes; each written as its
    // snake_case raw value, an unknown one read back an error.
    .target(name: "Verdicts"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    // Task suites on disk: directories and HumanEval/MBPP/Crucible JSONL.
    .target(name: "Suites", dependencies: ["Support", "Values", "CZlib"]),
    .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp"),
    .target(name: "Sandbox", dependencies: ["CJailWire", "CSeccomp", "Support"]),
    // The Policy protocol: propose and revise candidates from what a task shows.
    .target(name: "Policy", dependencies: ["Support", "Suites", "Values", "Verdicts"]),
    // The built-in policy: a typed DSL, its interpreter and Python renderer,
    // a learned conditional model, and a bottom-up enumerator.
    // Optimized in debug builds too: the enumerator is the hot loop of every
    // test and command that solves, and -Onone makes it ten times slower.
    .target(
      name: "Synthesis", dependencies: ["Policy", "Suites", "Support", "Values"], swiftSettings: [.unsafeFlags(["-O"])]),
    // Running a candidate against a task's tests in the sandbox: per-test verdicts.
    .target(name: "Judge", dependencies: ["Sandbox", "Suites", "Support", "Values", "Verdicts"]),
    // What runs record, and the journals they record it through: search's
    // proposals, attempts and outcomes, eval's samples and runs, training's
    // rounds, and the one run identity. The run store implements them.
    .target(name: "Journal", dependencies: ["Policy", "Judge", "Support", "Verdicts"]),
    // The strategies that spend a budget on a task, rewarded by the judge.
    .target(name: "Search", dependencies: ["Journal", "Policy", "Judge", "Suites", "Support", "Verdicts"]),
    // A language model behind an OpenAI-compatible API, as a policy; HTTP
    // on AsyncHTTPClient (SwiftNIO), the only target that links it.
    .target(
      name: "LanguageModel",
      dependencies: [
        "Policy", "Suites", "Support", "Values", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]),
    // Choosing among candidates that pass the public tests: generated
    // inputs, behaviour clusters, agreement with a model's tests.
    .target(name: "Selection", dependencies: ["Judge", "Policy", "Search", "Suites", "Support", "Values"]),
    // Expert iteration: rounds of search, learning and evaluation; exports;
    // the Learner and PolicyFamily protocols (no concrete family).
    .target(name: "Learning", dependencies: ["Journal", "Search", "Policy", "Judge", "Suites", "Support"]),
    // Policy families, each a module: its options (ArgumentParser), its
    // policy, its learner, its cost unit.
    .target(
      name: "BuiltinFamily",
      dependencies: [
        "Learning", "Policy", "Synthesis", "Support",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(
      name: "ModelFamily",
      dependencies: [
        "Learning", "Policy", "LanguageModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .target(
      name: "LocalFamily",
      dependencies: [
        "Learning", "Policy", "LanguageModel", "ModelFamily", "Journal", "Search", "Suites", "Support",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // The registry of policy families and the options that choose one.
    .target(
      name: "Families",
      dependencies: [
        "Learning", "Policy", "BuiltinFamily", "ModelFamily", "LocalFamily", "Judge", "Search", "Selection",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Evaluation: samples, pass@k, flakiness, regressions, shards and merges.
    .target(name: "Evaluation", dependencies: ["Journal", "Judge", "Policy", "Suites", "Support", "Verdicts"]),
    // What commands leave behind: summaries, tables, solution files.
    .target(
      name: "Reports", dependencies: ["Journal", "Judge", "Search", "Learning", "Evaluation", "Support", "Verdicts"]),
    // The run store: every run of every command, in SQLite; resumable.
    .target(
      name: "Store",
      dependencies: [
        "Journal", "Policy", "Judge", "Support", "Verdicts", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    // The judge as an HTTP service: SandboxFusion's /run_code, Crucible's
    // /v1/judge, health and Prometheus metrics; a bounded queue before the
    // sandbox pool. The only target that links Hummingbird.
    .target(
      name: "JudgeService",
      dependencies: [
        "Judge", "Sandbox", "Suites", "Support", "Values", "Verdicts",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .executableTarget(
      name: "crucible",
      dependencies: [
        "Sandbox", "Suites", "Judge", "Policy", "Journal", "Search", "Store", "Reports", "Learning", "Families",
        "Evaluation", "Support", "Verdicts", "JudgeService",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "crucible-bench",
      dependencies: [
        "Sandbox", "Suites", "Judge", "Policy", "Synthesis", "Search", "Support", "Journal", "LanguageModel",
        "Selection", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]),
    // Helpers shared by the test targets: shared pools, host state, polling.
    .target(name: "TestSupport", dependencies: ["Sandbox", "Suites", "Support", "Values"], path: "Tests/TestSupport"),
    .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TestSupport", "crucible-jail"]),
    .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
    .testTarget(name: "VerdictsTests", dependencies: ["Verdicts", "TestSupport"]),
    .testTarget(
      name: "ValuesTests", dependencies: ["Values", "TestSupport"],
      exclude: ["equality_reference.py", "random_pairs.py"]),
    .testTarget(name: "SuitesTests", dependencies: ["Suites", "Values"]),
    .testTarget(
      name: "JudgeTests",
      dependencies: ["Judge", "Sandbox", "Suites", "Values", "Verdicts", "TestSupport", "crucible-jail"]),
    .testTarget(
      name: "SynthesisTests",
      dependencies: ["Synthesis", "Policy", "Suites", "Sandbox", "Values", "TestSupport", "crucible-jail"]),
    .testTarget(
      name: "SearchTests",
      dependencies: ["Journal", "Search", "Judge", "Policy", "Suites", "Verdicts", "TestSupport", "crucible-jail"]),
    .testTarget(
      name: "SelectionTests",
      dependencies: [
        "Selection", "Search", "Journal", "Judge", "LanguageModel", "Policy", "Suites", "Values", "TestSupport",
        "crucible-jail",
      ]),
    .testTarget(
      name: "LearningTests",
      dependencies: [
        "Learning", "BuiltinFamily", "LocalFamily", "ModelFamily", "Journal", "Search", "Judge", "Policy", "Suites",
        "Synthesis",
        "Values", "TestSupport",
        "crucible-jail",
      ]),
    .testTarget(
      name: "FamiliesTests",
      dependencies: [
        "Families", "BuiltinFamily", "ModelFamily", "LocalFamily", "Learning", "Policy",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // The model client's soak, in a process of its own (what it measures
    // is its own): LanguageModelTests runs it.
    .executableTarget(
      name: "model-client-soak", dependencies: ["LanguageModel", "TestSupport"], path: "Tests/ModelClientSoak"),
    .testTarget(
      name: "LanguageModelTests",
      dependencies: [
        "LanguageModel", "Policy", "Suites", "Values", "Search", "Judge", "TestSupport", "crucible-jail",
        "model-client-soak",
      ]),
    .testTarget(
      name: "EvaluationTests",
      dependencies: [
        "Evaluation", "Journal", "Judge", "Search", "Store", "Suites", "Policy", "Values", "Verdicts", "TestSupport",
        "crucible-jail",
      ]),
    .testTarget(
      name: "ReportsTests",
      dependencies: ["Reports", "Evaluation", "Journal", "Learning", "Policy", "Search", "Support", "TestSupport"]),
    .testTarget(
      name: "StoreTests", dependencies: ["Store", "Journal", "Search", "Judge", "Policy", "Verdicts", "TestSupport"]),
    .testTarget(
      name: "JudgeServiceTests",
      dependencies: [
        "JudgeService", "Judge", "Sandbox", "Suites", "Support", "Values", "TestSupport", "crucible", "crucible-jail",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
      ],
      exclude: ["sandbox_fusion_client.py"]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "crucible", "crucible-jail", "Journal", "Store", "Support", "TestSupport", "LocalFamily", "LanguageModel",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
  ]
)
