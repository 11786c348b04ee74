import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(106)
T = [lines(5, [7, 9, 8, 10, 3]), lines(4, [5, 5, 5, 6])]
T.append(lines(3, [1, 2, 3]))
T.append(lines(3, [-1000, 1000, -1000]))
T.append(lines(6, [4, 4, 4, 4, 4, 4]))
T.append(lines(7, [-1, -2, -3, -4, -5, -6, -7]))
T.append(lines(10, [rng.randint(-10, 10) for _ in range(10)]))
T.append(lines(1000, [rng.randint(-1000, 1000) for _ in range(1000)]))
T.append(lines(10**5, [rng.randint(-1000, 1000) for _ in range(10**5)]))
T.append(lines(10**4, [1000] * (10**4 - 1) + [-1000]))
T.append(lines(9999, [rng.randint(0, 3) for _ in range(9999)]))
build("trimmed-mean", T)
