"""The warm jail's init (pid 1): the trusted side of every test job.

At start it holds nothing secret; it forks the zygote (zygote.py), which
serves the launcher and forks one standby per job. It never forks again.
For a test job, the standby sends it the spec (unread), the result channel,
the job's stdout and stderr and one end of a socket, and becomes the
candidate process; this process reads the spec, runs the tests (runner.judge)
and tells the zygote it is done.

Being init protects it: processes of the namespace can send it only the
signals it handles (SIGCHLD, which reaps, and SIGALRM, the tests' backstop
timer), and the zygote's kill(-1) cleanup passes it by. It is not dumpable,
so no candidate reads its memory. If the zygote dies, so does this process,
and the launcher replaces the whole jail.
"""

import json
import os
import signal
import socket
import struct
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import runner  # noqa: E402
import zygote  # noqa: E402

sys.path[:] = zygote.PATH


def reap(signum, frame):
    """Orphans of finished jobs are ours to reap; remember how they ended."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        runner.REAPED[pid] = status
        if len(runner.REAPED) > 1000:
            runner.REAPED.pop(next(iter(runner.REAPED)))


def receive(sock, with_fds=5):
    """One framed JSON message (and the descriptors sent with it)."""
    header, fds, _, _ = socket.recv_fds(sock, 4, with_fds)
    if len(header) < 4:
        return None, []
    (length,) = struct.unpack("<I", header)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            return None, []
        body += chunk
    return json.loads(body), fds


def serve(sock):
    pending_status = {}

    def status_of(pid):
        """The wait status of the standby (the zygote's child), from the zygote."""
        sock.settimeout(5)
        try:
            while pid not in pending_status:
                msg, fds = receive(sock, 0)
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
        msg, fds = receive(sock)
        if msg is None:
            return  # the zygote is gone
        if msg.get("kind") == "status":
            pending_status[msg["pid"]] = msg["status"]
            continue
        stdin, stdout, stderr, result, channel = fds
        try:
            with os.fdopen(stdin, "rb") as spec_file:
                spec = json.loads(spec_file.read())
            candidate = runner.Candidate(
                spec["program"], spec["entry_point"], stdout, stderr, (msg["pid"], channel), status_of)
            runner.judge(spec, result, candidate)
        except BaseException:
            traceback.print_exc()  # to the launcher's stderr; the records show the job incomplete
        for fd in (stdout, stderr, result):
            try:
                os.close(fd)
            except OSError:
                pass
        pending_status.clear()
        zygote.message(sock, {"kind": "done"})


def main():
    runner.LIBC.prctl(runner.PR_SET_DUMPABLE, 0, 0, 0, 0)
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError, RuntimeError):
            pass
    signal.signal(signal.SIGCHLD, reap)
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        zygote.main(theirs)
        os._exit(0)
    theirs.close()
    os.close(3)  # the launcher's socket belongs to the zygote
    serve(ours)


if __name__ == "__main__":
    main()
