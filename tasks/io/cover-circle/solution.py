import sys
from math import sqrt


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    xs = map(int, data[1:1 + 2 * n:2])
    ys = map(int, data[2:2 + 2 * n:2])
    best = max(x * x + y * y for x, y in zip(xs, ys))
    sys.stdout.write(f"{sqrt(best):.9f}\n")


main()
