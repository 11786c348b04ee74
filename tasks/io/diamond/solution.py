import sys


def main():
    n = int(sys.stdin.buffer.read().split()[0])
    top = [" " * (n - i) + "*" * (2 * i - 1) for i in range(1, n + 1)]
    sys.stdout.write("\n".join(top + top[-2::-1]) + "\n")


main()
