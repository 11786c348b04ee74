import Foundation
import Glibc
import TestSupport
import Testing

@testable import Sandbox

/// Every test that runs jobs lives under this suite: serialized, so that the
/// process and descriptor checks see only their own runs.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SandboxSuite {}

/// Run after every hostile case, in the same slot: nothing the case left in
/// /work, /tmp or /dev/shm may survive into the next job, and each has its
/// mode back.
enum CleanCheck {
  static let source = """
    import os
    left = [p for p in ("/dev/shm/marker", "/tmp/marker", "/work/marker", "/tmp/late") if os.path.exists(p)]
    modes = ["%o" % (os.stat(p).st_mode & 0o7777) for p in ("/work", "/tmp", "/dev/shm")]
    print("clean", left, sorted(os.listdir("/work")), sorted(os.listdir("/tmp")), sorted(os.listdir("/dev/shm")), modes)
    """
  static let expected = "clean [] ['main.py'] [] [] ['755', '1777', '1777']\n"
}

extension SandboxSuite {
  @Suite(.timeLimit(.minutes(10))) struct Hostile {
    @Test("The hostile catalogue", arguments: HostileCase.all, SandboxConfiguration.Mode.allCases)
    func hostile(_ hostile: HostileCase, _ mode: SandboxConfiguration.Mode) async throws {
      let pool = try await Pools.shared.pool(mode)
      let fixtures = HostFixtures.shared
      _ = try await pool.run(.python("pass"))  // every slot's jail is up before we count
      let descriptorsBefore = pool.jailProcessIDs().map(HostState.descriptorCount)

      var limits = SandboxLimits()
      limits.wallMilliseconds = hostile.wallMilliseconds
      limits.cpuMilliseconds = hostile.wallMilliseconds
      var job = SandboxJob.python(hostile.program(fixtures), limits: limits)
      job.network = hostile.network
      let result = try await pool.run(job)
      let out = result.stdout.text
      let err = result.stderr.text
      let context =
        "\(hostile.id) \(mode): \(result.termination)\nstdout: \(out.prefix(1500))\nstderr: \(err.prefix(1500))"

      // The verdict.
      #expect(hostile.outcome.matches(result.termination), "expected \(hostile.outcome); \(context)")
      for line in hostile.mustPrint {
        #expect(out.contains(line), "missing '\(line)'; \(context)")
      }
      #expect(!out.contains("ALLOWED"), "\(context)")
      #expect(!out.contains(fixtures.secret) && !err.contains(fixtures.secret), "the secret leaked; \(context)")
      #expect(result.layers.missingForMinimum.isEmpty)
      #expect(result.stdout.head.count + result.stdout.tail.count <= 2 << 20)

      // What must stay true afterwards: the host untouched, nothing of the
      // run alive, no descriptor leaked, and the next job starts clean.
      #expect(fixtures.violations() == [], "\(context)")
      let after = try await pool.run(.python(CleanCheck.source))
      #expect(after.termination == .exited(0), "the next job failed: \(after.termination) \(after.stderr.text)")
      #expect(after.stdout.text == CleanCheck.expected, "the next job saw leftovers: \(after.stdout.text)")
      let strays = strayProcesses(pool)
      #expect(strays.isEmpty, "processes of the run survive: \(strays); \(context)")
      #expect(pool.jailProcessIDs().map(HostState.descriptorCount) == descriptorsBefore, "a jail leaked descriptors")
    }

    /// Processes of the pool's users that are not part of the warm jail's
    /// own tree: the zygote (a child of the jail process), its single
    /// standby, and the standby's spare candidate.
    func strayProcesses(_ pool: SandboxPool) -> [String] {
      var parents: [pid_t: pid_t] = [:]
      for pid in HostState.processes(ofUsers: Set(pool.slotUserIDs + pool.trustedUserIDs)) {
        parents[pid] = parentOf(pid)
      }
      var allowed = Set(pool.jailProcessIDs())
      if pool.configuration.mode == .warm {
        for _ in 0..<3 {  // zygote, standby, spare: one each under the level above
          var next: Set<pid_t> = []
          for parent in allowed {
            let children = parents.filter { $0.value == parent }.map(\.key)
            if children.count == 1 { next.insert(children[0]) }
          }
          allowed.formUnion(next)
        }
      }
      return parents.filter { !allowed.contains($0.key) }.map {
        "\($0.key) (parent \($0.value)): \(commandLine($0.key))"
      }
    }

    func parentOf(_ pid: pid_t) -> pid_t {
      let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
      guard let close = stat.lastIndex(of: ")") else { return -1 }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      return fields.count > 1 ? pid_t(fields[1]) ?? -1 : -1
    }

    func commandLine(_ pid: pid_t) -> String {
      let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
      return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }
  }
}
