import Foundation
import Support

/// llama.cpp's server on loopback, serving a GGUF model (and a LoRA
/// adapter on it), started through `harness/llm-server` and owned by this
/// process: stopped by `stop()`, and by the script itself when this process
/// is gone however it ended (`--parent`).
public final class LocalModelServer: Sendable {
  /// The API root, `http://127.0.0.1:PORT/v1`.
  public let baseURL: URL
  public let modelFile: String
  public let adapter: String?
  private let process: Process
  /// The server's own pid (the script's child).
  private let serverPID: Int32

  private init(baseURL: URL, modelFile: String, adapter: String?, process: Process, serverPID: Int32) {
    self.baseURL = baseURL
    self.modelFile = modelFile
    self.adapter = adapter
    self.process = process
    self.serverPID = serverPID
  }

  /// The name a request gives the model: the file's name and a
  /// fingerprint of its contents, and the adapter's, so that a run's
  /// identity (the policy's parameters) tells two models apart and a run
  /// with another adapter is never taken for a resumed one. llama.cpp's
  /// server answers any name with the model it serves.
  public static func modelName(modelFile: String, adapter: String?) -> String {
    func named(_ path: String) -> String {
      "\((path as NSString).lastPathComponent)@\(fingerprint(path))"
    }
    return "local:" + named(modelFile) + (adapter.map { "+lora:" + named($0) } ?? "")
  }

  /// FNV-1a of the size and of the first and last 4 MiB (the whole of a
  /// smaller file): cheap on a model of gigabytes, and changed by any
  /// adapter or quantization.
  public static func fingerprint(_ path: String) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "unreadable" }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()) ?? 0
    let window: UInt64 = 4 << 20
    var bytes = Array(String(size).utf8)
    try? handle.seek(toOffset: 0)
    bytes += (try? handle.read(upToCount: Int(min(size, window)))) ?? Data()
    if size > window {
      try? handle.seek(toOffset: max(window, size - window))
      bytes += (try? handle.readToEnd()) ?? Data()
    }
    return FNV1a.hex(FNV1a.hash(bytes))
  }

  /// The script, from the runtime home.
  public static func script() throws -> String {
    do {
      return try RuntimeHome.locate().file("harness/llm-server", what: "the model server script")
    } catch {
      throw LocalModelError(error.description)
    }
  }

  /// The model the script installs (Gemma 3 270M), installing it first
  /// when it is not there (minutes, once).
  public static func defaultModel() async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try script())
    process.arguments = ["model"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.standardError
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let line = await readLine(out.fileHandleForReading)
    await waitForExit(process)
    guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: line) else {
      throw LocalModelError(
        "the default model could not be installed (harness/llm-server model exited \(process.terminationStatus)); "
          + "give --model-file FILE.gguf")
    }
    return line
  }

  /// Starts the server and waits until it answers (the first start installs
  /// it: minutes). A model or adapter the server cannot load is an error
  /// holding what the server said.
  public static func start(modelFile: String, adapter: String?, threads: Int) async throws -> LocalModelServer {
    let script = try script()
    try checkGGUF(modelFile, flag: "--model-file")
    if let adapter { try checkGGUF(adapter, flag: "--lora") }
    guard let port = Loopback.freePort() else { throw LocalModelError("cannot find a free loopback port") }
    let errors = FileManager.default.temporaryDirectory.appending(path: "crucible-llm-\(getpid())-\(port).err")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errors) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: script)
    process.arguments =
      ["serve", String(port), "--model", modelFile, "--threads", String(threads), "--parent", String(getpid())]
      + (adapter.map { ["--lora", $0] } ?? [])
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: errors)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // "ready URL PID" once it answers; end of file when the script exits.
    // Cancelled (Ctrl-C) while it starts: the script stops, and its server.
    let line = await withTaskCancellationHandler {
      await readLine(out.fileHandleForReading)
    } onCancel: {
      process.terminate()
    }
    try Task.checkCancellation()
    let words = line.split(separator: " ")
    guard words.count == 3, words[0] == "ready", let url = URL(string: String(words[1])), let pid = Int32(words[2])
    else {
      if process.isRunning { process.terminate() }
      await waitForExit(process)
      let said = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      let what = adapter.map { "\(modelFile) with the adapter \($0)" } ?? modelFile
      throw LocalModelError(
        "the model server did not start with \(what) (exit \(process.terminationStatus)); it said: "
          + said.trimmingCharacters(in: .whitespacesAndNewlines).suffix(1500))
    }
    return LocalModelServer(baseURL: url, modelFile: modelFile, adapter: adapter, process: process, serverPID: pid)
  }

  /// Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it.
  public func stop() async {
    // The server's pid is only its own while the script, which reaps it,
    // runs: once the script is gone the pid may be another process's.
    guard process.isRunning else { return await Self.waitForExit(process) }
    kill(serverPID, SIGTERM)
    let deadline = ContinuousClock.now + .seconds(10)
    while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
    if process.isRunning {
      kill(serverPID, SIGKILL)
      process.terminate()
    }
    await Self.waitForExit(process)
  }

  /// A file llama.cpp could read as GGUF: it exists and begins with the
  /// magic; anything else is refused naming the flag and the path.
  static func checkGGUF(_ path: String, flag: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw LocalModelError("\(flag) \(path): no such file, or not readable")
    }
    defer { try? handle.close() }
    let magic = (try? handle.read(upToCount: 4)) ?? Data()
    guard magic == Data("GGUF".utf8) else {
      throw LocalModelError("\(flag) \(path): not a GGUF file (it does not begin with GGUF)")
    }
  }

  /// The first line of `handle`, read on a thread of its own (the read
  /// blocks).
  static func readLine(_ handle: FileHandle) async -> String {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
          bytes.append(first)
        }
        continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
      }
    }
  }

  static func waitForExit(_ process: Process) async {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        process.waitUntilExit()
        continuation.resume()
      }
    }
  }
}

/// What the local model family cannot do, in one line naming the file or
/// the flag.
public struct LocalModelError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
