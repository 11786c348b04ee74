import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(127)


def case(seg):
    return f"{len(seg)}\n" + "".join(f"{l} {r}\n" for l, r in seg)


def rnd(n, top, maxlen):
    out = []
    for _ in range(n):
        l = rng.randint(0, top - 1)
        out.append((l, min(top, l + rng.randint(1, maxlen))))
    return out


T = [case([(1, 5), (3, 8), (10, 12), (12, 13)]), case([(0, 10), (2, 3), (4, 5)])]
T.append(case([(0, 1)]))
T.append(case([(0, 1000000)]))
T.append(case([(5, 6)] * 4))
T.append(case([(0, 1), (2, 3), (4, 5), (6, 7)]))
T.append(case(rnd(30, 100, 10)))
T.append(case(rnd(2 * 10**4, 10**6, 100)))
T.append(case(rnd(4000, 10**6, 10**6)))
T.append(case([(i, i + 1) for i in range(0, 8000, 2)]))
T.append(case(rnd(5000, 10**6, 10**4)))
build("painted-length", T)
