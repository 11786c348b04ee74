import sys

COINS = (500, 200, 100, 50, 20, 10, 5, 2, 1)


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for x in data[1:1 + t]:
        n = int(x)
        c = 0
        for v in COINS:
            c += n // v
            n %= v
        out.append(c)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
