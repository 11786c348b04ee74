import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(103)
T = [multi(["2 10", "7 3", "0 0", "123456789 1000000000000000000"])]
T.append(multi(["0 0"]))
T.append(multi(["0 5", "5 0", "1 1000000000000000000", "1000000000000000000 1"]))
T.append(multi([f"{a} {b}" for a in range(10) for b in range(10)]))
T.append(multi(["1000000000000000000 1000000000000000000", "999999999999999999 999999999999999999"]))
for n in (50, 1000, 5000):
    T.append(multi([f"{rng.randint(0, 10**18)} {rng.randint(0, 10**18)}" for _ in range(n)]))
T.append(multi([f"{rng.randint(0, 100)} {rng.randint(0, 20)}" for _ in range(10**4)]))
T.append(multi([f"{rng.randint(10**17, 10**18)} {rng.choice([0, 1, 2, 3, 4])}" for _ in range(3000)]))
build("last-digit-power", T)
