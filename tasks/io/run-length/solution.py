import sys
from itertools import groupby


def main():
    s = sys.stdin.buffer.read().split()[0].decode()
    sys.stdout.write("".join(f"{ch}{sum(1 for _ in g)}" for ch, g in groupby(s)) + "\n")


main()
