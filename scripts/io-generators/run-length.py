import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(111)


def blocks(k, maxlen, alpha="abcdefghijklmnopqrstuvwxyz"):
    out, prev = [], ""
    for _ in range(k):
        c = rng.choice([a for a in alpha if a != prev])
        out.append(c * rng.randint(1, maxlen))
        prev = c
    return "".join(out)


T = ["aaabccdddd\n", "xxxxxxxxxxxx\n", "q\n", "abcdefghijklmnopqrstuvwxyz\n", "zzzzzzzzzzy\n"]
T.append(blocks(20, 15, "ab") + "\n")
T.append(blocks(500, 30) + "\n")
T.append("k" * 20000 + "\n")
T.append("".join("ab"[i % 2] for i in range(20000)) + "\n")
s = blocks(30000, 5)[: 10**5]
T.append(s + "\n")
T.append("a" * 19999 + "b\n")
build("run-length", T)
