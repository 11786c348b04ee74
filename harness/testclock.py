"""A test's time, as the trusted side measures it.

The time limit is CPU time: what the candidate's processes (the candidate
process, its threads, and every process it started, reaped or running)
spent since the test began, read from /proc by the trusted side (the jail
mounts /proc so that the trusted side's group sees every process; the
candidate sees only its own). A test on a loaded machine waits for a core
without its wait counting against it, as on a competitive-programming
judge. A candidate that waits instead of computing (sleeps, blocks, or
moves its work out of its own process tree) is stopped by the wall-clock
backstop: `wall_factor` times the limit.

Where the trusted side cannot see the candidate's processes (an older
kernel's /proc), the limit is wall time, as before.

The CPU time is read only when it could have reached the limit: a process
that computes all the time on one core spends one second per second, so
until `limit` seconds of wall time have passed nothing can be over; then
again after the time still left. Threads on several cores can overshoot
by their number of cores, at most. The candidate cannot write what is read
here: the kernel's counters, in clock ticks (10 ms).
"""

import os
import select
import time

TICK = os.sysconf("SC_CLK_TCK")
# The shortest wait between two reads of the CPU time.
MIN_SLICE = 0.02


class Times:
    """One process at one reading: its parent, when it started (which
    tells a reused id from the process that had it), and its CPU seconds:
    its own (user and system, all its threads) and its reaped children's."""

    __slots__ = ("parent", "start", "own", "reaped")

    def __init__(self, parent, start, own, reaped):
        self.parent, self.start, self.own, self.reaped = parent, start, own, reaped

    @property
    def total(self):
        return self.own + self.reaped


def read_processes():
    """{pid: Times} of every process this side can see."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
        except OSError:
            continue  # gone, or not ours to see
        # The command name (field 2) is the process's to choose: everything
        # after its closing parenthesis is the kernel's.
        fields = stat[stat.rfind(b")") + 2:].split()
        try:
            found[int(name)] = Times(
                int(fields[1]), int(fields[19]), (int(fields[11]) + int(fields[12])) / TICK,
                (int(fields[13]) + int(fields[14])) / TICK)
        except (IndexError, ValueError):
            continue
    return found


def tree_cpu(root):
    """{pid: Times} of `root` and its descendants; None when `root` cannot
    be seen."""
    processes = read_processes()
    if root not in processes:
        return None
    children = {}
    for pid, times in processes.items():
        children.setdefault(times.parent, []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out[pid] = processes[pid]
        todo.extend(children.get(pid, ()))
    return out


class Deadline:
    """Wall time only: how long something that is no test's may take (a
    fresh interpreter's start-up)."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def select(self, readers, writers=()):
        """What became ready among the descriptors; ([], []) when the time
        is up."""
        left = self.end - time.monotonic()
        if left <= 0:
            return [], []
        readable, writable, _ = select.select(readers, writers, [], left)
        return readable, writable


class TestClock:
    """One test's time: CPU time against `limit`, wall time against
    `limit * wall_factor`. `own`: this process's own CPU time counts too
    (statement tests, whose code runs here between calls)."""

    def __init__(self, limit, wall_factor, root, own=False):
        self.limit = float(limit)
        self.wall_limit = self.limit * max(1.0, float(wall_factor))
        self.own = own
        self.started = time.monotonic()
        self.own_base = time.process_time() if own else 0.0
        self.restarted(root, 0.0)

    def restarted(self, root, startup_seconds):
        """The candidate process is (now) `root`; a fresh one's start-up
        (`startup_seconds` of wall time, and the CPU time it spent so far)
        is charged to no test."""
        self.root = root
        self.started += startup_seconds
        self.base = tree_cpu(root) if root is not None else None
        self.counted = self.base is not None
        self.next_read = self.started + self.limit

    def cpu(self):
        """CPU seconds spent on this test so far; None when it cannot be
        told (the candidate's processes cannot be seen)."""
        if not self.counted:
            return None
        now = tree_cpu(self.root)
        if now is None:
            return None  # the candidate process is gone: the caller finds out
        spent = sum(t.total - (self.base[pid].total if self.same(pid, now) else 0.0) for pid, t in now.items())
        spent -= self.reaped_before(now)
        if self.own:
            spent += time.process_time() - self.own_base
        return max(spent, 0.0)

    def reaped_before(self, now):
        """The time before the test of the tree's processes that were
        reaped during it, by a process still in the tree: the reaper's
        count of reaped time holds it whole, and it was charged before. A
        parent's count must have grown by at least as much (a child the
        kernel reaped, its parent ignoring SIGCHLD, added nothing); a
        process reaped by one out of the tree (orphaned first) added
        nothing either, and comes off nothing."""
        by_reaper = {}
        for pid, before in self.base.items():
            ended = pid not in now or now[pid].start != before.start
            if ended and self.same(before.parent, now):
                by_reaper[before.parent] = by_reaper.get(before.parent, 0.0) + before.total
        return sum(
            max(min(earlier, now[parent].reaped - self.base[parent].reaped), 0.0)
            for parent, earlier in by_reaper.items())

    def same(self, pid, now):
        """Whether `pid` is the same process now as when the test began."""
        return pid in now and pid in self.base and now[pid].start == self.base[pid].start

    def wall(self):
        return time.monotonic() - self.started

    def spent(self):
        """What the test spent, in the limit's measure: CPU seconds where
        they can be told, else wall seconds."""
        cpu = self.cpu()
        return self.wall() if cpu is None else cpu

    def left(self):
        """Seconds the test may still wait before the clock must be read
        again; 0 when the time is up. Reads the CPU time only when it could
        have reached the limit."""
        now = time.monotonic()
        if not self.counted:
            return max(self.started + self.limit - now, 0.0)
        wall_left = self.started + self.wall_limit - now
        if wall_left <= 0:
            return 0.0
        if now >= self.next_read:
            cpu = self.cpu()
            cpu_left = self.limit - (cpu if cpu is not None else now - self.started)
            if cpu_left <= 0:
                return 0.0
            self.next_read = now + max(cpu_left, MIN_SLICE)
        return min(wall_left, self.next_read - now)

    def select(self, readers, writers=()):
        """Waits for the descriptors, while the test has time: what became
        ready, or ([], []) when the time is up."""
        while True:
            wait = self.left()
            if wait <= 0:
                return [], []
            readable, writable, _ = select.select(readers, writers, [], wait)
            if readable or writable:
                return readable, writable

    def out_of_time(self):
        """Whether the limit is reached (between the calls of a statement)."""
        return self.left() <= 0
