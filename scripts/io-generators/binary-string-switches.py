import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(120)


def rnd(amax, bmax):
    a, b = rng.randint(1, amax), rng.randint(1, bmax)
    top = 2 * min(a, b) - (1 if a == b else 0)
    return f"{a} {b} {rng.randint(1, top)}"


def maxed(a, b):
    return f"{a} {b} {2 * min(a, b) - (1 if a == b else 0)}"


T = [multi(["2 3 3", "3 3 1", "1 1 1"]), multi(["4 2 4"])]
T.append(multi(["1 1 1"]))
T.append(multi(["1 5 1", "5 1 2", "1 5 2", "5 1 1"]))
T.append(multi([f"{a} {b} {x}" for a in range(1, 6) for b in range(1, 6) for x in range(1, a + b) if x <= 2 * min(a, b) - (a == b)]))
T.append(multi([rnd(10, 10) for _ in range(2000)]))
T.append(multi([maxed(100000, 100000)]))
T.append(multi(["10000 10000 1"]))
T.append(multi([maxed(9999, 10000)]))
T.append(multi([rnd(1000, 1000) for _ in range(150)]))
T.append(multi([rnd(2, 2) for _ in range(3000)]))
build("binary-string-switches", T)
