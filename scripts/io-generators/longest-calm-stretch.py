import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(115)


def case(s, k):
    return f"{len(s)} {k}\n{s}\n"


def rnd(n, p=0.5):
    return "".join("a" if rng.random() < p else "b" for _ in range(n))


T = [case("abbaa", 1), case("ababab", 0)]
T.append(case("a", 0))
T.append(case("b", 1))
T.append(case("ab", 2))
T.append(case("aaaa", 0))
T.append(case(rnd(30), 3))
T.append(case(rnd(1000, 0.8), 17))
n = 2 * 10**5
T.append(case(rnd(n), 40000))
T.append(case(rnd(n // 5, 0.95), 0))
T.append(case(rnd(n // 5, 0.3), n // 15))
T.append(case("ab" * (n // 10), n // 5))
build("longest-calm-stretch", T)
