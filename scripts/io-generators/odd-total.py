import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(143)


def case(a):
    if not any(v % 2 for v in a):
        a[rng.randrange(len(a))] = rng.choice([-1, 1, 3])
    return lines(len(a), a)


T = [case([-2, 2, -3, 1]), case([2, -5, -3])]
T.append(case([7]))
T.append(case([-9999]))
T.append(case([4, 6, 8, -1]))
T.append(case([-10000, -9999, -4, -2]))
T.append(case([3, 5, 7, 9]))
T.append(case([rng.randint(-20, 20) for _ in range(40)]))
T.append(case([rng.randint(-10**4, 10**4) for _ in range(5 * 10**4)]))
T.append(case([2 * rng.randint(-5000, 5000) for _ in range(10**4 - 1)] + [-9999]))
T.append(case([rng.randint(-10**4, -1) for _ in range(10**4)]))
T.append(case([10**4] * 4999 + [1, 1]))
build("odd-total", T)
