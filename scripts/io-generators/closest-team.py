import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(126)


def case(r, k):
    return lines(f"{len(r)} {k}", r)


T = [case([10, 100, 300, 200, 1000, 20, 30], 3), case([5, 5, 5, 5], 2)]
T.append(case([7], 1))
T.append(case([0, 1000000], 2))
T.append(case([0, 1000000], 1))
T.append(case([rng.randint(0, 50) for _ in range(20)], 5))
T.append(case([rng.randint(0, 10**6) for _ in range(1000)], 10))
n = 5 * 10**4
T.append(case([rng.randint(0, 10**6) for _ in range(n)], 100))
T.append(case([rng.randint(0, 10**6) for _ in range(n // 5)], n // 5))
T.append(case([rng.randint(0, 10**6) for _ in range(5000)], 2))
T.append(case(list(range(10**6, 10**6 - 3 * 5000, -3)), 2500))
build("closest-team", T)
