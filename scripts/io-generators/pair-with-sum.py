import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(116)


def case(a, x):
    return lines(f"{len(a)} {x}", a)


T = [case([3, 8, -1, 5, 4], 7), case([1, 2, 3], 10)]
T.append(case([5, 5], 10))
T.append(case([5, 6], 10))
T.append(case([-10**9, 10**9], 0))
T.append(case([10**9, 10**9, 10**9], 2 * 10**9))
T.append(case([-10**9, -10**9, 7], -2 * 10**9))
T.append(case([0, 0, 0, 0], 0))
T.append(case([rng.randint(-50, 50) for _ in range(40)], rng.randint(-30, 30)))
T.append(case([rng.randint(-10**9, 10**9) for _ in range(2000)], 12345))
a = [rng.randint(-10**9, 10**9) for _ in range(3000)]
T.append(case(a, a[17] + a[2999]))
n = 2 * 10**5
T.append(case([2 * rng.randint(0, 49) for _ in range(n)], 99))
a = [2 * rng.randint(0, 2000) for _ in range(n // 20)]
a[-1] = 1
T.append(case(a, 1 + a[rng.randrange(n // 20 - 1)]))
build("pair-with-sum", T)
