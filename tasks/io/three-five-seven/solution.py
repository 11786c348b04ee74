import sys


def main():
    data = sys.stdin.buffer.read().split()
    t = int(data[0])
    out = []
    for v in data[1:1 + t]:
        n = int(v)
        ans = "-1"
        for z in range(n // 7 + 1):
            for y in range((n - 7 * z) // 5 + 1):
                if (n - 7 * z - 5 * y) % 3 == 0:
                    ans = f"{(n - 7 * z - 5 * y) // 3} {y} {z}"
                    break
            if ans != "-1":
                break
        out.append(ans)
    sys.stdout.write("\n".join(out) + "\n")


main()
