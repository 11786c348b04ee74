#!/usr/bin/env python3
"""Writes Crucible's held-out suite: tasks/holdout.

The holdout suite is for measuring only: evaluate a design on it once, and
tune on tasks/eval. Its tasks are like those of tasks/train and tasks/eval
(scripts/make_tasks.py): ints, lists of ints, strings and words, nested
lists, in three levels (1 one operation; 2 two composed; 3 loops or several
steps), each with a prompt in words, a typed signature, a reference
solution, 3 public tests and at least 5 hidden ones. The public tests are
ordinary cases; the hidden ones add the edges (empty lists, negatives,
duplicates, single elements, boundaries) that a program fitted to the
public tests alone tends to get wrong. Expected values are what the
reference returns.

Before writing, the script refuses (exit 1, naming the task) a holdout task
that
- shares its task_id or entry point with a train or eval task;
- has not exactly 3 public tests, or fewer than 5 hidden ones;
- has an argument or expected value that is not of its signature's types;
- behaves like another task: some train, eval or other holdout reference
  with the same parameter and return types returns the expected value
  (type-strict, as the judge compares) on every one of its tests.

It reads tasks/train and tasks/eval and never writes them.

Run: python3 scripts/make_holdout.py   (rewrites tasks/holdout/tasks.jsonl)
"""

import json
import os
import random
import signal
import sys
from collections import Counter
from make_tasks import tests_of  # scripts/, this file's directory, is on the path

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tasks")
rng = random.Random(20261201)

TYPES = {"int", "bool", "str", "list[int]", "list[str]", "list[list[int]]"}


def ints(n, lo=-9, hi=9):
    return [rng.randint(lo, hi) for _ in range(n)]


def lists(count, lo=-9, hi=9, min_len=0, max_len=7):
    return [ints(rng.randint(min_len, max_len), lo, hi) for _ in range(count)]


WORDS = ["apple", "sky", "river", "stone", "bright", "a", "moon", "cat", "level", "noon", "tree", "go",
         "banana", "red", "ocean", "sun", "wind", "rock", "idea", "blue", "kayak", "x", "wave", "path",
         "listen", "silent", "garden", "to", "owl", "umbrella", "echo", "in"]


def sentence(lo=1, hi=6):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def sentences(count, lo=1, hi=6):
    return [sentence(lo, hi) for _ in range(count)]


def spaced(lo=1, hi=5):
    """A sentence with runs of spaces between, before and after its words."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    out = " " * rng.randint(0, 2)
    for i, w in enumerate(words):
        out += (" " * rng.randint(1, 3) if i else "") + w
    return out + " " * rng.randint(0, 2)


def capitalized(lo=1, hi=6):
    """A sentence whose words are capitalized at random."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(w.capitalize() if rng.random() < 0.5 else w for w in words)


def matrix(rows=None, cols=None, lo=-5, hi=9):
    r = rows if rows is not None else rng.randint(1, 4)
    c = cols if cols is not None else rng.randint(1, 4)
    return [ints(c, lo, hi) for _ in range(r)]


def matrices(count, square=False, lo=-5, hi=9):
    out = []
    for _ in range(count):
        n = rng.randint(1, 4)
        out.append(matrix(n, n if square else None, lo, hi))
    return out


def ragged(count, lo=-5, hi=9):
    """Lists of lists whose rows have different lengths, some empty."""
    return [[ints(rng.randint(0, 3), lo, hi) for _ in range(rng.randint(1, 4))] for _ in range(count)]


TASKS = []
KIND = {}
SECTION = None


def task(task_id, level, tags, prompt, signature, solution, inputs, public=3):
    """Adds a task; `inputs` is a list of argument tuples (or single values)."""
    entry, tests = tests_of(signature, solution, inputs)
    TASKS.append({
        "task_id": task_id, "prompt": prompt, "entry_point": entry, "signature": signature,
        "solution": solution, "tests": tests, "public": public, "tags": tags, "level": level,
    })
    KIND[task_id] = SECTION


# ---- lists of ints ---------------------------------------------------------------

SECTION = "list of ints"

task("sum-above", 2, ["lists", "sum", "greater"], "Return the sum of the numbers in the list `xs` that are greater than `k`.",
     "def sum_above(xs: list[int], k: int) -> int", "def sum_above(xs, k):\n    return sum([x for x in xs if x > k])\n",
     [([1, 5, 3], 2), ([4, 7, 1], 3), ([10, 2, 8], 5), ([], 3), ([4, 4, 4], 4), ([-3, -1, 0], -2), ([2, 9], 9), ([-5, 6], -10)]
     + [(xs, rng.randint(-3, 3)) for xs in lists(4)])
task("count-in-range", 2, ["lists", "count", "range"], "Return how many numbers in the list `xs` lie between `lo` and `hi`, both included (lo <= hi).",
     "def count_in_range(xs: list[int], lo: int, hi: int) -> int",
     "def count_in_range(xs, lo, hi):\n    return len([x for x in xs if lo <= x <= hi])\n",
     [([1, 5, 3, 8], 2, 6), ([7, 2, 9, 4], 3, 8), ([6, 1, 6], 0, 5), ([], 0, 5), ([2, 6], 2, 6), ([-4, -2, 0, 3], -3, 0),
      ([5], 5, 5), ([1, 2, 3], 4, 9)] + [(xs, -2, rng.randint(-2, 4)) for xs in lists(4)])
