import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(108)


def poly(p):
    return f"{len(p)}\n" + "".join(f"{x} {y}\n" for x, y in p)


def monotone(n, span, height):
    """A random simple x-monotone polygon with n corners (distinct x values)."""
    xs = sorted(rng.sample(range(-span, span + 1), n))
    left, right, mid = xs[0], xs[-1], xs[1:-1]
    up, down = [], []
    for x in mid:
        (up if rng.random() < 0.5 else down).append(x)
    y0 = rng.randint(-height // 4, height // 4)
    p = [(left, y0)]
    p += [(x, rng.randint(y0 + 1, height)) for x in up]
    p.append((right, y0))
    p += [(x, rng.randint(-height, y0 - 1)) for x in reversed(down)]
    k = rng.randrange(n)
    p = p[k:] + p[:k]
    if rng.random() < 0.5:
        p.reverse()
    return p


T = [poly([(0, 0), (4, 0), (4, 3), (0, 3)]), poly([(0, 0), (0, 2), (1, 2), (1, 1), (3, 1), (3, 0)])]
T.append(poly([(0, 0), (1, 0), (0, 1)]))
T.append(poly([(-100000, -100000), (100000, -100000), (100000, 100000), (-100000, 100000)]))
T.append(poly([(0, 0), (2, 0), (4, 0), (4, 4), (2, 4), (0, 4)]))
T.append(poly([(0, 0), (5, 1), (10, 0), (9, 5), (10, 10), (5, 9), (0, 10), (1, 5)]))
T.append(poly(monotone(10, 20, 20)))
T.append(poly(monotone(1000, 10**5, 10**5)))
T.append(poly(monotone(3 * 10**4, 10**5, 10**5)))
T.append(poly(monotone(5000, 10**5, 3)))
T.append(poly([(100000, -100000), (-100000, 0), (100000, 100000)]))
build("polygon-area", T)
