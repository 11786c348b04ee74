import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(101)
T = [multi(["10 4", "13 13", "100 13", "123 456", "92 46"])]
T.append(multi(["1 1"]))
T.append(multi(["1 1000000000", "1000000000 1", "1000000000 1000000000", "999999999 1000000000"]))
T.append(multi(["7 3", "8 3", "9 3", "1 2", "2 2"]))
for n, hi in ((50, 100), (500, 10**4), (2000, 10**9), (3000, 10**9)):
    cases = []
    for _ in range(n):
        b = rng.randint(1, hi)
        a = rng.randint(1, hi) if rng.random() < 0.7 else b * rng.randint(1, max(1, hi // b))
        cases.append(f"{a} {b}")
    T.append(multi(cases))
T.append(multi([f"{rng.randint(1, 10**9)} {rng.randint(10**8, 10**9)}" for _ in range(10**4)]))
T.append(multi([f"{10**9 - i} {10**9 - rng.randint(0, 5)}" for i in range(3000)]))
build("make-divisible", T)
