import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    c = list(map(int, data[1:1 + n]))
    i, j = 0, n - 1
    score = [0, 0]
    turn = 0
    while i <= j:
        if c[i] > c[j]:
            score[turn] += c[i]
            i += 1
        else:
            score[turn] += c[j]
            j -= 1
        turn ^= 1
    print(score[0], score[1])


main()
