"""Crucible's warm interpreter: pid 1 of a warm jail, and its trusted side.

It imports what jobs commonly need once, then keeps one forked standby
waiting on the launcher's socket. The standby receives the next job itself
(frame and descriptors), so the fork is not on the job's critical path; at
birth it forks a spare candidate process, which holds nothing secret (no
job exists yet).

* A test job (the harness runner): the standby is the job's trusted side.
  It reads the spec, runs the tests against the spare candidate
  (runner.test_job) and exits.
* A script job: the standby becomes the candidates' user (where the jail
  has two) and runs the script as __main__; the spare, never used, goes.

After the job, this process kills whatever the job left running (as pid 1,
kill(-1) reaches every other process of the namespace), reaps it, wipes
/work, /tmp and /dev/shm and puts back their modes. Anything it cannot
clean is reported, and the jail is replaced. Every job thus starts from the
same pristine state: a fresh fork of this process, which never runs job
code.

Being pid 1 and another user protects it: processes of the namespace can
send it no signal (it handles none), and where the jail has two users no
candidate can re-limit or read it either.

Protocol with the launcher (tags mirror sandbox/wire/include/jail_wire.h, a
test keeps them equal): frames of a u32 length and records (u16 tag, u32
length, bytes), over the stream socket at fd 3; a job frame carries four
descriptors (stdin, stdout, stderr, the result channel).
"""

import array
import atexit
import builtins
import ctypes
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
import time
import select  # noqa: F401
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
PR_SET_DUMPABLE = 4

HERE = os.path.dirname(os.path.abspath(__file__))
# What a job's sys.path is: the standard library, and the packages the
# pool was asked to show, if any.
PATH = [p for p in sys.path if p != HERE] + (["/packages"] if os.path.isdir("/packages") else [])

# Both sides of test jobs, so that neither pays for importing them.
sys.path.insert(0, HERE)
import candidate  # noqa: E402
import runner  # noqa: E402

sys.path[:] = PATH

# The scratch directories and the mode each gets back after every job;
# /work belongs to the candidates' user, the others to us.
SCRATCH = (("/work", 0o755), ("/tmp", 0o1777), ("/dev/shm", 0o1777))


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
        runner.become_candidate()
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


def wipe(root):
    """Empties root without following links and without deep paths:
    subdirectories are moved up to root before they are emptied."""
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    serial = 0
    try:
        for _ in range(1_000_000):
            entries = list(os.scandir(root_fd))
            if not entries:
                return
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.name, dir_fd=root_fd)
                    continue
                os.chmod(entry.name, 0o700, dir_fd=root_fd, follow_symlinks=False)
                sub = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=root_fd)
                try:
                    for inner in list(os.scandir(sub)):
                        if inner.is_dir(follow_symlinks=False):
                            serial += 1
                            os.rename(inner.name, ".z%d" % serial, src_dir_fd=sub, dst_dir_fd=root_fd)
                        else:
                            os.unlink(inner.name, dir_fd=sub)
                finally:
                    os.close(sub)
                os.rmdir(entry.name, dir_fd=root_fd)
    finally:
        os.close(root_fd)


def main():
    """Serves jobs from the launcher (fd 3)."""
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    # Python's handlers back to the default: as pid 1 we then receive no
    # signal from the namespace; what Python ignores (SIGPIPE, SIGXFSZ)
    # stays ignored, for every job.
    for number in range(1, signal.NSIG):
        if number in (signal.SIGKILL, signal.SIGSTOP):
            continue
        try:
            if signal.getsignal(number) not in (signal.SIG_IGN, None):
                signal.signal(number, signal.SIG_DFL)
        except (OSError, ValueError, RuntimeError):
            pass
    sock = socket.socket(fileno=3)
    import gc
    gc.collect()
    gc.freeze()
    standby_pid, started_r = fork_standby(sock)
    sock.sendall(frame((JW_Z_READY, u64(1))))
    while True:
        # The standby says through this pipe that a job arrived; EOF without
        # a word: the launcher closed the socket.
        took = os.read(started_r, 1)
        os.close(started_r)
        status, cpu_us, maxrss = await_standby(standby_pid)
        if not took:
            return
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        dirty = clean()
        items = [(JW_Z_EXITED, u64(status)), (JW_Z_CPU_US, u64(cpu_us)), (JW_Z_MAXRSS_KB, u64(maxrss))]
        if dirty:
            items.append((JW_Z_DIRTY, "; ".join(dirty).encode()[:200]))
        sock.sendall(frame(*items))
        # Forking after the report costs a little latency, but the zygote
        # then writes to fewer pages it shares with the new standby, which
        # is cheaper in all (measured: about 7% more test jobs per second).
        standby_pid, started_r = fork_standby(sock)


