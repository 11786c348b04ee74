import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for x in data[1:1 + t]:
        n = int(x)
        out.append(" ".join(map(str, range(2, n + 1))) + " 1")
    sys.stdout.write("\n".join(out) + "\n")


main()
