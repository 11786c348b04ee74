"""The warm jail's init (pid 1): the trusted side of every test job.

At start it holds nothing secret; it forks the zygote (zygote.py), which
serves the launcher and forks one standby per job, and then never forks
again. For a test job, the standby sends it the spec (unread), the result
channel, the job's stdout and stderr and one end of a socket, and becomes
the candidate process; this process reads the spec, runs the tests
(runner.serve_warm) and tells the zygote it is done.

Being init protects it: processes of the namespace can send it only the
signals it handles (SIGCHLD, which reaps, and SIGALRM, the tests' backstop
timer), and the zygote's kill(-1) cleanup passes it by. It is not dumpable,
so no candidate reads its memory. If the zygote dies, so does this process,
and the launcher replaces the whole jail.
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
