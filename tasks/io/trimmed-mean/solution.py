import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    s = sum(a) - max(a) - min(a)
    sys.stdout.write(f"{s / (n - 2):.9f}\n")


main()