task("count-rises", 3, ["lists", "count", "pairs", "loop"], "Return how many times a number of the list `xs` is greater than the number just before it.",
     "def count_rises(xs: list[int]) -> int", "def count_rises(xs):\n    return len([1 for a, b in zip(xs, xs[1:]) if b > a])\n",
     [[1, 3, 2, 5], [4, 5, 6], [9, 1, 7], [], [5], [2, 2, 2], [-3, -1, -2], [3, 2, 1]] + lists(4, -3, 3))
task("longest-run", 3, ["lists", "loop", "count"], "Return the length of the longest stretch of equal numbers next to each other in the list `xs` (0 for an empty list).",
     "def longest_run(xs: list[int]) -> int",
     "def longest_run(xs):\n    best = 0\n    run = 0\n    for i, x in enumerate(xs):\n        run = run + 1 if i > 0 and xs[i - 1] == x else 1\n        best = max(best, run)\n    return best\n",
     [[1, 1, 2, 2, 2, 3], [4, 4, 5], [7, 8, 8, 8, 8, 1], [], [5], [1, 2, 3], [2, 2, 1, 2, 2], [-1, -1, -1]] + lists(4, -2, 2))
task("count-repeats", 2, ["lists", "count", "distinct"], "Return how many numbers of the list `xs` are repeats: equal to a number that comes earlier in the list.",
     "def count_repeats(xs: list[int]) -> int", "def count_repeats(xs):\n    return len(xs) - len(set(xs))\n",
     [[1, 2, 2, 3], [4, 4, 4], [5, 1, 5, 1], [], [7], [1, 2, 3], [-1, 1, -1, 1, -1], [0, 0]] + lists(4, -3, 3))
task("sum-odd-positions", 2, ["lists", "sum", "slice"], "Return the sum of the numbers at the odd positions (1, 3, 5, ...) of the list `xs`.",
     "def sum_odd_positions(xs: list[int]) -> int", "def sum_odd_positions(xs):\n    return sum(xs[1::2])\n",
     [[1, 2, 3, 4], [5, 10, 5, 10, 5], [0, 7, 1], [], [9], [3, -4], [-1, -2, -3]] + lists(5))
task("last-index-of-max", 3, ["lists", "max", "index"], "Return the position of the last occurrence of the largest number of the non-empty list `xs`.",
     "def last_index_of_max(xs: list[int]) -> int", "def last_index_of_max(xs):\n    return len(xs) - 1 - xs[::-1].index(max(xs))\n",
     [[1, 5, 3], [2, 4, 9], [7, 1, 0], [4, 9, 9, 1], [5], [3, 3, 3], [-2, -1, -1, -5], [8, 2, 8]] + lists(4, -3, 3, min_len=1))
task("count-peaks", 3, ["lists", "count", "loop", "pairs"], "Return how many numbers of the list `xs` are greater than both of their neighbours; the first and the last number have only one neighbour and never count.",
     "def count_peaks(xs: list[int]) -> int",
     "def count_peaks(xs):\n    return len([i for i in range(1, len(xs) - 1) if xs[i] > xs[i - 1] and xs[i] > xs[i + 1]])\n",
     [[1, 3, 2, 5, 4], [0, 6, 1], [5, 1, 4, 2, 8, 0], [], [9], [3, 8], [2, 7, 7, 3], [9, 1, 9], [-1, -5, -2, -4]] + lists(4, -3, 3))
task("max-adjacent-sum", 2, ["lists", "max", "pairs"], "Return the largest sum of two neighbouring numbers of the list `xs`, which holds at least two numbers.",
     "def max_adjacent_sum(xs: list[int]) -> int", "def max_adjacent_sum(xs):\n    return max([a + b for a, b in zip(xs, xs[1:])])\n",
     [[1, 5, 3, 2], [2, 9, 1, 6], [3, 1, 4, 1, 5], [-5, -2, -8], [1, 2], [0, 0, 0], [9, -9, 9, -9], [-1, -1]] + lists(4, min_len=2))
task("first-negative-index", 2, ["lists", "index", "negative"], "Return the position of the first number less than zero in the list `xs`, or -1 if there is none.",
     "def first_negative_index(xs: list[int]) -> int",
     "def first_negative_index(xs):\n    for i, x in enumerate(xs):\n        if x < 0:\n            return i\n    return -1\n",
     [[3, -1, 4, -5], [-2, 0], [5, 6, -7], [], [1, 2, 3], [0, 0], [-4], [2, 2, -1, -1]] + lists(4, -2, 9))
task("cap-at", 2, ["lists", "map", "min"], "Return the list `xs` with every number greater than `k` replaced by `k`.",
     "def cap_at(xs: list[int], k: int) -> list[int]", "def cap_at(xs, k):\n    return [min(x, k) for x in xs]\n",
     [([1, 5, 3], 4), ([9, 2, 7], 5), ([6, 6, 1], 3), ([], 2), ([4, 4], 4), ([-3, 0, 2], -1), ([7], 0), ([1, 2], 9)]
     + [(xs, rng.randint(-3, 3)) for xs in lists(4)])
