import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(122)
T = [multi(["30", "67", "4", "14"])]
T.append(multi(["1"]))
T.append(multi(["2"]))
T.append(multi(["3"]))
T.append(multi(["1000"]))
T.append(multi([str(n) for n in range(1, 21)]))
T.append(multi([str(n) for n in range(1, 1001)]))
T.append(multi([str(rng.randint(1, 1000)) for _ in range(1000)]))
T.append(multi([str(rng.choice([1, 2, 4])) for _ in range(1000)]))
T.append(multi([str(rng.randint(990, 1000)) for _ in range(1000)]))
build("three-five-seven", T)
