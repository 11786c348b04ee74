import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(113)
AL = "abcdefghijklmnopqrstuvwxyz"


def case(n, alpha=AL):
    s = "".join(rng.choice(alpha) for _ in range(n))
    w = list(s)
    rng.shuffle(w)
    r = rng.random()
    if r < 0.25 and n > 0:
        w[rng.randrange(n)] = rng.choice(alpha)
    elif r < 0.35:
        w.append(rng.choice(alpha))
    elif r < 0.4 and n > 1:
        w.pop()
    return s + " " + "".join(w)


T = [multi(["listen silent", "abc abd", "aab aba", "a aa"])]
T.append(multi(["a a"]))
T.append(multi(["a b"]))
T.append(multi(["ab ba", "ab ab", "aa ab", "abc cab", "abcd dcbaa", "zz zz"]))
T.append(multi([case(rng.randint(1, 6), "ab") for _ in range(500)]))
T.append(multi([case(rng.randint(1, 20)) for _ in range(2000)]))
T.append(multi([case(50000 - 1)]))
s = "".join(rng.choice(AL) for _ in range(20000))
w = list(s); i, j = rng.sample(range(20000), 2); w[i] = "z" if w[i] != "z" else "y"
T.append(multi([s + " " + "".join(w)]))
T.append(multi([case(4) for _ in range(10**4)]))
T.append(multi(["a" * 10000 + " " + "a" * 9999 + "b", "b" * 10000 + " " + "b" * 10000]))
build("same-letters", T)
