"""Framed messages between the processes of a test job: a u32 big-endian
length, then JSON. Descriptors travel with the first bytes of a message.
"""

import json
import os
import select
import socket
import struct
import time

MAX_MESSAGE = 4 << 20


class TooLarge(ValueError):
    pass


def send(fd, obj):
    data = json.dumps(obj, allow_nan=True).encode()
    if len(data) > MAX_MESSAGE:
        raise TooLarge("%d bytes is more than the %d a message may hold" % (len(data), MAX_MESSAGE))
    payload = struct.pack(">I", len(data)) + data
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd, count, deadline):
    chunks = []
    while count:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(count, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def receive(fd, deadline=None, with_fds=False):
    if with_fds:
        # The load message: the job's stdout and stderr come with its first bytes.
        sock = socket.socket(fileno=fd)
        try:
            header, fds, _, _ = socket.recv_fds(sock, 4, 2)
        finally:
            sock.detach()
        if len(header) < 4:
            header += read_exactly(fd, 4 - len(header), deadline) if header else b""
        if len(header) < 4:
            raise EOFError
        for target, received in zip((1, 2), fds):
            os.dup2(received, target)
            os.close(received)
        (length,) = struct.unpack(">I", header)
        if length > MAX_MESSAGE:
            raise ValueError("a message of %d bytes is too large" % length)
        return json.loads(read_exactly(fd, length, deadline))
    (length,) = struct.unpack(">I", read_exactly(fd, 4, deadline))
    if length > MAX_MESSAGE:
        raise ValueError("a message of %d bytes is too large" % length)
    return json.loads(read_exactly(fd, length, deadline))


# ---- the candidate process ------------------------------------------------

def send_with_fds(sock, obj, fds):
    """One message on a socket, with descriptors attached."""
    data = json.dumps(obj).encode()
    socket.send_fds(sock, [struct.pack(">I", len(data)) + data], list(fds))


def receive_with_fds(sock, max_fds):
    """One message and the descriptors sent with it; (None, []) at EOF."""
    header, fds, _, _ = socket.recv_fds(sock, 4, max_fds)
    if len(header) < 4:
        if header:
            header += read_exactly(sock.fileno(), 4 - len(header), None)
        else:
            return None, fds
    (length,) = struct.unpack(">I", header)
    if length > MAX_MESSAGE:
        raise ValueError("a message of %d bytes is too large" % length)
    return json.loads(read_exactly(sock.fileno(), length, None)), fds
