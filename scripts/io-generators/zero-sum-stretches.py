import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(129)


def case(a):
    return lines(len(a), a)


T = [case([2, -2, 3, 0, -3, 1]), case([1, 2, 3])]
T.append(case([0]))
T.append(case([5]))
T.append(case([0] * 100))
T.append(case([10**9, -10**9] * 5))
T.append(case([rng.randint(-3, 3) for _ in range(50)]))
T.append(case([rng.randint(-10**9, 10**9) for _ in range(1000)]))
n = 2 * 10**5
T.append(case([rng.randint(-3, 3) for _ in range(n)]))
T.append(case([0] * (n // 10)))
T.append(case([rng.choice([1, -1]) for _ in range(n // 10)]))
T.append(case([rng.randint(-10**9, 10**9) for _ in range(3000)]))
build("zero-sum-stretches", T)