def await_standby(pid):
    """The standby's wait status and resource use; orphans of the job,
    reparented to us, are reaped on the way."""
    while True:
        try:
            reaped, status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return 0, 0, 0
        if reaped == pid:
            return status, int((usage.ru_utime + usage.ru_stime) * 1_000_000), usage.ru_maxrss


def clean():
    """Empties the scratch directories and puts back their modes and times,
    in a child of ours: the job's file names (data, as far as names go)
    never enter this process's memory, which every later job is forked
    from. What could not be cleaned, as text (without names)."""
    report_r, report_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(report_r)
        try:
            os.write(report_w, "; ".join(clean_here()).encode()[:200])
        finally:
            os._exit(0)
    os.close(report_w)
    report = b""
    while True:
        chunk = os.read(report_r, 4096)
        if not chunk:
            break
        report += chunk
    os.close(report_r)
    os.waitpid(pid, 0)
    return [report.decode(errors="replace")] if report else []


def clean_here():
    dirty = []
    owner = runner.CANDIDATE_ID if os.geteuid() == 0 else os.geteuid()
    for root, mode in SCRATCH:
        try:
            wipe(root)
            os.chmod(root, mode)
            os.utime(root, (0, 0))  # no time stamp carries anything over either
            info = os.stat(root)
            wanted = owner if root == "/work" else os.geteuid()
            if info.st_uid != wanted or info.st_mode & 0o7777 != mode:
                dirty.append("%s: owner %d, mode %o" % (root, info.st_uid, info.st_mode & 0o7777))
        except OSError as error:
            dirty.append("%s: %s" % (root, error.strerror))
    if not dirty and not settled():
        dirty.append("files of the job outlived it (descriptors in flight)")
    return dirty


def holds_data(root):
    """Whether an emptied scratch filesystem still holds files (blocks, or
    inodes beyond its root directory)."""
    info = os.statvfs(root)
    return info.f_blocks > info.f_bfree or info.f_files > info.f_ffree + 1


def settled():
    """Descriptors sent over a unix socket that was then closed (a socket
    sent over itself, say) are in flight: they keep their files, their
    space and their locks after every process of the job is gone, until
    the kernel's unix garbage collector runs. Closing a socket starts it
    whenever anything is in flight; then we wait, briefly, for the scratch
    filesystems to be empty. False: they are not (the jail is replaced)."""
    first, second = socket.socketpair()
    first.close()
    second.close()
    deadline = time.monotonic() + 0.5
    while any(holds_data(root) for root, _ in SCRATCH):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def fork_standby(sock):
    started_r, started_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(started_r)
        standby(sock, started_w)
    os.close(started_w)
    return pid, started_r


def standby(sock, started_w):
    """The pre-forked child: fork a spare candidate, wait for a job, then
    become it."""
    try:
        spare = runner.fork_spare()  # no job exists yet: nothing to leak
        received = receive(sock)
    except BaseException:
        received = None
    if received is None:
        os._exit(0)
    os.write(started_w, b"j")
    os.close(started_w)
    sock.close()
    payload, fds = received
    argv, _, _, limits = job_records(payload)
    if limits.get(JW_JOB_FLAGS, 0) & JW_JOB_F_TRUSTED:
        test_job(fds, limits, spare)
    # A script job has no use for the spare: it goes before the job starts.
    os.kill(spare[0], signal.SIGKILL)
    os.waitpid(spare[0], 0)
    os.close(spare[1])
    run_job(payload, fds)


def test_job(fds, limits, spare):
    """A test job: we are its trusted side. Never returns."""
    code = 0
    try:
        devnull = os.open("/dev/null", os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(fds[1], 1)
        os.dup2(fds[2], 2)
        os.close(devnull)
        candidate.apply_limits(named_limits(limits))
        os.chdir("/work")
        runner.set_name("crucible-judge")
        runner.test_job(fds[0], fds[3], fds[1], fds[2], spare, named_limits(limits))
    except BaseException:
        import traceback

        traceback.print_exc()  # to the job's stderr; the records show the job incomplete
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    main()
