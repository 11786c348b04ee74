import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(130)


def case(a, s):
    return lines(f"{len(a)} {s}", a)


T = [case([3, 1, 2, 1, 5, 1], 5), case([10, 20], 5)]
T.append(case([1], 1))
T.append(case([2], 1))
T.append(case([10**9] * 5, 10**14))
T.append(case([4, 4, 4, 4], 11))
T.append(case([rng.randint(1, 10) for _ in range(40)], 20))
T.append(case([rng.randint(1, 10**9) for _ in range(1000)], 5 * 10**9))
n = 2 * 10**5
T.append(case([rng.randint(1, 9) for _ in range(n)], 300000))
T.append(case([rng.randint(1, 9) for _ in range(n // 5)], 10))
T.append(case([rng.randint(1, 10**9) for _ in range(3000)], 10**14))
T.append(case([1] * (n // 5), 10**5))
build("longest-budget-stretch", T)
