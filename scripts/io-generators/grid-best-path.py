import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(140)


def grid(rows):
    return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)


def rnd(n, m, alpha="0123456789"):
    return ["".join(rng.choice(alpha) for _ in range(m)) for _ in range(n)]


T = [grid(["131", "151", "421"]), grid(["9000", "0009"])]
T.append(grid(["7"]))
T.append(grid(["0"]))
T.append(grid(["12345"]))
T.append(grid(["1", "2", "3"]))
T.append(grid(rnd(8, 9)))
T.append(grid(rnd(400, 400)))
T.append(grid(["9" * 400] * 400))
T.append(grid(rnd(400, 50, "0009")))
T.append(grid(rnd(30, 400, "01")))
build("grid-best-path", T)
