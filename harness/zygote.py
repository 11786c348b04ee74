"""Crucible's warm interpreter: the zygote of a warm jail (pid 2, the
child of the judge, judge_server.py).

It imports what jobs commonly need once, then keeps one forked standby
child waiting on the control socket. The standby receives the next job
itself (frame and descriptors), so the fork is not on the job's critical
path. It starts from the zygote's pristine state (the zygote never runs job
code and never sees a job's data) and becomes the candidates' user (where
the jail has two) before it runs anything of the job:

* a test job (the harness runner): it hands the spec (unread), the result
  channel, the job's stdout and stderr and one end of a socket to the
  judge, and becomes the candidate process (candidate.py);
* a script job: it writes the job's files to /work, sets the job's limits
  and runs the script as __main__.

After the job, the zygote kills whatever the job left running (kill(-1)
reaches every other process of the namespace but the judge, which is init)
and reaps it; the launcher then empties /work, /tmp and /dev/shm from
outside and puts back their modes and times (anything it cannot clean
replaces the jail).

Protocol with the launcher (tags mirror sandbox/wire/include/jail_wire.h, a
test keeps them equal): frames of a u32 length and records (u16 tag, u32
length, bytes), over the stream socket at fd 3; a job frame carries four
descriptors (stdin, stdout, stderr, the result channel).
"""

import array
import atexit
import builtins
import os
import resource
import signal
import socket
import struct
import sys

# Imported once here so that jobs start without paying for them.
import bisect  # noqa: F401
import collections  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import io  # noqa: F401
import itertools  # noqa: F401
import json  # noqa: F401
import math  # noqa: F401
import operator  # noqa: F401
import random  # noqa: F401
import re  # noqa: F401
import string  # noqa: F401
import time  # noqa: F401
import select
import types
import typing  # noqa: F401
import hashlib  # noqa: F401

JW_JOB_ARGV = 40
JW_JOB_ENV = 41
JW_JOB_FILE = 42
JW_JOB_CPU_MS = 44
JW_JOB_FSIZE = 47
JW_JOB_NOFILE = 48
JW_JOB_ADDRESS_SPACE = 54
JW_JOB_NPROC = 55
JW_JOB_FLAGS = 57
JW_JOB_F_TRUSTED = 1
JW_Z_JOB = 120
JW_Z_EXITED = 122
JW_Z_CPU_US = 123
JW_Z_MAXRSS_KB = 124
JW_Z_DIRTY = 125
JW_Z_READY = 126

HERE = os.path.dirname(os.path.abspath(__file__))
# What a job's sys.path is: the standard library, and the packages the
# pool was asked to show, if any.
PATH = [p for p in sys.path if p != HERE] + (["/packages"] if os.path.isdir("/packages") else [])

# The candidate side of test jobs, so that candidates start with it loaded.
sys.path.insert(0, HERE)
import candidate  # noqa: E402
from channel import receive_with_fds, send_with_fds  # noqa: E402

sys.path[:] = PATH




def records(payload):
    at = 0
    while at < len(payload):
        tag, length = struct.unpack_from("<HI", payload, at)
        at += 6
        yield tag, payload[at:at + length]
        at += length


def frame(*items):
    body = b"".join(struct.pack("<HI", tag, len(value)) + value for tag, value in items)
    return struct.pack("<I", len(body)) + body


def u64(value):
    return struct.pack("<Q", value)


