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
    .systemLibrary(name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp"),
    .target(name: "Sandbox", dependencies: ["CJailWire", "CSeccomp"]),
    .executableTarget(
      name: "crucible",
      dependencies: [
        "Sandbox",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "crucible-bench", dependencies: ["Sandbox"]),
    .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "crucible-jail"]),
    .testTarget(name: "CLITests", dependencies: ["crucible", "crucible-jail"]),
  ]
)
