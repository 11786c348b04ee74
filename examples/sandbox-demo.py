"""What a program sees from inside Crucible's jail.

    crucible sandbox run examples/sandbox-demo.py
"""
import os
import socket

print("user:", os.getuid(), "host:", socket.gethostname(), "cwd:", os.getcwd())
print("root:", sorted(os.listdir("/")))
print("processes visible:", [p for p in os.listdir("/proc") if p.isdigit()])
status = dict(line.split(":\t", 1) for line in open("/proc/self/status") if ":\t" in line)
print("capabilities:", status["CapEff"].strip(), "no_new_privs:", status["NoNewPrivs"].strip(),
      "seccomp:", status["Seccomp"].strip())
for what, attempt in [
    ("network", lambda: socket.create_connection(("1.1.1.1", 443), timeout=1)),
    ("host files", lambda: open("/etc/shadow").read()),
    ("system files", lambda: open("/usr/lib/os-release", "a")),
]:
    try:
        attempt()
        print(what + ": reachable")
    except OSError as error:
        print(what + ": refused (" + error.strerror + ")")
