import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(138)


def grid(rows):
    return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)


def rnd(n, m, p):
    return ["".join("*" if rng.random() < p else "." for _ in range(m)) for _ in range(n)]


T = [grid(["*...", "..*.", "...."]), grid(["***", "*.*", "***"])]
T.append(grid(["."]))
T.append(grid(["*"]))
T.append(grid(["*.*.*."]))
T.append(grid(["*", ".", ".", "*"]))
T.append(grid(rnd(10, 10, 0.3)))
T.append(grid(rnd(300, 300, 0.2)))
T.append(grid(rnd(100, 300, 0.9)))
T.append(grid(["." * 200] * 100))
T.append(grid(rnd(1, 300, 0.5)))
build("mine-hints", T)