task("remove-value", 2, ["lists", "filter"], "Return the list `xs` without any occurrence of the number `k`, the other numbers in their order.",
     "def remove_value(xs: list[int], k: int) -> list[int]", "def remove_value(xs, k):\n    return [x for x in xs if x != k]\n",
     [([1, 2, 1, 3], 1), ([4, 5, 6], 5), ([7, 8, 7], 8), ([], 1), ([2, 2, 2], 2), ([3, 4], 9), ([-1, 0, -1], -1), ([0], 0)]
     + [(xs, rng.randint(-2, 2)) for xs in lists(4, -2, 2)])
task("running-product", 3, ["lists", "product", "loop"], "Return the running products of the list `xs`: element i of the result is the product of xs[0] through xs[i].",
     "def running_product(xs: list[int]) -> list[int]",
     "def running_product(xs):\n    out = []\n    product = 1\n    for x in xs:\n        product *= x\n        out.append(product)\n    return out\n",
     [[1, 2, 3], [2, 2, 2], [3, 1, 4], [], [5], [2, 0, 7], [-1, 2, -3], [1, 1, 1]] + lists(4, -3, 3))
task("pair-sums", 2, ["lists", "pairs", "add"], "Return the sums of neighbouring numbers of the list `xs`: xs[0] + xs[1], xs[1] + xs[2], and so on.",
     "def pair_sums(xs: list[int]) -> list[int]", "def pair_sums(xs):\n    return [a + b for a, b in zip(xs, xs[1:])]\n",
     [[1, 2, 3, 4], [5, 5, 1], [0, 4, 9], [], [7], [-2, 2], [3, -5, 1]] + lists(5))
task("interleave", 3, ["lists", "pairs", "concatenate", "loop"], "Return the numbers of the lists `xs` and `ys`, which have the same length, taken in turn: xs[0], ys[0], xs[1], ys[1], and so on.",
     "def interleave(xs: list[int], ys: list[int]) -> list[int]",
     "def interleave(xs, ys):\n    out = []\n    for x, y in zip(xs, ys):\n        out.append(x)\n        out.append(y)\n    return out\n",
     [([1, 2], [3, 4]), ([5, 6, 7], [8, 9, 0]), ([1, 3], [2, 4]), ([], []), ([4], [-4]), ([0, 0, 0], [1, 1, 1]), ([2, 2], [2, 2])]
     + [(a, ints(len(a))) for a in lists(5)])
task("rotate-right", 2, ["lists", "slice"], "Return the list `xs` with its last number moved to the front.",
     "def rotate_right(xs: list[int]) -> list[int]", "def rotate_right(xs):\n    return xs[-1:] + xs[:-1]\n",
     [[1, 2, 3], [4, 5, 6, 7], [9, 8, 7], [], [5], [2, 2, -1], [1, 2]] + lists(5))
task("indices-of", 2, ["lists", "index", "filter"], "Return the positions at which the number `k` appears in the list `xs`, in increasing order.",
     "def indices_of(xs: list[int], k: int) -> list[int]", "def indices_of(xs, k):\n    return [i for i, x in enumerate(xs) if x == k]\n",
     [([1, 2, 1, 3], 1), ([5, 4, 5, 5], 5), ([7, 8, 9], 9), ([], 1), ([1, 2, 3], 4), ([-1, -1], -1), ([0], 0)]
     + [(xs, rng.randint(-2, 2)) for xs in lists(5, -2, 2)])
task("sorted-squares", 2, ["lists", "map", "sort", "square"], "Return the squares of the numbers of the list `xs`, sorted from smallest to largest.",
     "def sorted_squares(xs: list[int]) -> list[int]", "def sorted_squares(xs):\n    return sorted([x * x for x in xs])\n",
     [[3, 1, 2], [5, 4], [2, 3, 1], [], [-3, 1, 2], [-4, -1, 0], [2, -2], [7]] + lists(4))
task("without-ends", 1, ["lists", "slice"], "Return the list `xs` without its first and its last number (empty if it holds fewer than three).",
     "def without_ends(xs: list[int]) -> list[int]", "def without_ends(xs):\n    return xs[1:-1]\n",
     [[1, 2, 3, 4], [5, 6, 7], [9, 8, 7, 6, 5], [], [1], [1, 2], [0, 0, 0]] + lists(5))
task("sign-each", 2, ["lists", "map", "conditional"], "Return a list with 1 for each positive number of the list `xs`, -1 for each negative one and 0 for each zero.",
     "def sign_each(xs: list[int]) -> list[int]", "def sign_each(xs):\n    return [(x > 0) - (x < 0) for x in xs]\n",
     [[3, -2, 0], [5, -7], [-1, 4, 0, 9], [], [0, 0], [-9], [100, -100]] + lists(5))
task("has-duplicates", 2, ["lists", "bool", "distinct"], "Return whether some number appears more than once in the list `xs`.",
     "def has_duplicates(xs: list[int]) -> bool", "def has_duplicates(xs):\n    return len(set(xs)) < len(xs)\n",
     [[1, 2, 1], [3, 4, 5], [7, 7], [], [5], [-1, 1], [0, 0, 0], [2, 3, 4, 2]] + lists(4, -3, 3))
