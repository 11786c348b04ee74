import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(121)
T = ["4\n", "5\n", "2\n", "3\n", "6\n", "7\n", "10\n", "1000\n", "100000\n", "9999\n", "9998\n", f"{rng.randint(10**4, 2 * 10**4)}\n"]
build("fair-halves", T)
