import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(109)
T = [lines("6 3", [1, 12, -5, -6, 50, 3]), lines("4 4", [-1, -2, -3, -4])]
T.append(lines("1 1", [-10000]))
T.append(lines("5 1", [3, -1, 7, 7, 2]))
T.append(lines("3 2", [10000, 10000, 10000]))
T.append(lines("8 3", [-5, -5, -5, -1, -5, -5, -5, -2]))
T.append(lines("100 7", [rng.randint(-10**4, 10**4) for _ in range(100)]))
T.append(lines("10000 5000", [rng.randint(-10**4, 10**4) for _ in range(10**4)]))
n = 2 * 10**5
T.append(lines(f"{n} {n // 2}", [rng.randint(-9, 9) for _ in range(n)]))
T.append(lines(f"{n // 10} 3", [rng.randint(-9, 9) for _ in range(n // 10)]))
T.append(lines(f"{n // 10} {n // 10 - 1}", [rng.randint(-9, 9) for _ in range(n // 10)]))
build("best-window-average", T)
