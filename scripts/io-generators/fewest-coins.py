import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(105)
T = [multi(["18", "1", "500", "999"])]
T.append(multi(["1"]))
T.append(multi(["1000000000"]))
T.append(multi([str(i) for i in range(1, 1001)]))
T.append(multi(["999999999", "999999998", "4", "9", "99", "399", "499", "888"]))
for n, hi in ((100, 100), (1000, 10**5), (10**4, 10**9)):
    T.append(multi([str(rng.randint(1, hi)) for _ in range(n)]))
T.append(multi([str(10**9 - rng.randint(0, 10**4)) for _ in range(10**4)]))
T.append(multi([str(rng.choice([3, 4, 8, 9, 13, 14, 18, 19])) for _ in range(500)]))
build("fewest-coins", T)