task("is-strictly-increasing", 2, ["lists", "bool", "sort", "pairs"], "Return whether each number of the list `xs` is greater than the one before it.",
     "def is_strictly_increasing(xs: list[int]) -> bool",
     "def is_strictly_increasing(xs):\n    return all([b > a for a, b in zip(xs, xs[1:])])\n",
     [[1, 2, 3], [3, 1, 2], [2, 5, 9], [], [4], [1, 1, 2], [-5, -3, 0], [2, 2], [5, 4]] + lists(4, 0, 5))
task("has-zero-sum-pair", 3, ["lists", "bool", "pairs", "loop"], "Return whether two numbers at different positions of the list `xs` add up to zero.",
     "def has_zero_sum_pair(xs: list[int]) -> bool",
     "def has_zero_sum_pair(xs):\n    for i in range(len(xs)):\n        for j in range(i + 1, len(xs)):\n            if xs[i] + xs[j] == 0:\n                return True\n    return False\n",
     [[1, -1, 3], [2, 3, 4], [5, 7, -5], [], [0], [0, 0], [3], [-2, 1, 1], [4, -4, 4]] + lists(4, -9, 9, max_len=5))
task("all-same", 2, ["lists", "bool", "all"], "Return whether all the numbers of the list `xs` are equal (true for an empty list).",
     "def all_same(xs: list[int]) -> bool", "def all_same(xs):\n    return len(set(xs)) <= 1\n",
     [[3, 3, 3], [1, 2, 1], [7, 7], [], [5], [-1, -1, 1], [0, 0, 0, 0], [2, 2, 3], [4, 2, 1], [1, 2, 3]] + lists(4, 0, 1))
task("append-value", 1, ["lists", "last", "concatenate"], "Return the list `xs` with the number `k` added at its end.",
     "def append_value(xs: list[int], k: int) -> list[int]", "def append_value(xs, k):\n    return xs + [k]\n",
     [([1, 2], 3), ([5], 5), ([4, 6, 8], 0), ([], 1), ([], 0), ([-1, -2], -3), ([7, 7], 7)] + [(xs, rng.randint(-5, 5)) for xs in lists(4)])
task("position-of", 1, ["lists", "index", "first"], "Return the position of the first occurrence of the number `k` in the list `xs`, which contains it.",
     "def position_of(xs: list[int], k: int) -> int", "def position_of(xs, k):\n    return xs.index(k)\n",
     [([4, 5, 6], 5), ([7, 8, 9], 9), ([1, 2, 3], 1), ([3, 1, 3], 3), ([2, 2, 2], 2), ([-1], -1), ([0, 5, 0, 5], 5), ([9, 8, 7, 8], 8)]
     + [(xs, rng.choice(xs)) for xs in lists(4, -3, 3, min_len=1)])

# ---- numbers -----------------------------------------------------------------------

SECTION = "int"

task("sum-odds-to-n", 2, ["numbers", "sum", "odd", "range"], "Return the sum of the odd whole numbers from 1 to `n` (0 when n is less than 1).",
     "def sum_odds_to_n(n: int) -> int", "def sum_odds_to_n(n):\n    return sum(range(1, n + 1, 2))\n",
     [5, 7, 4, 0, 1, 2, -3, 10, 99])
task("count-divisors", 3, ["numbers", "divisible", "count", "loop"], "Return how many positive whole numbers divide the positive number `n` exactly.",
     "def count_divisors(n: int) -> int", "def count_divisors(n):\n    return len([d for d in range(1, n + 1) if n % d == 0])\n",
     [6, 10, 9, 1, 2, 7, 16, 36, 97, 100])
task("is-prime", 3, ["numbers", "bool", "divisible", "loop"], "Return whether the whole number `n` is prime: greater than 1 and divisible only by 1 and itself.",
     "def is_prime(n: int) -> bool",
     "def is_prime(n):\n    if n < 2:\n        return False\n    d = 2\n    while d * d <= n:\n        if n % d == 0:\n            return False\n        d += 1\n    return True\n",
     [7, 9, 13, 0, 1, 2, -7, 4, 97, 91, 25])
task("reverse-digits", 2, ["numbers", "digits", "reverse"], "Return the number whose decimal digits are those of the non-negative number `n` in reverse order (120 gives 21).",
     "def reverse_digits(n: int) -> int", "def reverse_digits(n):\n    return int(str(n)[::-1])\n",
     [123, 45, 9071, 0, 7, 100, 1200, 11, 9070])
task("power", 1, ["numbers", "multiply", "power"], "Return `a` raised to the power `b` (b is not negative).",
     "def power(a: int, b: int) -> int", "def power(a, b):\n    return a ** b\n",
     [(2, 3), (3, 2), (5, 1), (7, 0), (0, 0), (0, 5), (-2, 3), (-3, 2), (10, 4), (1, 100)])
task("middle-of-three", 2, ["numbers", "sort", "median"], "Return the middle one of `a`, `b` and `c` in order of size (their median).",
     "def middle_of_three(a: int, b: int, c: int) -> int", "def middle_of_three(a, b, c):\n    return sorted([a, b, c])[1]\n",
     [(1, 2, 3), (9, 4, 6), (5, 8, 7), (2, 2, 5), (4, 4, 4), (-1, -5, -3), (0, 10, -10), (7, 3, 7), (3, 9, 1)])
