import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(123)


def case(iv):
    return f"{len(iv)}\n" + "".join(f"{s} {e}\n" for s, e in iv)


def rnd(n, top, maxlen):
    out = []
    for _ in range(n):
        s = rng.randint(0, top - 1)
        out.append((s, min(top, s + rng.randint(1, maxlen))))
    return out


T = [case([(1, 4), (3, 5), (0, 6), (5, 7), (8, 9), (5, 9)]), case([(0, 10), (10, 20), (20, 30), (5, 25)])]
T.append(case([(0, 1)]))
T.append(case([(0, 100000)] * 5))
T.append(case([(i, i + 1) for i in range(50)]))
T.append(case([(0, 100), (1, 2), (2, 3), (3, 4), (50, 200), (99, 101)]))
T.append(case(rnd(100, 200, 30)))
T.append(case(rnd(3 * 10**4, 10**5, 50)))
T.append(case(rnd(5000, 10**5, 10**5)))
T.append(case([(i, i + 1) for i in range(0, 5000)]))
T.append(case(rnd(5000, 10**5, 3)))
build("most-talks", T)
