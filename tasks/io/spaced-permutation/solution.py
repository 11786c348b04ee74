import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for x in data[1:1 + t]:
        n = int(x)
        if n in (2, 3):
            out.append("-1")
        else:
            out.append(" ".join(map(str, list(range(2, n + 1, 2)) + list(range(1, n + 1, 2)))))
    sys.stdout.write("\n".join(out) + "\n")


main()
