import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    r = sorted(map(int, data[2:2 + n]))
    print(min(r[i + k - 1] - r[i] for i in range(n - k + 1)))


main()
