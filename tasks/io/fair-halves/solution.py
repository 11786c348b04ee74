import sys


def main():
    n = int(sys.stdin.buffer.read().split()[0])
    half = n * (n + 1) // 2 // 2
    group = []
    s = 0
    for i in range(n, 0, -1):
        if s + i <= half:
            s += i
            group.append(i)
    sys.stdout.write(f"{len(group)}\n" + " ".join(map(str, group)) + "\n")


main()