def receive(sock):
    """One frame and the descriptors sent with it; None at EOF."""
    header = b""
    fds = []
    while len(header) < 4:
        data, ancillary, _, _ = sock.recvmsg(4 - len(header), socket.CMSG_SPACE(4 * 4))
        if not data:
            return None
        header += data
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                descriptors = array.array("i")
                descriptors.frombytes(payload[: len(payload) - len(payload) % 4])
                fds.extend(descriptors)
    (length,) = struct.unpack("<I", header)
    body = bytearray()
    while len(body) < length:
        chunk = sock.recv(min(1 << 20, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return bytes(body), fds


def job_records(payload):
    """argv, environment, files and numeric limits of a job frame."""
    argv, env, files, limits = [], {}, [], {}
    for tag, value in records(payload):
        if tag == JW_JOB_ARGV:
            argv.append(value.decode())
        elif tag == JW_JOB_ENV:
            key, _, val = value.decode().partition("=")
            env[key] = val
        elif tag == JW_JOB_FILE:
            files.append(value)
        elif len(value) == 8:
            limits[tag] = struct.unpack("<Q", value)[0]
    return argv, env, files, limits


def named_limits(limits):
    """A job frame's limits, as the candidate side names them."""
    return {name: limits.get(tag, 0) for name, tag in (
        ("cpu_ms", JW_JOB_CPU_MS), ("fsize", JW_JOB_FSIZE), ("nofile", JW_JOB_NOFILE), ("nproc", JW_JOB_NPROC),
        ("address_space", JW_JOB_ADDRESS_SPACE))}


def run_script(path):
    """What `python path` does: a fresh __main__ module, the source compiled
    with the path as its file name. Returns the exit code."""
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    try:
        with open(path, "rb") as handle:
            source = handle.read()
        exec(compile(source, path, "exec"), main.__dict__)
        return 0
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    except BaseException:
        sys.excepthook(*sys.exc_info())
        return 1


def run_job(payload, fds):
    """In the standby: become the script job, as the candidates' user; never
    return."""
    code = 1
    try:
        os.dup2(fds[0], 0)
        os.dup2(fds[1], 1)
        os.dup2(fds[2], 2)
        os.dup2(fds[3], 3)
        os.closerange(4, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        os.setsid()
        candidate.become_candidate()
        argv, env, files, limits = job_records(payload)
        for value in files:
            (mode,) = struct.unpack_from("<I", value)
            name, _, data = value[4:].partition(b"\0")
            path = os.path.join("/work", name.decode())
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode & 0o777)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        candidate.apply_limits(named_limits(limits))
        os.environ.clear()
        os.environ.update(env)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir("/work")
        sys.argv = argv
        script = argv[0] if os.path.isabs(argv[0]) else os.path.join("/work", argv[0])
        sys.path[:] = [os.path.dirname(script)] + PATH  # as `python script` has it
    except BaseException:
        import traceback

        traceback.print_exc()
        os._exit(126)
    code = run_script(script)
    # What the interpreter does at exit: join threads, run atexit, flush.
    try:
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(code & 0xFF)


def main(judge):
    """Serves jobs from the launcher (fd 3); `judge` is our socket to the judge.

    Signal handlers are already Python's defaults: judge_server.main reset
    them before it forked us, and a fork keeps them."""
    sock = socket.socket(fileno=3)
    import gc
    gc.collect()
    gc.freeze()
    standby_pid, started_r = fork_standby(sock, judge)
    sock.sendall(frame((JW_Z_READY, u64(1))))
    while True:
        # The standby says through this pipe what arrived: a script job (j),
        # a test job (t), or nothing (EOF: the launcher closed the socket).
        kind = os.read(started_r, 1)
        os.close(started_r)
        if not kind:
            os.waitpid(standby_pid, 0)
            return
        dirty = None
        if kind == b"t":
            status, cpu_us, maxrss = 0, 0, 0
            dirty = await_judge(judge, standby_pid)
        else:
            _, status, usage = os.wait4(standby_pid, 0)
            cpu_us, maxrss = int((usage.ru_utime + usage.ru_stime) * 1_000_000), usage.ru_maxrss
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        # The launcher empties /work, /tmp and /dev/shm from outside: the
        # job's file names never enter this process, which every later job
        # is forked from.
        items = [(JW_Z_EXITED, u64(status)), (JW_Z_CPU_US, u64(cpu_us)), (JW_Z_MAXRSS_KB, u64(maxrss))]
        if dirty:
            # The judge could not put itself back as it was: the launcher
            # replaces the jail before the next job.
            items.append((JW_Z_DIRTY, str(dirty).encode()[:200]))
        sock.sendall(frame(*items))
        # Forking after the report costs a little latency, but the zygote
        # then writes to fewer pages it shares with the new standby, which
        # is cheaper in all (measured: about 7% more test jobs per second).
        standby_pid, started_r = fork_standby(sock, judge)


def await_judge(judge, standby_pid):
    """A test job runs until the judge says done; returns what the judge
    found it could not clean up (None: nothing). If the standby (the
    candidate) exits first, the judge learns its wait status from us; when
    the judge asks, we kill every candidate process (our kill(-1) passes the
    judge by, which is init, and no candidate can stop or kill us)."""
    pidfd = os.pidfd_open(standby_pid)
    try:
        while True:
            ready, _, _ = select.select([judge, pidfd] if pidfd is not None else [judge], [], [])
            if pidfd is not None and pidfd in ready:
                _, status = os.waitpid(standby_pid, 0)
                send_with_fds(judge, {"kind": "status", "pid": standby_pid, "status": status}, [])
                os.close(pidfd)
                pidfd = None
            if judge in ready:
                message, _ = receive_with_fds(judge, 0)
                if message is None:
                    os._exit(0)  # the judge is gone: so is the jail
                if message.get("kind") == "kill":
                    try:
                        os.kill(-1, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    send_with_fds(judge, {"kind": "killed"}, [])
                    continue
                return message.get("dirty")
    finally:
        if pidfd is not None:
            os.close(pidfd)


def fork_standby(sock, judge):
    started_r, started_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(started_r)
        standby(sock, judge, started_w)
    os.close(started_w)
    return pid, started_r


def standby(sock, judge, started_w):
    """The pre-forked child: wait for a job, then become it."""
    try:
        received = receive(sock)
    except BaseException:
        received = None
    if received is None:
        os._exit(0)
    payload, fds = received
    argv, _, _, limits = job_records(payload)
    if limits.get(JW_JOB_FLAGS, 0) & JW_JOB_F_TRUSTED:
        become_candidate(sock, judge, started_w, fds, limits)
    os.write(started_w, b"j")
    os.close(started_w)
    sock.close()
    judge.close()
    run_job(payload, fds)


def become_candidate(sock, judge, started_w, fds, limits):
    """A test job: the judge gets the spec (which we never read), the result
    channel, the job's stdout and stderr, and one end of a socket; we keep
    the other end and become the candidate process, as the candidates'
    user. Never returns."""
    ours, theirs = socket.socketpair()
    send_with_fds(judge, {"kind": "job", "pid": os.getpid()}, fds + [theirs.fileno()])
    os.write(started_w, b"t")
    os.close(started_w)
    channel = ours.detach()
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    sock.close()
    judge.close()
    theirs.close()
    os.closerange(3, channel)  # the spec, the result channel, the job's descriptors
    os.closerange(channel + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    os.setsid()
    candidate.become_candidate()
    candidate.apply_limits(named_limits(limits))
    os.chdir("/work")
    try:
        candidate.serve(channel)
    finally:
        os._exit(0)

