import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(137)
T = [multi(["3 5", "1 4", "4 2"])]
T.append(multi(["1 1"]))
T.append(multi(["2 2"]))
T.append(multi(["50 50"]))
T.append(multi(["5 1", "1 5"]))
T.append(multi(["3 3", "3 3"]))
T.append(multi([f"{h} {w}" for h in range(1, 6) for w in range(1, 5)]))
T.append(multi([f"{rng.randint(1, 50)} {rng.randint(1, 50)}" for _ in range(100)]))
T.append(multi(["50 50"] * 100))
T.append(multi([f"{rng.randint(1, 3)} {rng.randint(1, 3)}" for _ in range(100)]))
build("hollow-frame", T)
