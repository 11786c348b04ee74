import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi, lines

rng = random.Random(125)


def case(a):
    return lines(len(a), a)


def rnd(n, hi, zero=0.3):
    return [0 if rng.random() < zero else rng.randint(1, hi) for _ in range(n)]


T = [multi([case([2, 3, 1, 1, 4]), case([3, 2, 1, 0, 4]), case([0]), case([0, 5])])]
T.append(multi([case([0])]))
T.append(multi([case([1, 0])]))
T.append(multi([case([100000] + [0] * 9)]))
T.append(multi([case(rnd(rng.randint(1, 8), 3)) for _ in range(2000)]))
T.append(multi([case([1] * (2 * 10**4 - 1) + [0])]))
T.append(multi([case([1] * 10000 + [0] + [9] * 9999)]))
a = [rng.randint(1, 3) for _ in range(10**5)]
for i in rng.sample(range(10**5), 30000):
    a[i] = 0
for i in range(0, 10**5, 3):
    a[i] = max(a[i], 3)
T.append(multi([case(a)]))
T.append(multi([case(rnd(2, 3, 0.4)) for _ in range(10**4)]))
T.append(multi([case([2, 0] * 5000 + [0]), case([3, 0, 0] * 3000 + [0])]))
T.append(multi([case(rnd(500, 5, 0.6)) for _ in range(100)]))
build("hop-to-the-end", T)
