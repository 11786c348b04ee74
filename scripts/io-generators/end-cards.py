import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(142)


def case(c):
    return lines(len(c), c)


T = [case([4, 1, 2, 10]), case([1, 2, 3, 4, 5, 6, 7])]
T.append(case([5]))
T.append(case([1, 1000000]))
T.append(case([1000000, 999999, 1, 2]))
T.append(case(rng.sample(range(1, 30), 12)))
T.append(case(rng.sample(range(1, 10**6 + 1), 1000)))
T.append(case(rng.sample(range(1, 10**6 + 1), 3 * 10**4)))
T.append(case(list(range(1, 5001))))
T.append(case(list(range(10**6, 10**6 - 5000, -1))))
T.append(case(rng.sample(range(1, 10**4 + 1), 9999)))
build("end-cards", T)
