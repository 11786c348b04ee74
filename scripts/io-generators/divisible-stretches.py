import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(133)


def case(a, k):
    return lines(f"{len(a)} {k}", a)


T = [case([4, 5, 0, 2, 3, 1], 5), case([1, 1, 1], 4)]
T.append(case([0], 1))
T.append(case([7], 7))
T.append(case([3], 7))
T.append(case([rng.randint(0, 100) for _ in range(20)], 1))
T.append(case([10**9] * 10, 10**9))
T.append(case([rng.randint(0, 10) for _ in range(50)], 3))
T.append(case([rng.randint(0, 10**9) for _ in range(1000)], 999999937))
n = 2 * 10**5
T.append(case([rng.randint(0, 9) for _ in range(n)], 7))
T.append(case([0] * (n // 10), 10**9))
T.append(case([rng.randint(0, 10**9) for _ in range(10**4)], 1000))
build("divisible-stretches", T)
