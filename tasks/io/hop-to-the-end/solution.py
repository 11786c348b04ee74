import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    pos = 1
    out = []
    for _ in range(t):
        n = int(data[pos])
        a = data[pos + 1:pos + 1 + n]
        pos += 1 + n
        reach = 0
        for i in range(n):
            if i > reach:
                break
            r = i + int(a[i])
            if r > reach:
                reach = r
        out.append("YES" if reach >= n - 1 else "NO")
    sys.stdout.write("\n".join(out) + "\n")


main()
