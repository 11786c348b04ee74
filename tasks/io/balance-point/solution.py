import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    a = list(map(int, data[1:1 + n]))
    total = sum(a)
    left = 0
    for i, v in enumerate(a):
        if 2 * left + v == total:
            print(i + 1)
            return
        left += v
    print(-1)


main()
