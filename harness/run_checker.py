"""A task's checker program, run on what a candidate's program wrote:
`run_checker.py NONCE COUNT`, in a job of its own after the candidate's
(nothing of the candidate runs beside it). /work holds checker.py and, for
each test i < COUNT that the program ran to exit code 0, i.in (the input),
i.exp (the expected output) and i.out (the program's output).

checker.py is run as `checker.py INPUT EXPECTED ACTUAL` would be, as
testlib's checkers are: exit code 0 accepted, 1 wrong answer, 2
presentation error, anything else (or a crash, or no end within the time)
the checker's own failure. Its first line of output is its message.

Prints one line per test: NONCE, a space, {"test", "code", "message"}; a
checker that fails has code -1 and what went wrong as the message.
"""
import io
import json
import os
import runpy
import signal
import sys
import traceback

SECONDS = 10


class CheckerTimeout(BaseException):
    pass


def on_alarm(signum, frame):
    raise CheckerTimeout()


def run(test):
    paths = ["%d.in" % test, "%d.exp" % test, "%d.out" % test]
    sys.argv = ["checker.py"] + paths
    captured = io.StringIO()
    stdout = sys.stdout
    sys.stdout = captured
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        runpy.run_path("checker.py", run_name="__main__")
        code = 0
    except SystemExit as exit:
        code = exit.code if type(exit.code) is int else (0 if exit.code is None else -1)
    except CheckerTimeout:
        return -1, "the checker did not finish within %d s" % SECONDS
    except BaseException as error:
        lines = traceback.format_exception_only(type(error), error)
        return -1, "the checker raised %s" % "".join(lines).strip()[:500]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout = stdout
    message = captured.getvalue().strip().split("\n")[0][:500]
    return (code if code in (0, 1, 2) else -1), message or ("exit code %d" % code)


def main():
    nonce, count = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGALRM, on_alarm)
    out = os.fdopen(os.dup(1), "w")
    for test in range(count):
        if not os.path.exists("%d.out" % test):
            continue
        code, message = run(test)
        out.write("%s %s\n" % (nonce, json.dumps({"test": test, "code": code, "message": message})))
        out.flush()


main()
