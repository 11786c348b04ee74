import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(141)
T = ["URDL\n", "RRLLRR\n", "U\n", "UD\n", "RRRRRRRRRR\n", "URDLURDL\n"]
T.append("".join(rng.choice("UDLR") for _ in range(50)) + "\n")
T.append("".join(rng.choice("UDLR") for _ in range(2 * 10**5)) + "\n")
T.append(("R" * 1000 + "U" + "L" * 1000 + "U") * 30 + "\n")
T.append("".join(rng.choice("UUR") for _ in range(30000)) + "\n")
T.append("UD" * 20000 + "\n")
T.append("L" * 10000 + "R" * 10000 + "\n")
build("robot-trail", T)
