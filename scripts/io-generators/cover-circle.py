import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(107)


def pts(p):
    return f"{len(p)}\n" + "".join(f"{x} {y}\n" for x, y in p)


T = [pts([(3, 4), (-1, 0), (0, 2)]), pts([(1, 1), (-2, 1)])]
T.append(pts([(0, 0)]))
T.append(pts([(0, 0)] * 5))
T.append(pts([(-10000, -10000), (10000, 10000), (10000, -10000)]))
T.append(pts([(0, -7)]))
T.append(pts([(rng.randint(-10, 10), rng.randint(-10, 10)) for _ in range(20)]))
T.append(pts([(rng.randint(-10**4, 10**4), rng.randint(-10**4, 10**4)) for _ in range(1000)]))
T.append(pts([(rng.randint(-10**4, 10**4), rng.randint(-10**4, 10**4)) for _ in range(3 * 10**4)]))
T.append(pts([(rng.randint(-100, 100), rng.randint(-100, 100)) for _ in range(5000 - 1)] + [(1, 9999)]))
T.append(pts([(rng.randint(-3, 3), rng.randint(-3, 3)) for _ in range(5000)]))
build("cover-circle", T)
