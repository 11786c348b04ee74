import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(135)


def case(qs):
    return f"{len(qs)}\n" + "".join(f"{l} {r}\n" for l, r in qs)


def rq(q, top, maxlen):
    out = []
    for _ in range(q):
        l = rng.randint(1, top)
        out.append((l, rng.randint(l, min(top, l + maxlen))))
    return out


T = [case([(1, 10), (11, 20), (14, 16), (1, 1)])]
T.append(case([(1, 1)]))
T.append(case([(2, 2)]))
T.append(case([(1, 1000000)]))
T.append(case([(999983, 999983), (999984, 1000000), (1000000, 1000000), (999000, 1000000)]))
T.append(case([(i, i) for i in range(1, 101)]))
T.append(case(rq(1000, 10**6, 10**6)))
T.append(case(rq(2 * 10**4, 10**6, 10**6)))
T.append(case(rq(5000, 10**6, 100)))
T.append(case([(1, 10**6)] * 1000))
T.append(case(rq(3000, 200, 50)))
build("prime-counting-queries", T)
