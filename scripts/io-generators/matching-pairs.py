import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(132)


def case(a):
    return lines(len(a), a)


T = [case([3, 1, 3, 2, 3, 1]), case([5, 6, 7])]
T.append(case([1]))
T.append(case([1000000000, 1000000000]))
T.append(case([7] * 1000))
T.append(case(list(range(1, 1001))))
T.append(case([rng.randint(1, 5) for _ in range(30)]))
T.append(case([rng.randint(1, 10**9) for _ in range(5000)]))
n = 2 * 10**5
T.append(case([rng.randint(1, 99) for _ in range(n)]))
T.append(case([1] * (n // 10)))
a = [rng.randint(1, 10**9) for _ in range(2000)]
T.append(case([rng.choice(a) for _ in range(10**4)]))
build("matching-pairs", T)
