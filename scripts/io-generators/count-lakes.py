import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build

rng = random.Random(139)


def grid(rows):
    return f"{len(rows)} {len(rows[0])}\n" + "".join(r + "\n" for r in rows)


def rnd(n, m, p):
    return ["".join("~" if rng.random() < p else "#" for _ in range(m)) for _ in range(n)]


T = [grid(["~~#~", "#~#~", "##~#"]), grid(["~#~", "#~#", "~#~"])]
T.append(grid(["~"]))
T.append(grid(["#"]))
T.append(grid(["~" * 400] * 100))
T.append(grid(["#" * 50] * 3))
T.append(grid(rnd(12, 15, 0.5)))
T.append(grid(rnd(400, 400, 0.45)))
T.append(grid(["".join("~" if (i + j) % 2 == 0 else "#" for j in range(400)) for i in range(100)]))
snake = []
for i in range(199):
    if i % 2 == 0:
        snake.append("~" * 400)
    else:
        snake.append(("#" * 399 + "~") if i % 4 == 1 else ("~" + "#" * 399))
T.append(grid(snake))
T.append(grid(rnd(1, 400, 0.6)))
build("count-lakes", T)
