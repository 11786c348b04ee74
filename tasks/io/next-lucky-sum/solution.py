import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for i in range(t):
        m = int(data[1 + 2 * i])
        k = int(data[2 + 2 * i])
        while sum(map(int, str(m))) % k:
            m += 1
        out.append(m)
    sys.stdout.write("\n".join(map(str, out)) + "\n")


main()
