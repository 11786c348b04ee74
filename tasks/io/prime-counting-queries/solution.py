import sys
from itertools import accumulate

LIMIT = 10**6


def main():
    data = sys.stdin.buffer.read().split()
    q = int(data[0])
    sieve = bytearray([1]) * (LIMIT + 1)
    sieve[0] = sieve[1] = 0
    for p in range(2, int(LIMIT ** 0.5) + 1):
        if sieve[p]:
            sieve[p * p::p] = bytes(len(range(p * p, LIMIT + 1, p)))
    pre = list(accumulate(sieve))
    ls = map(int, data[1:1 + 2 * q:2])
    rs = map(int, data[2:2 + 2 * q:2])
    sys.stdout.write("\n".join(str(pre[r] - pre[l - 1]) for l, r in zip(ls, rs)) + "\n")


main()
