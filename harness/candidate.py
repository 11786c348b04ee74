"""The candidate side of a test job: it loads the candidate's program and
answers calls with plain data. Nothing here is trusted, and nothing it says
is believed: the trusted side (runner.py) checks every message against the
protocol below and builds its records from its own observations.

Kept apart from the trusted side and lean in its imports: the warm zygote,
which every candidate process is forked from, imports this module, and a
smaller interpreter forks faster.

Protocol (framed JSON, see channel.py), strictly one answer per request:

  trusted -> candidate   {"program", "entry_point", "limits"} with the job's
                         stdout and stderr attached (the load)
  candidate -> trusted   {"kind": "ready"}
                       | {"kind": "syntax_error", "message", "line"}
                       | {"kind": "load_error", "type", "message", "line"}
                       | {"kind": "missing"}
  trusted -> candidate   {"seq": n, "args": [...]} (a call)
  candidate -> trusted   {"seq": n, "kind": "returned", "value": ...}
                       | {"seq": n, "kind": "raised", "type", "message", "line"}
                       | {"seq": n, "kind": "unencodable", "type", "message"}

Plain values travel type-strictly (plainvalues.py): an int subclass, an
object overriding __eq__, or anything that is not a plain value (also
nested) is refused, never compared.
"""

import ctypes
import json
import os
import resource
import sys

from channel import MAX_ANSWER, MAX_CALL, TooLarge, receive, receive_fds, receive_load, send
from plainvalues import Unencodable, decode, encode

# The candidates' user inside the jail; the trusted side is uid 0 when the
# jail has two users, else it shares this one.
CANDIDATE_ID = 1000
PR_SET_DUMPABLE = 4
LIBC = ctypes.CDLL(None)


def become_candidate(dumpable=True):
    """From the trusted user to the candidates': the kernel clears every
    capability on the way. Nothing to do where there is one user.
    `dumpable`: False right before an execve (which makes it dumpable)."""
    if os.geteuid() != 0:
        return
    os.setgroups([])
    os.setresgid(CANDIDATE_ID, CANDIDATE_ID, CANDIDATE_ID)
    os.setresuid(CANDIDATE_ID, CANDIDATE_ID, CANDIDATE_ID)
    # The change of user made the process undumpable, so it could not read
    # its own /proc/self/mem or environ: as a process started by its user
    # (a cold job's), it can. It holds nothing of the trusted side's but
    # what its parent had before any job existed.
    if dumpable:
        LIBC.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)


# The limits a warm standby applies to itself before it loads a program:
# its parent forked it before the job (and its limits) existed.
LIMITS = {"cpu_ms": resource.RLIMIT_CPU, "fsize": resource.RLIMIT_FSIZE, "nofile": resource.RLIMIT_NOFILE,
          "nproc": resource.RLIMIT_NPROC, "address_space": resource.RLIMIT_AS}


def apply_limits(limits):
    for name, value in (limits or {}).items():
        kind = LIMITS.get(name)
        if kind is None or not value:
            continue
        if kind == resource.RLIMIT_CPU:
            seconds = (value + 999) // 1000
            resource.setrlimit(kind, (seconds, seconds + 1))
        else:
            resource.setrlimit(kind, (value, value))


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


