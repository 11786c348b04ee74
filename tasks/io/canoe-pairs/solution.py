import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, c = int(data[0]), int(data[1])
    w = sorted(map(int, data[2:2 + n]))
    i, j = 0, n - 1
    boats = 0
    while i <= j:
        if i < j and w[i] + w[j] <= c:
            i += 1
        j -= 1
        boats += 1
    print(boats)


main()
