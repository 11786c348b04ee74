"""The candidate process of a test job: it loads the candidate's program and
answers calls with plain data. Nothing here is trusted.

Kept apart from the trusted side (runner.py) and lean in its imports: the
warm interpreter, which every candidate process is forked from, imports
this module and not the runner, and a smaller interpreter forks faster.

Plain values travel type-strictly: an int subclass, an object overriding
__eq__, or anything that is not a plain value (also nested) is refused,
never compared; see plainvalues.py. Messages: see channel.py.
"""

import json
import os
import sys
import time

from channel import receive, send
from plainvalues import Unencodable, decode, encode  # noqa: F401 (runner.py imports them from here)


# ---- framed messages over pipes -----------------------------------------

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
    """C: load the program sent by T, then answer calls until EOF. It stays
    non-dumpable, as forked: no other candidate can read its memory."""
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

def candidate_process(channel):
    """Entry point of an exec'd candidate process."""
    os.closerange(channel + 1, 1 << 16)
    candidate_main(channel)
    os._exit(0)


