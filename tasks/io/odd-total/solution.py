import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    s = sum(v for v in a if v > 0)
    if s % 2 == 0:
        # drop the smallest positive odd, or add the largest non-positive odd
        drop = min((v for v in a if v > 0 and v % 2), default=None)
        add = max((v for v in a if v <= 0 and v % 2), default=None)
        cands = []
        if drop is not None:
            cands.append(s - drop)
        if add is not None:
            cands.append(s + add)
        s = max(cands)
    print(s)


main()