task("round-down-to", 2, ["numbers", "divide", "multiply"], "Return the largest multiple of the positive number `k` that is not greater than `n`.",
     "def round_down_to(n: int, k: int) -> int", "def round_down_to(n, k):\n    return n // k * k\n",
     [(17, 5), (23, 10), (9, 4), (20, 5), (0, 3), (-7, 5), (4, 7), (-10, 5), (11, 1)])
task("collatz-steps", 3, ["numbers", "loop", "even"], "Starting from the positive number `n`, repeatedly halve it when it is even and replace it by 3n + 1 when it is odd; return how many steps it takes to reach 1 (0 when n is 1).",
     "def collatz_steps(n: int) -> int",
     "def collatz_steps(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n",
     [6, 3, 4, 1, 2, 7, 27, 16, 5])
task("halve", 1, ["numbers", "divide"], "Return `n` divided by two, rounded down (so -3 gives -2).",
     "def halve(n: int) -> int", "def halve(n):\n    return n // 2\n",
     [10, 7, 100, 0, 1, -4, -3, -1, 9])
task("remainder", 1, ["numbers", "divide", "divisible"], "Return the remainder of `a` divided by the positive number `b`: the number r from 0 to b - 1 such that a - r is a multiple of b.",
     "def remainder(a: int, b: int) -> int", "def remainder(a, b):\n    return a % b\n",
     [(17, 5), (9, 3), (8, 10), (0, 7), (-7, 3), (-6, 3), (5, 1), (-1, 10), (100, 7)])

# ---- strings and words ---------------------------------------------------------------

SECTION = "string"

task("count-uppercase", 2, ["strings", "count", "case"], "Return how many upper-case letters the string `s` holds.",
     "def count_uppercase(s: str) -> int", "def count_uppercase(s):\n    return len([c for c in s if c.isupper()])\n",
     ["Hello World", "ABc", "NASA rocks", "", "lower", "A1 B2!", "MiXeD CaSe"] + [capitalized() for _ in range(4)])
task("is-anagram", 2, ["strings", "bool", "sort"], "Return whether the strings `a` and `b` hold the same characters, each the same number of times, in any order.",
     "def is_anagram(a: str, b: str) -> bool", "def is_anagram(a, b):\n    return sorted(a) == sorted(b)\n",
     [("listen", "silent"), ("river", "liver"), ("stone", "notes"), ("", ""), ("a", ""), ("aab", "abb"), ("abc", "abcc"),
      ("Cat", "act"), ("noon", "onon")] + [(w, "".join(rng.sample(w, len(w)))) for w in rng.sample(WORDS, 3)])
task("same-first-last", 2, ["strings", "bool", "first", "last"], "Return whether the string `s` starts and ends with the same character (false for the empty string).",
     "def same_first_last(s: str) -> bool", "def same_first_last(s):\n    return len(s) > 0 and s[0] == s[-1]\n",
     ["level", "apple", "noon", "", "x", "ab", "abca", "a b a", "sky"] + [rng.choice(WORDS) for _ in range(3)])
task("longest-word-length", 2, ["strings", "words", "max", "length"], "Return the length of the longest word of the string `s` (0 when it has no words); words are separated by spaces.",
     "def longest_word_length(s: str) -> int", "def longest_word_length(s):\n    return max([len(w) for w in s.split()], default=0)\n",
     ["the quick brown fox", "a bb ccc", "hello world", "", "   ", "x", "  sky  is   blue "] + sentences(4))
task("shortest-word", 3, ["strings", "words", "min", "length"], "Return the shortest word of the string `s` (the first one if several are equally short); `s` holds at least one word, and words are separated by spaces.",
     "def shortest_word(s: str) -> str", "def shortest_word(s):\n    return min(s.split(), key=len)\n",
     ["hello big world", "apple pie", "ocean to river", "one", "cat dog", "  a  bb ", "bb a c", "stone sky sun"] + sentences(4))
task("words-starting-with", 2, ["strings", "words", "filter", "first"], "Return the words of the string `s` that start with the character `c`, in their order; words are separated by spaces.",
     "def words_starting_with(s: str, c: str) -> list[str]", "def words_starting_with(s, c):\n    return [w for w in s.split() if w[0] == c]\n",
     [("sun sky moon", "s"), ("apple banana avocado", "a"), ("red rock river", "r"), ("", "a"), ("cat dog", "x"),
      ("Sun sky", "s"), ("a aa b", "a"), ("  go  go ", "g")] + [(sentence(2, 8), rng.choice("sarbmcotw")) for _ in range(4)])
task("squeeze-spaces", 2, ["strings", "spaces", "words", "join"], "Return the string `s` without the spaces at its start and end, and with every run of spaces inside it replaced by a single space.",
     "def squeeze_spaces(s: str) -> str", "def squeeze_spaces(s):\n    return ' '.join(s.split())\n",
     ["a  b", "hello   world", "one  two  three", "", "   ", " x ", "no", "  a   b  c  "] + [spaced() for _ in range(4)])
task("truncate", 1, ["strings", "slice", "first"], "Return the first `n` characters of the string `s` (all of it if it is shorter).",
     "def truncate(s: str, n: int) -> str", "def truncate(s, n):\n    return s[:n]\n",
     [("hello", 3), ("banana", 4), ("stone", 2), ("", 3), ("abc", 0), ("hi", 5), ("x", 1), ("a b c", 3)]
     + [(x, rng.randint(0, 6)) for x in sentences(3)])
