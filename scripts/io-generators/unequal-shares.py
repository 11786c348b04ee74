import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(102)
T = [multi(["7", "1", "2", "3", "2000000000", "763243547"])]
T.append(multi(["1"]))
T.append(multi(["2"]))
T.append(multi([str(i) for i in range(1, 101)]))
T.append(multi(["2000000000", "1999999999", "1999999998"]))
for n, hi in ((100, 1000), (1000, 10**6), (10**4, 2 * 10**9)):
    T.append(multi([str(rng.randint(1, hi)) for _ in range(n)]))
T.append(multi([str(2 * 10**9 - rng.randint(0, 1000)) for _ in range(10**4)]))
T.append(multi([str(rng.choice([1, 2, 3, 4])) for _ in range(10**4)]))
build("unequal-shares", T)
