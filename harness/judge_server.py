"""The warm jail's init (pid 1): the trusted side of every test job.

At start it holds nothing secret; it forks the zygote (zygote.py), which
serves the launcher and forks one standby per job, and then forks only
fresh interpreters (candidates restarted after a crash or a timeout, which
exec at once) and, to stop a candidate, a helper that becomes the
candidates' user and kills every process of it. For a test job, the
standby sends it the spec (unread), the result channel, the job's stdout
and stderr and one end of a socket, and becomes the candidate process (as
the candidates' user); this process reads the spec, runs the tests
(runner.serve_warm) and tells the zygote it is done.

It is long-lived, so that a test job costs one fork (the standby's), not
two: its memory holds past jobs' specs, and nothing of a candidate ever
runs in it or in a fork of it. It is another user than every candidate
(where the jail has two) and init: no candidate can signal, re-limit or
read it, and the zygote's kill(-1) cleanup passes it by. The task's own
test code (HumanEval's check, MBPP's asserts) runs here, in a fresh
namespace per job. If the zygote dies, so does this process, and the
launcher replaces the whole jail.
"""

import ctypes
import os
import signal
import socket
import sys

PR_SET_DUMPABLE = 4


def main():
    # Not dumpable before anything else: the zygote inherits it.
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # Python's handlers back to the default, so that only the signals we
    # handle later can reach init; what Python ignores (SIGPIPE, SIGXFSZ)
    # stays ignored, for the judge and for every job.
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            if signal.getsignal(number) not in (signal.SIG_IGN, None):
                signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError, RuntimeError):
            pass
    ours, theirs = socket.socketpair()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if os.fork() == 0:
        # The zygote imports only what candidates and scripts need: every
        # job is forked from it, and a smaller interpreter forks faster.
        ours.close()
        import zygote

        zygote.main(theirs)
        os._exit(0)
    theirs.close()
    os.close(3)  # the launcher's socket belongs to the zygote
    import runner

    runner.set_name("crucible-judge")
    runner.serve_warm(ours)


if __name__ == "__main__":
    main()
