import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, k = int(data[0]), int(data[1])
    seen = {0: 1}
    get = seen.get
    s = 0
    total = 0
    for v in data[2:2 + n]:
        s = (s + int(v)) % k
        c = get(s, 0)
        total += c
        seen[s] = c + 1
    print(total)


main()
