"""Framed messages between the processes of a test job: a u32 big-endian
length, then JSON. The load message carries the job's stdout and stderr
with its first bytes.
"""

import json
import os
import select
import socket
import struct

# What a message may hold: a program's load, and anything else unless said.
MAX_MESSAGE = 4 << 20
# A call's arguments: the task's own values, as large as its tests make them.
MAX_CALL = 64 << 20
# A candidate's answer to a call: the value it returned.
MAX_ANSWER = 16 << 20


class TooLarge(ValueError):
    pass


def frame(obj, limit=MAX_MESSAGE):
    data = json.dumps(obj, allow_nan=True).encode()
    if len(data) > limit:
        raise TooLarge("%d bytes is more than the %d a message may hold" % (len(data), limit))
    return struct.pack(">I", len(data)) + data


def send(fd, obj, limit=MAX_MESSAGE):
    view = memoryview(frame(obj, limit))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd, count, clock):
    """`count` bytes; `clock` (testclock's Deadline or TestClock, or None
    for no limit) says when the time is up: TimeoutError."""
    chunks = []
    while count:
        if clock is not None and not clock.select([fd])[0]:
            raise TimeoutError
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def body(fd, header, clock, limit=MAX_MESSAGE):
    (length,) = struct.unpack(">I", header)
    if length > limit:
        raise ValueError("a message of %d bytes is too large" % length)
    return json.loads(read_exactly(fd, length, clock))


def receive(fd, clock=None, limit=MAX_MESSAGE):
    """One message; TimeoutError, EOFError, or ValueError (malformed)."""
    return body(fd, read_exactly(fd, 4, clock), clock, limit)


def send_load(fd, obj, fds, limit=MAX_MESSAGE):
    """The load message, with descriptors attached to its first bytes."""
    data = frame(obj, limit)
    with socket.socket(fileno=os.dup(fd)) as sock:
        sent = socket.send_fds(sock, [data], list(fds))
        if sent < len(data):
            sock.sendall(data[sent:])


def receive_load(fd):
    """The load message; its descriptors become our stdout and stderr."""
    sock = socket.socket(fileno=fd)
    try:
        header, fds, _, _ = socket.recv_fds(sock, 4, 2)
    finally:
        sock.detach()
    if len(header) < 4:
        header += read_exactly(fd, 4 - len(header), None) if header else b""
    if len(header) < 4:
        raise EOFError
    for target, received in zip((1, 2), fds):
        os.dup2(received, target)
        os.close(received)
    # Only the trusted side sends it; a program run's files make it larger.
    return body(fd, header, None, MAX_CALL)


def receive_fds(fd, max_fds, limit=MAX_MESSAGE):
    """One message on the socket at `fd` and the descriptors attached to
    its first bytes: (message, fds); EOFError at the end."""
    sock = socket.socket(fileno=fd)
    try:
        header, fds, _, _ = socket.recv_fds(sock, 4, max_fds)
    finally:
        sock.detach()
    if len(header) < 4:
        if not header:
            for received in fds:
                os.close(received)
            raise EOFError
        header += read_exactly(fd, 4 - len(header), None)
    return body(fd, header, None, limit), fds


def pending(fd):
    """What is waiting on a socket we did not ask for: None (nothing),
    b"" (the peer closed it) or some bytes."""
    if not select.select([fd], [], [], 0)[0]:
        return None
    sock = socket.socket(fileno=fd)
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return None
    except OSError:
        return b""
    finally:
        sock.detach()


def send_with_fds(sock, obj, fds):
    """One message on a socket, with descriptors attached."""
    data = json.dumps(obj).encode()
    socket.send_fds(sock, [struct.pack(">I", len(data)) + data], list(fds))


def receive_with_fds(sock, max_fds):
    """One message on a socket and the descriptors sent with it; (None, [])
    at EOF."""
    header, fds, _, _ = socket.recv_fds(sock, 4, max_fds)
    if len(header) < 4:
        if header:
            header += read_exactly(sock.fileno(), 4 - len(header), None)
        else:
            return None, fds
    return body(sock.fileno(), header, None), fds
