import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(118)
T = [multi(["2", "5", "3"])]
T.append(multi(["2"]))
T.append(multi(["3"]))
T.append(multi([str(n) for n in range(2, 40)]))
T.append(multi(["2"] * 5000))
T.append(multi([str(rng.randint(2, 10)) for _ in range(1000)]))
T.append(multi(["50000"]))
T.append(multi(["9999"]))
T.append(multi([str(rng.randint(2, 1000)) for _ in range(90)]))
T.append(multi(["5000", "4998", "2"]))
build("no-one-in-place", T)
