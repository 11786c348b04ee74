import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(144)
T = [multi(["432 4", "99 2", "1 1", "1000000000 7"])]
T.append(multi(["1 1"]))
T.append(multi(["1 9"]))
T.append(multi(["1000000000 9", "999999999 9", "999999999 8", "999999990 7"]))
T.append(multi([f"{n} {k}" for n in range(1, 21) for k in range(1, 10)]))
T.append(multi([f"{rng.randint(1, 10**9)} {rng.randint(1, 9)}" for _ in range(10**4)]))
T.append(multi([f"{rng.randint(1, 10**9)} 8" for _ in range(3000)]))
T.append(multi([f"{rng.randint(1, 10**4) * 10**rng.randint(0, 5) - rng.randint(0, 20)} {rng.randint(5, 9)}" for _ in range(5000)]))
T.append(multi([f"{max(1, int('9' * rng.randint(1, 9)) - rng.randint(0, 9))} {rng.randint(1, 9)}" for _ in range(5000)]))
T.append(multi([f"{rng.randint(1, 1000)} {rng.randint(1, 9)}" for _ in range(3000)]))
build("next-lucky-sum", T)
