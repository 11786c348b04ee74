import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(136)
BIG_PRIMES = [999999937, 999999929, 999999893, 999999883, 999999797, 999999761, 999999757, 999999751]
T = [multi(["9", "1", "10", "13", "1000000000"])]
T.append(multi(["1"]))
T.append(multi(["2"]))
T.append(multi([str(i) for i in range(1, 101)]))
T.append(multi([str(p) for p in BIG_PRIMES]))
T.append(multi([str(2**29), str(3**18), "735134400", "999999999", "31622*31622".replace("31622*31622", str(31622 * 31622))]))
T.append(multi([str(rng.randint(1, 10**9)) for _ in range(500)]))
T.append(multi([str(rng.choice(BIG_PRIMES)) for _ in range(500)]))
T.append(multi([str(31607 * 31601) if i % 2 else str(31627 * 31607) for i in range(500)]))
T.append(multi([str(rng.randint(10**9 - 1000, 10**9)) for _ in range(500)]))
build("coprime-count", T)
