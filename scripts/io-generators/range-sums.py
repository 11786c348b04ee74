import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(128)


def case(d, qs):
    return f"{len(d)} {len(qs)}\n{d}\n" + "".join(f"{l} {r}\n" for l, r in qs)


def rq(n, q, maxlen=None):
    out = []
    for _ in range(q):
        l = rng.randint(1, n)
        r = rng.randint(l, n if maxlen is None else min(n, l + maxlen))
        out.append((l, r))
    return out


def digits(n, alpha="0123456789"):
    return "".join(rng.choice(alpha) for _ in range(n))


T = [case("3141592653", [(1, 3), (4, 4), (1, 10), (6, 9)])]
T.append(case("7", [(1, 1)]))
T.append(case("0", [(1, 1), (1, 1)]))
T.append(case("9" * 100, [(1, 100), (50, 50), (2, 99)]))
T.append(case("0000000000", [(1, 10), (3, 7)]))
d = digits(50)
T.append(case(d, rq(50, 100)))
d = digits(10**5)
T.append(case(d, rq(10**5, 3 * 10**4)))
T.append(case("9" * 10**5, [(1, 10**5)] * 500))
d = digits(10**4, "09")
T.append(case(d, rq(10**4, 10**4, 10)))
T.append(case(digits(5000), [(i, i) for i in range(1, 5001)]))
build("range-sums", T)