def serve(channel):
    """Load the program the trusted side sends, then answer calls until EOF.
    Never returns."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p not in (here, "/packages")]
    if os.path.isdir("/packages"):
        sys.path.append("/packages")
    try:
        load = receive_load(channel)
    except (EOFError, ValueError, OSError):
        os._exit(0)
    apply_limits(load.get("limits"))
    if load.get("files"):
        try:
            place_files(load["files"])
        except OSError as error:
            send(channel, {"kind": "load_error", "type": "OSError", "line": None,
                           "message": "the run's files could not be written: %s" % error.strerror})
            os._exit(0)
    filename = "solution.py"
    namespace = {"__name__": "solution", "__file__": filename, "__builtins__": __builtins__}
    try:
        code = compile(load["program"], filename, "exec")
    except SyntaxError as error:
        send(channel, {"kind": "syntax_error", "message": str(error.msg)[:2000], "line": error.lineno})
        os._exit(0)
    except BaseException as error:  # ValueError for NUL bytes, MemoryError, RecursionError
        send(channel, {"kind": "syntax_error", "message": str(error)[:2000], "line": None})
        os._exit(0)
    if load.get("mode") == "stdio":
        send(channel, {"kind": "ready"})
        serve_program(channel, code, load.get("limits"))
    try:
        exec(code, namespace)
    except BaseException as error:
        send(channel, dict(kind="load_error", **error_info(error, filename)))
        os._exit(0)
    function = namespace.get(load["entry_point"])
    if not callable(function):
        send(channel, {"kind": "missing"})
        os._exit(0)
    send(channel, {"kind": "ready"})
    while True:
        try:
            call = receive(channel, limit=MAX_CALL)
        except (EOFError, ValueError, OSError):
            os._exit(0)
        seq = call["seq"]
        try:
            result = function(*decode(call["args"]))
        except BaseException as error:
            reply = dict(kind="raised", **error_info(error, filename))
        else:
            try:
                reply = {"kind": "returned", "value": encode(result)}
            except (Unencodable, RecursionError) as error:
                reply = {"kind": "unencodable", "type": type(result).__name__, "message": str(error)[:500]}
        reply["seq"] = seq
        try:
            send(channel, reply, MAX_ANSWER)
        except (TooLarge, ValueError, OverflowError) as error:  # too large, or an int too long to print
            send(channel, {"seq": seq, "kind": "unencodable", "type": type(result).__name__,
                           "message": str(error)[:500]})


def place_files(files):
    """A program run's files, written to the working directory (/work)
    before the program loads. The paths were checked outside: relative,
    without '.', '..' or empty parts."""
    import base64
    for item in files:
        path = item["path"]
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            data = memoryview(base64.b64decode(item["data"]))
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)


def serve_program(channel, code, limits):
    """A whole program, run once per request in a child forked from here
    (which holds the compiled program and nothing else of the job): a
    request brings the test's standard input, a pipe for its standard
    output and one for an uncaught exception's description. The answer is
    how the child ended. Never returns."""
    while True:
        try:
            request, fds = receive_fds(channel, 3)
        except (EOFError, ValueError, OSError):
            os._exit(0)
        if len(fds) != 3 or type(request) is not dict:
            os._exit(0)
        seq = request.get("seq")
        pid = os.fork()
        if pid == 0:
            run_child(code, fds, channel, request)
        for fd in fds:
            os.close(fd)
        _, status, usage = os.wait4(pid, 0)
        reply = {"seq": seq, "kind": "exited", "code": os.WEXITSTATUS(status)} if os.WIFEXITED(status) else \
            {"seq": seq, "kind": "died", "signal": os.WTERMSIG(status)}
        reply["cpu_ms"] = int((usage.ru_utime + usage.ru_stime) * 1000)
        reply["rss_kb"] = int(usage.ru_maxrss)
        send(channel, reply)


def run_child(code, fds, channel, request):
    """The child: the test's input on fd 0, its output on fd 1, then the
    program as __main__. Never returns."""
    status = 1
    try:
        stdin, stdout, errors = fds
        os.close(channel)
        os.dup2(stdin, 0)
        os.dup2(stdout, 1)
        os.close(stdin)
        os.close(stdout)
        memory = request.get("memory_bytes")
        if type(memory) is int and memory > 0:
            # The child's own address space on top of what it starts with
            # (the interpreter, the modules the zygote loaded). Read with
            # os.read: a text-mode open() costs about 0.1 ms more in a
            # freshly forked child, on every test.
            statm = os.open("/proc/self/statm", os.O_RDONLY)
            try:
                base = int(os.read(statm, 256).split()[0]) * os.sysconf("SC_PAGE_SIZE")
            finally:
                os.close(statm)
            resource.setrlimit(resource.RLIMIT_AS, (base + memory, base + memory))
        cpu = request.get("cpu_seconds")
        if type(cpu) is int and cpu > 0:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        import io
        sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)),
                                                     encoding="utf-8", errors="surrogateescape")
        sys.stdout = sys.__stdout__ = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False), 1 << 16),
                                                       encoding="utf-8", errors="surrogateescape")
        namespace = {"__name__": "__main__", "__file__": "solution.py", "__builtins__": __builtins__}
        import atexit
        import threading
        atexit._clear()  # only the program's own handlers run at its end
        try:
            exec(code, namespace)
            status = 0
        except SystemExit as exit:
            if exit.code is None or exit.code == 0:
                status = 0
            elif type(exit.code) is int:
                status = exit.code & 0xFF
            else:
                status = 1
        except BaseException as error:
            info = error_info(error, "solution.py")
            try:
                os.write(errors, json.dumps(info).encode()[:8192])
            except BaseException:
                pass
            status = 1
        # The end of an interpreter, as `python solution.py` has it: wait
        # for the threads that are not daemons (`Thread(target=main).start()`
        # is how many solutions get a deeper stack), run the atexit
        # handlers, flush. os._exit skips all three.
        try:
            threading._shutdown()
        except BaseException:
            pass
        try:
            atexit._run_exitfuncs()
        except BaseException:
            pass
        try:
            sys.stdout.flush()
        except BaseException:
            pass
    finally:
        os._exit(status)


def exec_main(channel):
    """Entry point of a freshly exec'd candidate process (after a crash or a
    timeout): nothing of the trusted side's memory is in it. It says it has
    started before anything of the candidate runs, so the trusted side
    charges the interpreter's start-up to no test."""
    os.closerange(channel + 1, 1 << 16)
    send(channel, {"kind": "started"})
    serve(channel)
