import Foundation
import Support

/// What `crucible sandbox doctor` reports: the layers the host offers, the
/// plan the pool would use, and a real test job in each path.
public struct DoctorReport: Sendable {
  /// One line of the report.
  public struct Check: Sendable {
    public var name: String
    public var ok: Bool
    public var detail: String
  }

  /// The checks, in order.
  public var checks: [Check]
  /// Layers every job gets, when the minimum is met.
  public var layers: Layers
  /// Whether the sandbox minimum is met and both paths ran a job.
  public var ok: Bool { checks.allSatisfy(\.ok) }

  /// A table for people.
  public var text: String {
    var lines = checks.map {
      "\($0.ok ? "ok  " : "FAIL") \($0.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \($0.detail)"
    }
    lines.append("")
    lines.append(
      ok
        ? "The sandbox minimum is met; active layers: \(layers.names.joined(separator: ", "))."
        : "The sandbox cannot run safely here; see FAIL above.")
    return lines.joined(separator: "\n")
  }

  /// The same as JSON.
  public var json: [String: Any] {
    [
      "ok": ok, "layers": layers.names,
      "checks": checks.map { ["name": $0.name, "ok": $0.ok, "detail": $0.detail] as [String: Any] },
    ]
  }
}

/// Examines the host.
public enum Doctor {
  /// Probes everything and runs `print(...)` in the cold and the warm path.
  public static func examine(python: String?) async -> DoctorReport {
    var checks: [DoctorReport.Check] = []
    func add(_ name: String, _ ok: Bool, _ detail: String) {
      checks.append(.init(name: name, ok: ok, detail: detail))
    }
    let components: Components
    do {
      components = try Components.locate()
      if let home = try? RuntimeHome.locate() { add("runtime files", true, "\(home.root) (\(home.origin.rawValue))") }
      add("jail", true, components.jail)
      add("harness", true, components.harness)
    } catch let error as SandboxError {
      add("components", false, error.message)
      return DoctorReport(checks: checks, layers: [])
    } catch {
      add("components", false, "\(error)")
      return DoctorReport(checks: checks, layers: [])
    }
    let interpreter: PythonInterpreter
    do {
      interpreter = try PythonInterpreter.resolve(python)
      add("python", true, "\(interpreter.executable) (\(interpreter.version))")
    } catch {
      add("python", false, (error as? SandboxError)?.message ?? "\(error)")
      return DoctorReport(checks: checks, layers: [])
    }
    let probe: HostProbe
    do {
      probe = try HostProbe.run(jail: components.jail)
    } catch {
      add("probe", false, (error as? SandboxError)?.message ?? "\(error)")
      return DoctorReport(checks: checks, layers: [])
    }
    add("kernel", true, probe.kernel + (probe.euid == 0 ? " (root: per-slot users)" : " (unprivileged)"))
    add(
      "judge users", true,
      probe.euid == 0
        ? "two per slot: the trusted side (runner, zygote) apart from candidates"
        : "one (not root): candidates share a uid with the trusted side; run as root for two")
    add(
      "seccomp", probe.seccomp,
      probe.seccomp
        ? "filters available" + (probe.seccompNotify ? ", user notification (violations name the call)" : "")
        : "unavailable")
    add(
      "landlock", probe.landlockABI > 0,
      probe.landlockABI > 0
        ? "ABI \(probe.landlockABI)"
          + (probe.landlockABI >= 6 ? " (filesystem, TCP, signal and abstract-socket scoping)" : "")
        : "unavailable (optional when mount and net namespaces work)")
    for name in ["userns", "mntns", "pidns", "netns", "ipcns", "utsns", "cgroupns"] {
      let required = name == "userns" || name == "mntns"
      add(name, probe.has(name) || !required, probe.namespaces[name] ?? "?")
    }
    let cg = probe.cgroups
    var cgDetail =
      cg.v2.map { "v2 at \($0)" }
      ?? (cg.v1.isEmpty ? "none writable" : cg.v1.keys.sorted().map { "v1 \($0)" }.joined(separator: ", "))
    if !cg.notes.isEmpty && !cg.limitsAvailable { cgDetail += " (" + cg.notes.joined(separator: "; ") + ")" }
    add(
      "cgroups", true,
      cg.limitsAvailable
        ? cgDetail + ": memory, pids and CPU limits per slot" : cgDetail + ": only rlimits bound memory and processes")
    var layers: Layers = []
    for mode in SandboxConfiguration.Mode.allCases {
      let configuration = SandboxConfiguration(
        mode: mode, workers: 1, python: interpreter, components: components, probe: probe)
      do {
        layers = try configuration.plan().layers
        let pool = try await SandboxPool.start(configuration)
        defer { pool.shutdown() }
        let result = try await pool.run(.python("import sys; print('hello from', sys.version.split()[0])"))
        let ok = result.termination == .exited(0) && result.stdout.text.hasPrefix("hello from")
        add(
          "\(mode.rawValue) run", ok,
          ok
            ? String(format: "a test job ran in %.1f ms", Double(result.wallMicroseconds) / 1000)
            : "test job: \(result.termination) \(result.stderr.text.prefix(300))")
      } catch {
        add("\(mode.rawValue) run", false, (error as? SandboxError)?.message ?? "\(error)")
      }
    }
    return DoctorReport(checks: checks, layers: layers.subtracting(.warm))
  }
}
