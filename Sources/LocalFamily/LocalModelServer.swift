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
    let port = try freeLoopbackPort()
    let errors = FileManager.default.temporaryDirectory.appending(path: "crucible-llm-\(getpid())-\(port).err")
    FileManager.default.createFile(atPath: errors.path, contents: nil)
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
    let line = await readLine(out.fileHandleForReading)
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

  static func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LocalModelError("cannot open a socket to find a free port") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw LocalModelError("cannot find a free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
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
