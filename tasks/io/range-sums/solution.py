import sys
from itertools import accumulate


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    pre = [0] + list(accumulate(c - 48 for c in data[2]))
    ls = map(int, data[3:3 + 2 * q:2])
    rs = map(int, data[4:4 + 2 * q:2])
    sys.stdout.write("\n".join(str(pre[r] - pre[l - 1]) for l, r in zip(ls, rs)) + "\n")


main()
