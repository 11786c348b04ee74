"""A task's checker program, run on what a candidate's program wrote:
`run_checker.py NONCE COUNT`, in a job of its own after the candidate's
(nothing of the candidate runs beside it). /work holds checker.py and, for
each test i < COUNT that the program ran to exit code 0, i.in (the input),
i.exp (the expected output) and i.out (the program's output).

checker.py is run as `checker.py INPUT EXPECTED ACTUAL` would be, as
testlib's checkers are: exit code 0 accepted, 1 wrong answer, 2
presentation error, anything else (or a crash, or no end within the time)
the checker's own failure, unless the checker crashed or ran out of time
on the program's output and accepts the expected output in its place: the
output broke it, a wrong answer. Its first line of output is its message.

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


def check(test, actual):
    """The checker on one output: (code, message), code None when it
    crashed or ran out of time."""
    paths = ["%d.in" % test, "%d.exp" % test, actual]
    sys.argv = ["checker.py"] + paths
    captured = io.StringIO()
    stdout = sys.stdout
    sys.stdout = captured
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        runpy.run_path("checker.py", run_name="__main__")
        code = 0
    except SystemExit as exit:
        # As a process would end: None is 0, an int (or a bool) itself,
        # anything else (sys.exit("message")) 1, with the message.
        if exit.code is None:
            code = 0
        elif isinstance(exit.code, int):
            code = int(exit.code)
        else:
            code = 1
            print(exit.code, file=captured)
    except CheckerTimeout:
        return None, "the checker did not finish within %d s" % SECONDS
    except BaseException as error:
        lines = traceback.format_exception_only(type(error), error)
        return None, "the checker raised %s" % "".join(lines).strip()[:500]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout = stdout
    message = captured.getvalue().strip().split("\n")[0][:500]
    return code, message or ("exit code %d" % code)


def run(test):
    """The verdict on test's output: 0 accepted, 1 wrong, 2 presentation,
    -1 the checker's own failure. A checker that crashes or runs out of time
    on the program's output, but accepts the expected output, failed on
    what the program wrote: a wrong answer, not the task's fault (else a
    program could turn any wrong answer into an infrastructure error,
    which pass@k leaves out, by writing what the checker cannot read)."""
    code, message = check(test, "%d.out" % test)
    if code is None:
        sane, _ = check(test, "%d.exp" % test)
        if sane == 0:
            return 1, "the output broke the checker (it accepts the expected output): %s" % message
        return -1, message
    return (code if code in (0, 1, 2) else -1), message


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
