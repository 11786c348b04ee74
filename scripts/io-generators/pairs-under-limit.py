import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(131)


def case(a, x):
    return lines(f"{len(a)} {x}", a)


T = [case([5, 1, 3, 8, 2], 6), case([-4, 10, 0], -5)]
T.append(case([7], 100))
T.append(case([1, 1], 2))
T.append(case([1, 1], 1))
T.append(case([10**9] * 6, 2 * 10**9))
T.append(case([-10**9, 10**9, -10**9, 10**9], -2 * 10**9))
T.append(case([rng.randint(-20, 20) for _ in range(30)], rng.randint(-10, 10)))
T.append(case([rng.randint(-10**9, 10**9) for _ in range(3000)], 0))
n = 2 * 10**5
T.append(case([rng.randint(0, 99) for _ in range(n)], 100))
T.append(case([rng.randint(0, 9) for _ in range(n // 5)], 18))
T.append(case([rng.randint(-10**9, 10**9) for _ in range(10**4)], -10**9))
build("pairs-under-limit", T)