task("snake-case", 3, ["strings", "words", "case", "join"], "Return the words of the string `s` in lower case, joined by underscores; words are separated by spaces.",
     "def snake_case(s: str) -> str", "def snake_case(s):\n    return '_'.join([w.lower() for w in s.split()])\n",
     ["Hello World", "make it so", "Big Red Dog", "", "One", "  a   b ", "ALL CAPS"] + [capitalized() for _ in range(4)])
task("find-char", 1, ["strings", "index", "first"], "Return the position of the first occurrence of the character `c` in the string `s`, or -1 if it does not occur.",
     "def find_char(s: str, c: str) -> int", "def find_char(s, c):\n    return s.find(c)\n",
     [("hello", "o"), ("banana", "n"), ("stone", "t"), ("", "a"), ("sky", "z"), ("aaa", "a"), ("x", "x"), ("a b", "b"), ("river", "r")]
     + [(sentence(), rng.choice("aeiost ")) for _ in range(3)])
task("common-prefix", 3, ["strings", "prefix", "loop"], "Return the longest string that both `a` and `b` start with.",
     "def common_prefix(a: str, b: str) -> str",
     "def common_prefix(a, b):\n    i = 0\n    while i < len(a) and i < len(b) and a[i] == b[i]:\n        i += 1\n    return a[:i]\n",
     [("flower", "flow"), ("interview", "internet"), ("stone", "stop"), ("", "abc"), ("abc", ""), ("same", "same"), ("dog", "cat"),
      ("ab", "abc"), ("Apple", "apple")] + [(w, w[:rng.randint(0, len(w))] + rng.choice(WORDS)) for w in rng.sample(WORDS, 3)])
task("distinct-words", 3, ["strings", "words", "distinct", "loop"], "Return the words of the string `s` without repeats, each where it first appears; words are separated by spaces.",
     "def distinct_words(s: str) -> list[str]",
     "def distinct_words(s):\n    out = []\n    for w in s.split():\n        if w not in out:\n            out.append(w)\n    return out\n",
     ["a b a c", "go go go", "sun moon sun sky", "", "one", "x y z", "Go go", "  a  a "] + sentences(4, 3, 9))
task("total-length", 2, ["strings", "list", "length", "sum"], "Return the total number of characters in the strings of the list `words`.",
     "def total_length(words: list[str]) -> int", "def total_length(words):\n    return sum([len(w) for w in words])\n",
     [["ab", "cde"], ["hello"], ["a", "b", "c"], [], [""], ["", "x", ""], ["a b"]] + [s.split() for s in sentences(4)])
task("join-with", 1, ["strings", "join"], "Return the strings of the list `words` joined with the string `sep` between each two.",
     "def join_with(words: list[str], sep: str) -> str", "def join_with(words, sep):\n    return sep.join(words)\n",
     [(["a", "b"], "-"), (["x", "y", "z"], ", "), (["sun", "sky"], "+"), ([], "-"), (["one"], "-"), (["a", "b"], ""), (["", ""], "x"),
      (["p", "q"], "--")] + [(s.split(), rng.choice(["/", " ", "::"])) for s in sentences(3)])
task("is-longer", 1, ["strings", "bool", "length"], "Return whether the string `a` has more characters than the string `b`.",
     "def is_longer(a: str, b: str) -> bool", "def is_longer(a, b):\n    return len(a) > len(b)\n",
     [("hello", "hi"), ("a", "abc"), ("stone", "sky"), ("", ""), ("ab", "cd"), ("x", ""), ("", "x"), ("a b", "abc")]
     + [(rng.choice(WORDS), rng.choice(WORDS)) for _ in range(3)])
task("is-lowercase", 1, ["strings", "bool", "case"], "Return whether the string `s` holds no upper-case letter.",
     "def is_lowercase(s: str) -> bool", "def is_lowercase(s):\n    return not any([c.isupper() for c in s])\n",
     ["hello", "Hello", "abc def", "", "123", "ABC", "a B", "x!"] + [capitalized() for _ in range(3)])

# ---- nested lists ---------------------------------------------------------------------

SECTION = "nested list"

task("row-products", 2, ["nested", "product", "map"], "Return the list of the products of the rows of the list of lists `m` (1 for an empty row).",
     "def row_products(m: list[list[int]]) -> list[int]",
     "def row_products(m):\n    out = []\n    for row in m:\n        product = 1\n        for x in row:\n            product *= x\n        out.append(product)\n    return out\n",
     [[[1, 2], [3, 4]], [[2, 5], [1, 1]], [[3], [2, 2, 2]], [], [[]], [[0, 5]], [[-1, 2], [-3, -3]]] + matrices(4, lo=-3, hi=4))
task("trace", 3, ["nested", "sum", "index"], "Return the sum of the numbers on the main diagonal of the square list of lists `m`: m[0][0] + m[1][1] + ... (0 for an empty list).",
     "def trace(m: list[list[int]]) -> int", "def trace(m):\n    return sum([m[i][i] for i in range(len(m))])\n",
     [[[1, 2], [3, 4]], [[5, 0, 0], [0, 5, 0], [0, 0, 5]], [[2, 9], [9, 3]], [], [[7]], [[-1, 2], [3, -4]]] + matrices(5, square=True))
