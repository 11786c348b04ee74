import sys


def depth(s):
    d = best = 0
    for c in s:
        if c == 40:
            d += 1
            if d > best:
                best = d
        else:
            d -= 1
            if d < 0:
                return -1
    return best if d == 0 else -1


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    sys.stdout.write("\n".join(str(depth(s)) for s in data[1:1 + t]) + "\n")


main()
