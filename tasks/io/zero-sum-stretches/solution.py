import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    seen = {0: 1}
    s = 0
    total = 0
    get = seen.get
    for v in data[1:1 + n]:
        s += int(v)
        c = get(s, 0)
        total += c
        seen[s] = c + 1
    print(total)


main()
