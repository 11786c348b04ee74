import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(114)
AL = "abcdefghijklmnopqrstuvwxyz"


def enc(line, k):
    return "".join(AL[(AL.index(c) + k) % 26] if c != " " else c for c in line)


def msg(lines, k):
    return f"{len(lines)} {k}\n" + "".join(enc(l, k) + "\n" for l in lines)


def line(n, spaces=0.15):
    s = [rng.choice(AL)]
    for _ in range(n - 2):
        s.append(" " if rng.random() < spaces else rng.choice(AL))
    if n > 1:
        s.append(rng.choice(AL))
    return "".join(s)


T = [msg(["meet me at  the old mill", "bring xyz"], 3)]
T.append(msg(["a"], 0))
T.append(msg(["z"], 25))
T.append(msg(["abcdefghijklmnopqrstuvwxyz"], 1))
T.append(msg(["the quick brown fox", "jumps    over", "the lazy dog"], 13))
T.append(msg(["x" + " " * 50 + "y"], 7))
T.append(msg([line(rng.randint(1, 30)) for _ in range(50)], rng.randint(0, 25)))
T.append(msg([line(90) for _ in range(1000)], 19))
T.append(msg([line(10**5, 0.3)], 11))
T.append(msg(["a" * 20 for _ in range(1000)], 25))
T.append(msg([line(rng.randint(1, 60), 0.5) for _ in range(1000)], 0))
build("shifted-message", T)