task("count-in-matrix", 2, ["nested", "count"], "Return how many times the number `k` appears in the list of lists `m`.",
     "def count_in_matrix(m: list[list[int]], k: int) -> int", "def count_in_matrix(m, k):\n    return sum([row.count(k) for row in m])\n",
     [([[1, 2], [2, 3]], 2), ([[5, 5], [5]], 5), ([[1], [4, 1]], 1), ([], 1), ([[]], 0), ([[1, 2]], 9), ([[-1], [-1, -1]], -1)]
     + [(m, rng.randint(-1, 2)) for m in matrices(4, lo=-1, hi=2)])
task("column-at", 2, ["nested", "index", "map"], "Return the list of the numbers at position `j` of each row of the list of lists `m`, whose rows are all longer than `j`.",
     "def column_at(m: list[list[int]], j: int) -> list[int]", "def column_at(m, j):\n    return [row[j] for row in m]\n",
     [([[1, 2], [3, 4]], 1), ([[5, 6, 7], [8, 9, 0]], 0), ([[1, 2, 3], [4, 5, 6]], 2), ([], 0), ([[7]], 0), ([[1, 2], [3, 4, 5]], 1),
      ([[-1, -2, -3]], 2)] + [(m, rng.randint(0, len(m[0]) - 1)) for m in matrices(4)])
task("nonempty-rows", 2, ["nested", "filter", "length"], "Return the rows of the list of lists `m` that are not empty, in their order.",
     "def nonempty_rows(m: list[list[int]]) -> list[list[int]]", "def nonempty_rows(m):\n    return [row for row in m if len(row) > 0]\n",
     [[[1], [], [2, 3]], [[], [4]], [[5, 6], [], []], [], [[]], [[0]], [[1], [2]]] + ragged(4))
task("is-square-matrix", 2, ["nested", "bool", "length"], "Return whether the list of lists `m` is square: every row holds as many numbers as `m` has rows (true for an empty list).",
     "def is_square_matrix(m: list[list[int]]) -> bool", "def is_square_matrix(m):\n    return all([len(row) == len(m) for row in m])\n",
     [[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]], [[5]], [], [[]], [[1], [2]], [[1, 2], [3]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]]
     + matrices(2, square=True) + matrices(2))
task("add-matrices", 3, ["nested", "pairs", "add"], "Return the sum of the lists of lists `a` and `b`, which have the same shape: each number is the sum of the numbers at the same place.",
     "def add_matrices(a: list[list[int]], b: list[list[int]]) -> list[list[int]]",
     "def add_matrices(a, b):\n    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]\n",
     [([[1, 2], [3, 4]], [[5, 6], [7, 8]]), ([[1, 1, 1]], [[2, 3, 4]]), ([[0], [9]], [[1], [1]]), ([], []), ([[]], [[]]),
      ([[1]], [[-1]]), ([[1, 2], [3]], [[4, 5], [6]])] + [(m, matrix(len(m), len(m[0]))) for m in matrices(4)])
task("sorted-numbers", 2, ["nested", "sort", "concatenate"], "Return all the numbers of the list of lists `m` in one list, sorted from smallest to largest.",
     "def sorted_numbers(m: list[list[int]]) -> list[int]", "def sorted_numbers(m):\n    return sorted([x for row in m for x in row])\n",
     [[[3, 1], [2]], [[9], [8, 7]], [[5, 4, 6]], [], [[], []], [[2, 2], [2]], [[-1], [3, -5]]] + matrices(4))
task("identity-matrix", 3, ["nested", "range", "index", "loop"], "Return the `n` by `n` identity matrix: a list of n rows of n numbers, 1 where the row and column positions are equal and 0 elsewhere.",
     "def identity_matrix(n: int) -> list[list[int]]",
     "def identity_matrix(n):\n    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]\n",
     [2, 3, 1, 0, 4, 5, 6, 7])
task("get-cell", 1, ["nested", "index"], "Return the number in row `i` and column `j` (both counted from 0) of the list of lists `m`.",
     "def get_cell(m: list[list[int]], i: int, j: int) -> int", "def get_cell(m, i, j):\n    return m[i][j]\n",
     [([[1, 2], [3, 4]], 1, 0), ([[5, 6, 7]], 0, 2), ([[1], [2], [3]], 2, 0), ([[9]], 0, 0), ([[1, 2], [3, 4]], 0, 1),
      ([[1, 2, 3], [4, 5, 6]], 1, 2), ([[-1, -2], [-3, -4]], 1, 1), ([[1], [2, 3, 4]], 1, 2)]
     + [(m, rng.randint(0, len(m) - 1), rng.randint(0, len(m[0]) - 1)) for m in matrices(3)])

# ---- others: between kinds ----------------------------------------------------------------

SECTION = "other"

task("digits-of", 2, ["numbers", "digits", "list"], "Return the list of the decimal digits of the non-negative number `n`, from the first to the last.",
     "def digits_of(n: int) -> list[int]", "def digits_of(n):\n    return [int(c) for c in str(n)]\n",
     [123, 4096, 58, 0, 7, 100, 1000000, 90, 7070])
