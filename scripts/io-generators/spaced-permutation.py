import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(119)
T = [multi(["4", "3", "1", "7"])]
T.append(multi(["1"]))
T.append(multi(["2"]))
T.append(multi(["3"]))
T.append(multi(["4"]))
T.append(multi([str(n) for n in range(1, 60)]))
T.append(multi([str(rng.randint(1, 5)) for _ in range(3000)]))
T.append(multi(["50000"]))
T.append(multi(["9999", "1"]))
T.append(multi([str(rng.randint(1, 200)) for _ in range(200)]))
build("spaced-permutation", T)
