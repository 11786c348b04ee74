import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(124)


def case(w, c):
    return lines(f"{len(w)} {c}", w)


T = [case([50, 70, 30, 90, 40], 100), case([60, 60, 60], 100)]
T.append(case([1], 1))
T.append(case([1, 1], 1))
T.append(case([1, 1], 2))
T.append(case([5, 5, 5, 5, 5], 10))
T.append(case([rng.randint(1, 20) for _ in range(25)], 20))
T.append(case([rng.randint(1, 1000) for _ in range(1000)], 1000))
T.append(case([rng.randint(1, 999) for _ in range(10**5)], 999))
T.append(case([rng.randint(1, 300) for _ in range(20000)], 10**4))
T.append(case([rng.choice([3, 7]) for _ in range(20000)], 10))
build("canoe-pairs", T)