task("char-codes", 1, ["strings", "convert", "map"], "Return the list of the character codes (what Python's ord gives) of the characters of the string `s`.",
     "def char_codes(s: str) -> list[int]", "def char_codes(s):\n    return [ord(c) for c in s]\n",
     ["abc", "Hi", "z", "", " ", "A1", "a a"] + [rng.choice(WORDS) for _ in range(3)])
task("chunk", 3, ["lists", "nested", "slice", "loop"], "Return the list `xs` cut into consecutive pieces of `n` numbers (n is positive); the last piece may be shorter.",
     "def chunk(xs: list[int], n: int) -> list[list[int]]", "def chunk(xs, n):\n    return [xs[i:i + n] for i in range(0, len(xs), n)]\n",
     [([1, 2, 3, 4], 2), ([1, 2, 3, 4, 5, 6], 3), ([5, 6, 7, 8], 1), ([], 2), ([1, 2, 3], 2), ([1], 5), ([1, 2], 2), ([0, 0, 0], 4)]
     + [(xs, rng.randint(1, 4)) for xs in lists(4)])


# ---- checks -------------------------------------------------------------------------------


def types_of(signature):
    """The parameter types and the return type of a signature."""
    inside = signature[signature.index("(") + 1:signature.rindex(")")]
    params = tuple(p.split(":", 1)[1].strip() for p in inside.split(",") if p.strip())
    return params, signature.rsplit("->", 1)[1].strip()


def conforms(value, kind):
    if kind == "int":
        return type(value) is int
    if kind == "bool":
        return type(value) is bool
    if kind == "str":
        return type(value) is str
    if kind.startswith("list[") and kind.endswith("]"):
        return type(value) is list and all(conforms(v, kind[5:-1]) for v in value)
    return False


def same(a, b):
    """Type-strict equality, as the judge compares: an int is never a bool."""
    if type(a) is not type(b):
        return False
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def reference(t):
    namespace = {}
    exec(t["solution"], namespace)
    return namespace[t["entry_point"]]


def agrees_everywhere(function, tests):
    """Whether `function` returns the expected value on every test."""
    for test in tests:
        copies = json.loads(json.dumps(test["args"]))
        signal.alarm(5)
        try:
            got = function(*copies)
        except Exception:
            return False
        finally:
            signal.alarm(0)
        if not same(got, test["expected"]):
            return False
    return True


def load(split):
    with open(os.path.join(ROOT, split, "tasks.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def check(holdout):
    """The problems of the holdout suite, as messages naming the task."""
    signal.signal(signal.SIGALRM, on_alarm)
    problems = []
    others = load("train") + load("eval")
    other_ids = {t["task_id"] for t in others}
    other_entries = {t["entry_point"] for t in others}
    ids = Counter(t["task_id"] for t in holdout)
    entries = Counter(t["entry_point"] for t in holdout)
    candidates = [(t, types_of(t["signature"]), reference(t)) for t in others + holdout]
    for t in holdout:
        name = t["task_id"]
        if name in other_ids:
            problems.append("%s: task_id is also a train or eval task's" % name)
        if t["entry_point"] in other_entries:
            problems.append("%s: entry point %s is also a train or eval task's" % (name, t["entry_point"]))
        if ids[name] > 1 or entries[t["entry_point"]] > 1:
            problems.append("%s: task_id or entry point repeated in the holdout suite" % name)
        if t["public"] != 3:
            problems.append("%s: %d public tests, not 3" % (name, t["public"]))
        hidden = len(t["tests"]) - t["public"]
        if hidden < 5:
            problems.append("%s: only %d hidden tests (at least 5)" % (name, hidden))
        params, returns = types_of(t["signature"])
        for kind in params + (returns,):
            if kind not in TYPES:
                problems.append("%s: type %s is not one the other suites use" % (name, kind))
        for i, test in enumerate(t["tests"]):
            if len(test["args"]) != len(params) or not all(conforms(a, k) for a, k in zip(test["args"], params)):
                problems.append("%s: test %d: arguments are not of types %s" % (name, i + 1, ", ".join(params)))
            if not conforms(test["expected"], returns):
                problems.append("%s: test %d: expected value is not a %s" % (name, i + 1, returns))
        for other, other_types, function in candidates:
            if other is t or other_types != (params, returns):
                continue
            if agrees_everywhere(function, t["tests"]):
                problems.append("%s: behaves like %s (its reference passes every one of this task's tests)"
                                % (name, other["task_id"]))
    return problems


def write(holdout):
    directory = os.path.join(ROOT, "holdout")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "tasks.jsonl"), "w") as out:
        for t in holdout:
            out.write(json.dumps(t) + "\n")


if __name__ == "__main__":
    problems = check(TASKS)
    if problems:
        for p in problems:
            print("refused: " + p, file=sys.stderr)
        sys.exit(1)
    write(TASKS)
    kinds = Counter(KIND[t["task_id"]] for t in TASKS)
    levels = Counter(t["level"] for t in TASKS)
    hidden = [len(t["tests"]) - t["public"] for t in TASKS]
    print("holdout: %d tasks (%s); levels %s; hidden tests %d to %d per task"
          % (len(TASKS), ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
             ", ".join("%d: %d" % kv for kv in sorted(levels.items())), min(hidden), max(hidden)))
    print("checked: no task_id or entry point shared with train or eval, 3 public and >= 5 hidden tests each, "
          "types as signed, no task that a train, eval or other holdout reference passes entirely")
