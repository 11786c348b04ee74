import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, multi

rng = random.Random(134)
AL = "abcdefghijklmnopqrstuvwxyz"


def word(n, alpha=AL):
    return "".join(rng.choice(alpha) for _ in range(n))


T = [multi(["banana", "abcabc", "z", "mississippi"])]
T.append(multi(["a"]))
T.append(multi(["zyx"]))
T.append(multi([AL, AL[::-1], "zz" + AL]))
T.append(multi([word(rng.randint(1, 10), "xyz") for _ in range(500)]))
T.append(multi([word(2 * 10**5)]))
T.append(multi(["z" * 10**4 + "a" * 10**4]))
T.append(multi([word(rng.randint(1, 15)) for _ in range(10**4)]))
T.append(multi([word(5000, "qr") for _ in range(2)]))
T.append(multi(["y" * 5000, "b" * 4999 + "c" * 5000]))
build("top-letter", T)
