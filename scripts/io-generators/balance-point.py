import os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _lib import build, lines

rng = random.Random(117)


def case(a):
    return lines(len(a), a)


def balanced(n, lo, hi):
    """n values with a balance point at a random position."""
    p = rng.randrange(n)
    left = [rng.randint(lo, hi) for _ in range(p)]
    right = [rng.randint(lo, hi) for _ in range(n - p - 1)]
    diff = sum(left) - sum(right)
    # fix the difference by adjusting right-side values within [lo, hi]
    k = 0
    while diff and right:
        j = k % len(right)
        step = max(lo - right[j], min(hi - right[j], diff))
        right[j] += step
        diff -= step
        k += 1
        if k > 10 * len(right) + 10:
            break
    if diff:
        return balanced(n, lo, hi)
    return left + [rng.randint(lo, hi)] + right


T = [case([1, 7, 3, 6, 5, 6]), case([1, 2, 3])]
T.append(case([42]))
T.append(case([0, 0, 0, 0, 0]))
T.append(case([1, -1]))
T.append(case([5, 1]))
T.append(case([-10**4, 10**4, 3, -10**4, 10**4]))
T.append(case(balanced(30, -5, 5)))
T.append(case([rng.randint(1, 10**4) for _ in range(1000)]))
T.append(case(balanced(5000, -10**4, 10**4)))
n = 2 * 10**5
T.append(case([rng.randint(1, 9) for _ in range(n - 1)] + [10**4]))
a = balanced(n // 10, 0, 9)
T.append(case(a))
T.append(case([rng.choice([-1, 1]) for _ in range(n // 10)]))
build("balance-point", T)
