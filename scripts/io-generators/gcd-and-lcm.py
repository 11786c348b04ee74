import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(104)
T = [multi(["12 18", "7 5", "10 10"])]
T.append(multi(["1 1"]))
T.append(multi(["1000000000 999999999", "999999937 999999929", "1000000000 1000000000", "1 1000000000"]))
T.append(multi([f"{a} {b}" for a in range(1, 11) for b in range(1, 11)]))
for n, hi in ((100, 100), (1000, 10**6), (3000, 10**9)):
    T.append(multi([f"{rng.randint(1, hi)} {rng.randint(1, hi)}" for _ in range(n)]))
cases = []
for _ in range(10**4 - 1):
    g = rng.randint(1, 10**5)
    cases.append(f"{g * rng.randint(1, 10**9 // g)} {g * rng.randint(1, 10**9 // g)}")
T.append(multi(cases))
T.append(multi([f"{2**rng.randint(0, 29)} {3**rng.randint(0, 18)}" for _ in range(2000)]))
T.append(multi(["6 4", "4 6", "17 1", "1 17"]))
build("gcd-and-lcm", T)
