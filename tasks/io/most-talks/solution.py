import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    s = list(map(int, data[1:1 + 2 * n:2]))
    e = list(map(int, data[2:2 + 2 * n:2]))
    end = -1
    count = 0
    for i in sorted(range(n), key=e.__getitem__):
        if s[i] >= end:
            end = e[i]
            count += 1
    print(count)


main()
