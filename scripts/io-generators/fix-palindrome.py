import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(110)


def rnd(n, alpha="abcdefghijklmnopqrstuvwxyz"):
    return "".join(rng.choice(alpha) for _ in range(n))


def pal(n, alpha="abc"):
    h = rnd(n // 2, alpha)
    return h + (rnd(1, alpha) if n % 2 else "") + h[::-1]


T = ["abcca\n", "racecar\n", "z\n", "ab\n", "aa\n", "abcdef\n"]
T.append(rnd(50, "ab") + "\n")
T.append(rnd(1000) + "\n")
T.append(rnd(2 * 10**5) + "\n")
p = list(pal(2 * 10**5 - 1))
for _ in range(100):
    p[rng.randrange(len(p))] = "z"
T.append("".join(p) + "\n")
T.append(pal(10**5, "q") + "\n")
T.append("a" * 5000 + "b" * 5000 + "\n")
build("fix-palindrome", T)
