#!/usr/bin/env python3
"""Writes Crucible's bundled task suites: tasks/train and tasks/eval.

Every task here was written for Crucible: a prompt in words, a typed
signature, a reference solution, and inputs (hand-picked ones first, then a
few from a seeded generator). Expected values are what the reference
returns; `crucible check tasks/` then runs every reference against every
test in the sandbox. The first three tests of a task are public, the rest
(at least five) hidden.

Levels: 1 one operation; 2 two composed; 3 loops, recursion or several
steps. Train and eval hold different tasks built from the same concepts
(sums, filters, string and word operations, nested lists, digits...), so
that what a policy learns on train can carry over to eval.

Run: python3 scripts/make_tasks.py   (rewrites the two suites)
"""

import json
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tasks")
rng = random.Random(20261127)


def ints(n, lo=-9, hi=9):
    return [rng.randint(lo, hi) for _ in range(n)]


def lists(count, lo=-9, hi=9, min_len=0, max_len=7):
    return [ints(rng.randint(min_len, max_len), lo, hi) for _ in range(count)]


WORDS = ["apple", "sky", "river", "stone", "bright", "a", "moon", "cat", "level", "noon", "tree", "go",
         "banana", "red", "ocean", "sun", "wind", "rock", "idea", "blue", "kayak", "x", "wave", "path"]


def sentence(lo=1, hi=6):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def sentences(count, lo=1, hi=6):
    return [sentence(lo, hi) for _ in range(count)]


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


TASKS = {"train": [], "eval": []}


def tests_of(signature, solution, inputs):
    """The entry point, and one test per distinct input (argument tuples or
    single values) with what the reference returns for it."""
    namespace = {}
    exec(solution, namespace)
    entry = signature.split("(")[0].split()[-1]
    function = namespace[entry]
    tests = []
    seen = set()
    for args in inputs:
        if not isinstance(args, tuple):
            args = (args,)
        key = json.dumps(args, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        copies = json.loads(json.dumps(list(args)))
        expected = function(*copies)
        tests.append({"args": list(args), "expected": expected})
    return entry, tests


def task(split, task_id, level, tags, prompt, signature, solution, inputs, public=3):
    """Adds a task; `inputs` is a list of argument tuples (or single values)."""
    entry, tests = tests_of(signature, solution, inputs)
    if len(tests) < public + 5:
        sys.exit("task %s has only %d distinct tests" % (task_id, len(tests)))
    TASKS[split].append({
        "task_id": task_id, "prompt": prompt, "entry_point": entry, "signature": signature,
        "solution": solution, "tests": tests, "public": public, "tags": tags, "level": level,
    })


def both(task_id, *rest, split):
    task(split, task_id, *rest)


T, E = "train", "eval"

# ---- lists of ints to an int --------------------------------------------

task(T, "sum-list", 1, ["lists", "sum"], "Return the sum of the numbers in the list `xs`.",
     "def sum_list(xs: list[int]) -> int", "def sum_list(xs):\n    return sum(xs)\n",
     [[1, 2, 3], [5], [-2, 7, 0], []] + lists(8))
task(T, "max-list", 1, ["lists", "max"], "Return the largest number in the non-empty list `xs`.",
     "def max_list(xs: list[int]) -> int", "def max_list(xs):\n    return max(xs)\n",
     [[3, 9, 2], [7], [-4, -1, -8]] + lists(8, min_len=1))
task(T, "min-list", 1, ["lists", "min"], "Return the smallest number in the non-empty list `xs`.",
     "def min_list(xs: list[int]) -> int", "def min_list(xs):\n    return min(xs)\n",
     [[3, 9, 2], [7], [-4, -1, -8]] + lists(8, min_len=1))
task(T, "list-length", 1, ["lists", "length"], "Return how many numbers the list `xs` holds.",
     "def list_length(xs: list[int]) -> int", "def list_length(xs):\n    return len(xs)\n",
     [[1, 2, 3], [], [4]] + lists(8))
task(T, "product-list", 2, ["lists", "product"], "Return the product of the numbers in the list `xs` (1 for an empty list).",
     "def product_list(xs: list[int]) -> int",
     "def product_list(xs):\n    result = 1\n    for x in xs:\n        result *= x\n    return result\n",
     [[2, 3, 4], [5], [], [-2, 3]] + lists(7, -5, 5))
task(T, "count-evens", 2, ["lists", "count", "even"], "Return how many even numbers the list `xs` holds.",
     "def count_evens(xs: list[int]) -> int", "def count_evens(xs):\n    return len([x for x in xs if x % 2 == 0])\n",
     [[1, 2, 3, 4], [], [7, 9], [0, -2, 5]] + lists(7))
task(T, "count-positives", 2, ["lists", "count", "positive"], "Return how many numbers in the list `xs` are greater than zero.",
     "def count_positives(xs: list[int]) -> int", "def count_positives(xs):\n    return len([x for x in xs if x > 0])\n",
     [[1, -2, 3], [0, 0], [], [-5, 4, 4]] + lists(7))
task(T, "count-zeros", 2, ["lists", "count", "zero"], "Return how many zeros the list `xs` holds.",
     "def count_zeros(xs: list[int]) -> int", "def count_zeros(xs):\n    return len([x for x in xs if x == 0])\n",
     [[0, 1, 0], [], [3, 4], [0]] + lists(7, -2, 2))
task(T, "sum-evens", 2, ["lists", "sum", "even"], "Return the sum of the even numbers in the list `xs`.",
     "def sum_evens(xs: list[int]) -> int", "def sum_evens(xs):\n    return sum([x for x in xs if x % 2 == 0])\n",
     [[1, 2, 3, 4], [], [7, 9], [-4, 6, 1]] + lists(7))
task(T, "sum-squares", 2, ["lists", "sum", "square"], "Return the sum of the squares of the numbers in the list `xs`.",
     "def sum_squares(xs: list[int]) -> int", "def sum_squares(xs):\n    return sum([x * x for x in xs])\n",
     [[1, 2, 3], [], [-2], [4, -1]] + lists(7))
task(T, "sum-absolute", 2, ["lists", "sum", "absolute"], "Return the sum of the absolute values of the numbers in the list `xs`.",
     "def sum_absolute(xs: list[int]) -> int", "def sum_absolute(xs):\n    return sum([abs(x) for x in xs])\n",
     [[1, -2, 3], [], [-7], [0, -1]] + lists(7))
task(T, "spread", 2, ["lists", "max", "min"], "Return the difference between the largest and the smallest number in the non-empty list `xs`.",
     "def spread(xs: list[int]) -> int", "def spread(xs):\n    return max(xs) - min(xs)\n",
     [[3, 9, 2], [5], [-4, 4]] + lists(8, min_len=1))
task(T, "first-item", 1, ["lists", "first"], "Return the first number of the non-empty list `xs`.",
     "def first_item(xs: list[int]) -> int", "def first_item(xs):\n    return xs[0]\n",
     [[4, 5, 6], [9], [-1, 2]] + lists(8, min_len=1))
task(T, "last-item", 1, ["lists", "last"], "Return the last number of the non-empty list `xs`.",
     "def last_item(xs: list[int]) -> int", "def last_item(xs):\n    return xs[-1]\n",
     [[4, 5, 6], [9], [-1, 2]] + lists(8, min_len=1))
task(T, "count-above", 2, ["lists", "count", "greater"], "Return how many numbers in the list `xs` are greater than `k`.",
     "def count_above(xs: list[int], k: int) -> int", "def count_above(xs, k):\n    return len([x for x in xs if x > k])\n",
     [([1, 5, 3], 2), ([], 0), ([4, 4], 4), ([-3, 0, 3], -1)] + [(xs, rng.randint(-3, 3)) for xs in lists(7)])
task(T, "sum-first-k", 2, ["lists", "sum", "first"], "Return the sum of the first `k` numbers of the list `xs` (all of them if it is shorter).",
     "def sum_first_k(xs: list[int], k: int) -> int", "def sum_first_k(xs, k):\n    return sum(xs[:k])\n",
     [([1, 2, 3, 4], 2), ([5], 3), ([], 1), ([4, -1, 2], 0)] + [(xs, rng.randint(0, 4)) for xs in lists(7)])
task(T, "count-distinct", 2, ["lists", "count", "distinct"], "Return how many different numbers the list `xs` holds.",
     "def count_distinct(xs: list[int]) -> int", "def count_distinct(xs):\n    return len(set(xs))\n",
     [[1, 2, 2, 3], [], [5, 5, 5], [0, -1, 1]] + lists(7, -3, 3))
task(T, "dot-product", 2, ["lists", "sum", "pairs"], "Return the sum of the products of the pairs of numbers at the same positions in the lists `xs` and `ys`, which have the same length.",
     "def dot_product(xs: list[int], ys: list[int]) -> int", "def dot_product(xs, ys):\n    return sum([x * y for x, y in zip(xs, ys)])\n",
     [([1, 2, 3], [4, 5, 6]), ([], []), ([2], [-3]), ([1, -1], [1, 1])] + [(a, ints(len(a))) for a in lists(7)])
task(T, "count-equal", 1, ["lists", "count"], "Return how many times `k` appears in the list `xs`.",
     "def count_equal(xs: list[int], k: int) -> int", "def count_equal(xs, k):\n    return xs.count(k)\n",
     [([1, 2, 1], 1), ([], 5), ([3, 3, 3], 3), ([0, 1], 2)] + [(xs, rng.randint(-2, 2)) for xs in lists(7, -2, 2)])
task(T, "second-largest", 3, ["lists", "max", "sort", "distinct"], "Return the second largest distinct number of the list `xs`, which holds at least two different numbers.",
     "def second_largest(xs: list[int]) -> int", "def second_largest(xs):\n    return sorted(set(xs))[-2]\n",
     [[1, 5, 3], [4, 4, 2], [-1, -7], [9, 8, 9, 7]] + [xs + [10, 11] for xs in lists(7)])
task(T, "alternating-sum", 3, ["lists", "sum", "loop"], "Return xs[0] - xs[1] + xs[2] - xs[3] + ... for the list `xs` (0 for an empty list).",
     "def alternating_sum(xs: list[int]) -> int",
     "def alternating_sum(xs):\n    total = 0\n    for i, x in enumerate(xs):\n        total += x if i % 2 == 0 else -x\n    return total\n",
     [[1, 2, 3], [], [5], [4, 4, 4, 4]] + lists(7))
task(T, "max-absolute", 2, ["lists", "max", "absolute"], "Return the largest absolute value among the numbers of the non-empty list `xs`.",
     "def max_absolute(xs: list[int]) -> int", "def max_absolute(xs):\n    return max([abs(x) for x in xs])\n",
     [[1, -7, 3], [0], [-2, 2]] + lists(8, min_len=1))
task(T, "sum-positives", 2, ["lists", "sum", "positive"], "Return the sum of the numbers in the list `xs` that are greater than zero.",
     "def sum_positives(xs: list[int]) -> int", "def sum_positives(xs):\n    return sum([x for x in xs if x > 0])\n",
     [[1, -2, 3], [], [-5], [0, 4]] + lists(7))
task(T, "mean-floor", 2, ["lists", "sum", "length", "divide"], "Return the average of the numbers in the non-empty list `xs`, rounded down to an integer.",
     "def mean_floor(xs: list[int]) -> int", "def mean_floor(xs):\n    return sum(xs) // len(xs)\n",
     [[1, 2, 3, 4], [5], [-3, 0]] + lists(8, min_len=1))
task(T, "index-of-max", 3, ["lists", "max", "index"], "Return the position of the first largest number of the non-empty list `xs`.",
     "def index_of_max(xs: list[int]) -> int", "def index_of_max(xs):\n    return xs.index(max(xs))\n",
     [[1, 5, 3], [2], [4, 4, 1], [-3, -1, -2]] + lists(7, min_len=1))

task(E, "sum-odds", 2, ["lists", "sum", "odd"], "Return the sum of the odd numbers in the list `xs`.",
     "def sum_odds(xs: list[int]) -> int", "def sum_odds(xs):\n    return sum([x for x in xs if x % 2 == 1])\n",
     [[1, 2, 3, 4], [], [2, 8], [-3, 5, 6]] + lists(7))
task(E, "count-odds", 2, ["lists", "count", "odd"], "Return how many odd numbers the list `xs` holds.",
     "def count_odds(xs: list[int]) -> int", "def count_odds(xs):\n    return len([x for x in xs if x % 2 == 1])\n",
     [[1, 2, 3, 4], [], [2, 8], [-3, 5, 6]] + lists(7))
task(E, "count-negatives", 2, ["lists", "count", "negative"], "Return how many numbers in the list `xs` are less than zero.",
     "def count_negatives(xs: list[int]) -> int", "def count_negatives(xs):\n    return len([x for x in xs if x < 0])\n",
     [[1, -2, -3], [0], [], [4, 5]] + lists(7))
task(E, "sum-cubes", 2, ["lists", "sum", "cube"], "Return the sum of the cubes of the numbers in the list `xs`.",
     "def sum_cubes(xs: list[int]) -> int", "def sum_cubes(xs):\n    return sum([x * x * x for x in xs])\n",
     [[1, 2, 3], [], [-2], [4, -1]] + lists(7))
task(E, "sum-doubled", 2, ["lists", "sum", "double"], "Return the sum of twice each number in the list `xs`.",
     "def sum_doubled(xs: list[int]) -> int", "def sum_doubled(xs):\n    return sum([x * 2 for x in xs])\n",
     [[1, 2, 3], [], [-4], [5, 5]] + lists(7))
task(E, "sum-negatives", 2, ["lists", "sum", "negative"], "Return the sum of the numbers in the list `xs` that are less than zero.",
     "def sum_negatives(xs: list[int]) -> int", "def sum_negatives(xs):\n    return sum([x for x in xs if x < 0])\n",
     [[1, -2, -3], [], [5], [0, -4]] + lists(7))
task(E, "count-below", 2, ["lists", "count", "less"], "Return how many numbers in the list `xs` are less than `k`.",
     "def count_below(xs: list[int], k: int) -> int", "def count_below(xs, k):\n    return len([x for x in xs if x < k])\n",
     [([1, 5, 3], 4), ([], 0), ([2, 2], 2), ([-3, 0, 3], 1)] + [(xs, rng.randint(-3, 3)) for xs in lists(7)])
task(E, "max-square", 2, ["lists", "max", "square"], "Return the largest square of a number in the non-empty list `xs`.",
     "def max_square(xs: list[int]) -> int", "def max_square(xs):\n    return max([x * x for x in xs])\n",
     [[1, -7, 3], [0], [2, -2]] + lists(8, min_len=1))
task(E, "min-absolute", 2, ["lists", "min", "absolute"], "Return the smallest absolute value among the numbers of the non-empty list `xs`.",
     "def min_absolute(xs: list[int]) -> int", "def min_absolute(xs):\n    return min([abs(x) for x in xs])\n",
     [[4, -7, 3], [-5], [2, -2]] + lists(8, min_len=1))
task(E, "product-positives", 3, ["lists", "product", "positive"], "Return the product of the numbers greater than zero in the list `xs` (1 if there are none).",
     "def product_positives(xs: list[int]) -> int",
     "def product_positives(xs):\n    result = 1\n    for x in xs:\n        if x > 0:\n            result *= x\n    return result\n",
     [[2, -3, 4], [], [-1, 0], [5]] + lists(7, -5, 5))
task(E, "sum-last-k", 2, ["lists", "sum", "last"], "Return the sum of the last `k` numbers of the list `xs` (all of them if it is shorter; 0 when k is 0).",
     "def sum_last_k(xs: list[int], k: int) -> int", "def sum_last_k(xs, k):\n    return sum(xs[len(xs) - k:]) if k > 0 else 0\n",
     [([1, 2, 3, 4], 2), ([5], 3), ([], 1), ([4, -1, 2], 0)] + [(xs, rng.randint(0, 4)) for xs in lists(7)])
task(E, "smallest-distinct-second", 3, ["lists", "min", "sort", "distinct"], "Return the second smallest distinct number of the list `xs`, which holds at least two different numbers.",
     "def second_smallest(xs: list[int]) -> int", "def second_smallest(xs):\n    return sorted(set(xs))[1]\n",
     [[1, 5, 3], [4, 4, 2], [-1, -7], [9, 8, 9, 7]] + [xs + [-10, -11] for xs in lists(7)])
task(E, "count-multiples", 2, ["lists", "count", "divisible"], "Return how many numbers in the list `xs` are divisible by `k` (k is not zero).",
     "def count_multiples(xs: list[int], k: int) -> int", "def count_multiples(xs, k):\n    return len([x for x in xs if x % k == 0])\n",
     [([3, 6, 7], 3), ([], 2), ([5, 10], 5), ([1, 2, 4], 4)] + [(xs, rng.randint(1, 4)) for xs in lists(7)])
task(E, "last-minus-first", 1, ["lists", "first", "last"], "Return the last number of the non-empty list `xs` minus its first number.",
     "def last_minus_first(xs: list[int]) -> int", "def last_minus_first(xs):\n    return xs[-1] - xs[0]\n",
     [[4, 5, 6], [9], [-1, 2]] + lists(8, min_len=1))

# ---- numbers -----------------------------------------------------------------

task(T, "square", 1, ["numbers", "square"], "Return `n` multiplied by itself.",
     "def square(n: int) -> int", "def square(n):\n    return n * n\n", [3, 0, -4, 7, 12, -1, 5, 100])
task(T, "double", 1, ["numbers", "double"], "Return twice `n`.",
     "def double(n: int) -> int", "def double(n):\n    return n * 2\n", [3, 0, -4, 7, 12, -1, 5, 100])
task(T, "absolute", 1, ["numbers", "absolute"], "Return the absolute value of `n`.",
     "def absolute(n: int) -> int", "def absolute(n):\n    return abs(n)\n", [3, 0, -4, 7, -12, -1, 5, -100])
task(T, "is-even", 1, ["numbers", "even", "bool"], "Return whether `n` is even.",
     "def is_even(n: int) -> bool", "def is_even(n):\n    return n % 2 == 0\n", [4, 7, 0, -3, -8, 11, 100, 1])
task(T, "is-positive", 1, ["numbers", "positive", "bool"], "Return whether `n` is greater than zero.",
     "def is_positive(n: int) -> bool", "def is_positive(n):\n    return n > 0\n", [4, -7, 0, 3, -8, 11, -100, 1])
task(T, "larger-of-two", 1, ["numbers", "max"], "Return the larger of `a` and `b`.",
     "def larger(a: int, b: int) -> int", "def larger(a, b):\n    return max(a, b)\n",
     [(1, 2), (5, 3), (-1, -4), (0, 0), (7, 7), (-3, 3), (10, -10), (2, 9)])
task(T, "last-digit", 1, ["numbers", "digits"], "Return the last decimal digit of the non-negative number `n`.",
     "def last_digit(n: int) -> int", "def last_digit(n):\n    return n % 10\n", [123, 7, 0, 40, 99, 1005, 18, 6])
task(T, "is-divisible", 1, ["numbers", "divisible", "bool"], "Return whether `n` is divisible by `k` (k is not zero).",
     "def is_divisible(n: int, k: int) -> bool", "def is_divisible(n, k):\n    return n % k == 0\n",
     [(6, 3), (7, 2), (0, 5), (-9, 3), (10, 4), (12, 6), (5, 5), (11, 1)])
task(T, "sum-to-n", 2, ["numbers", "sum", "range"], "Return the sum of the whole numbers from 1 to `n` (0 when n is 0).",
     "def sum_to_n(n: int) -> int", "def sum_to_n(n):\n    return sum(range(n + 1))\n", [3, 0, 1, 10, 5, 7, 100, 2])
task(T, "factorial", 3, ["numbers", "product", "loop", "range"], "Return the factorial of the non-negative number `n`.",
     "def factorial(n: int) -> int",
     "def factorial(n):\n    result = 1\n    for i in range(1, n + 1):\n        result *= i\n    return result\n",
     [3, 0, 1, 5, 10, 7, 20, 2])
task(T, "digit-sum", 3, ["numbers", "digits", "sum"], "Return the sum of the decimal digits of the non-negative number `n`.",
     "def digit_sum(n: int) -> int", "def digit_sum(n):\n    return sum([int(c) for c in str(n)])\n",
     [123, 7, 0, 4096, 99, 1005, 18, 555])
task(T, "count-digits", 2, ["numbers", "digits", "length"], "Return how many decimal digits the non-negative number `n` has.",
     "def count_digits(n: int) -> int", "def count_digits(n):\n    return len(str(n))\n", [123, 7, 0, 4096, 99, 1005, 18, 100000])
task(T, "clamp", 2, ["numbers", "max", "min"], "Return `n` limited to the range from `lo` to `hi` (lo <= hi): lo if n is below it, hi if above it.",
     "def clamp(n: int, lo: int, hi: int) -> int", "def clamp(n, lo, hi):\n    return min(max(n, lo), hi)\n",
     [(5, 0, 10), (-3, 0, 10), (12, 0, 10), (0, 0, 0), (7, 7, 9), (4, -2, 2), (-9, -5, -1), (3, 3, 3)])
task(T, "sign", 2, ["numbers", "conditional"], "Return 1 if `n` is positive, -1 if it is negative, and 0 if it is zero.",
     "def sign(n: int) -> int", "def sign(n):\n    if n > 0:\n        return 1\n    if n < 0:\n        return -1\n    return 0\n",
     [5, -3, 0, 100, -100, 1, -1, 42])
task(T, "fibonacci", 3, ["numbers", "loop", "recursion"], "Return the `n`-th Fibonacci number, where fib(0) = 0 and fib(1) = 1.",
     "def fibonacci(n: int) -> int",
     "def fibonacci(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
     [5, 0, 1, 10, 2, 20, 7, 30])
task(T, "gcd", 3, ["numbers", "loop", "divisible"], "Return the greatest common divisor of the non-negative numbers `a` and `b`, not both zero.",
     "def gcd(a: int, b: int) -> int", "def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return a\n",
     [(12, 18), (7, 3), (0, 5), (100, 10), (9, 0), (21, 14), (17, 17), (48, 36)])

task(E, "cube", 1, ["numbers", "cube"], "Return `n` multiplied by itself three times (n * n * n).",
     "def cube(n: int) -> int", "def cube(n):\n    return n * n * n\n", [3, 0, -4, 7, 12, -1, 5, 10])
task(E, "is-odd", 1, ["numbers", "odd", "bool"], "Return whether `n` is odd.",
     "def is_odd(n: int) -> bool", "def is_odd(n):\n    return n % 2 == 1\n", [4, 7, 0, -3, -8, 11, 100, 1])
task(E, "is-negative", 1, ["numbers", "negative", "bool"], "Return whether `n` is less than zero.",
     "def is_negative(n: int) -> bool", "def is_negative(n):\n    return n < 0\n", [4, -7, 0, 3, -8, 11, -100, 1])
task(E, "smaller-of-two", 1, ["numbers", "min"], "Return the smaller of `a` and `b`.",
     "def smaller(a: int, b: int) -> int", "def smaller(a, b):\n    return min(a, b)\n",
     [(1, 2), (5, 3), (-1, -4), (0, 0), (7, 7), (-3, 3), (10, -10), (2, 9)])
task(E, "triple", 1, ["numbers", "multiply"], "Return three times `n`.",
     "def triple(n: int) -> int", "def triple(n):\n    return n * 3\n", [3, 0, -4, 7, 12, -1, 5, 100])
task(E, "sum-of-squares-to-n", 2, ["numbers", "sum", "square", "range"], "Return the sum of the squares of the whole numbers from 0 to `n`.",
     "def sum_squares_to_n(n: int) -> int", "def sum_squares_to_n(n):\n    return sum([i * i for i in range(n + 1)])\n",
     [3, 0, 1, 10, 5, 7, 20, 2])
task(E, "digit-product", 3, ["numbers", "digits", "product"], "Return the product of the decimal digits of the non-negative number `n`.",
     "def digit_product(n: int) -> int",
     "def digit_product(n):\n    result = 1\n    for c in str(n):\n        result *= int(c)\n    return result\n",
     [123, 7, 0, 4096, 99, 1005, 18, 555])
task(E, "first-digit", 2, ["numbers", "digits", "first"], "Return the first (leftmost) decimal digit of the non-negative number `n`.",
     "def first_digit(n: int) -> int", "def first_digit(n):\n    return int(str(n)[0])\n", [123, 7, 0, 4096, 99, 1005, 18, 555])
task(E, "distance", 2, ["numbers", "absolute"], "Return how far apart the numbers `a` and `b` are: the absolute value of their difference.",
     "def distance(a: int, b: int) -> int", "def distance(a, b):\n    return abs(a - b)\n",
     [(1, 5), (5, 1), (-3, 3), (0, 0), (7, -2), (-9, -4), (10, 10), (2, 100)])

# ---- lists of ints to lists -----------------------------------------------------

task(T, "double-each", 1, ["lists", "map", "double"], "Return a list with each number of the list `xs` doubled.",
     "def double_each(xs: list[int]) -> list[int]", "def double_each(xs):\n    return [x * 2 for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(T, "square-each", 1, ["lists", "map", "square"], "Return a list with the square of each number of the list `xs`.",
     "def square_each(xs: list[int]) -> list[int]", "def square_each(xs):\n    return [x * x for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(T, "increment-each", 1, ["lists", "map", "add"], "Return a list with each number of the list `xs` increased by one.",
     "def increment_each(xs: list[int]) -> list[int]", "def increment_each(xs):\n    return [x + 1 for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(T, "keep-evens", 2, ["lists", "filter", "even"], "Return the even numbers of the list `xs`, in their order.",
     "def keep_evens(xs: list[int]) -> list[int]", "def keep_evens(xs):\n    return [x for x in xs if x % 2 == 0]\n",
     [[1, 2, 3, 4], [], [7, 9], [0, -2, 5]] + lists(7))
task(T, "keep-positives", 2, ["lists", "filter", "positive"], "Return the numbers of the list `xs` that are greater than zero, in their order.",
     "def keep_positives(xs: list[int]) -> list[int]", "def keep_positives(xs):\n    return [x for x in xs if x > 0]\n",
     [[1, -2, 3], [], [-7], [0, 4]] + lists(7))
task(T, "sort-ascending", 1, ["lists", "sort"], "Return the numbers of the list `xs` sorted from smallest to largest.",
     "def sort_ascending(xs: list[int]) -> list[int]", "def sort_ascending(xs):\n    return sorted(xs)\n",
     [[3, 1, 2], [], [5], [2, 2, -1]] + lists(7))
task(T, "reverse-list", 1, ["lists", "reverse"], "Return the list `xs` in reverse order.",
     "def reverse_list(xs: list[int]) -> list[int]", "def reverse_list(xs):\n    return xs[::-1]\n",
     [[1, 2, 3], [], [5], [2, 2, -1]] + lists(7))
task(T, "absolute-each", 1, ["lists", "map", "absolute"], "Return a list with the absolute value of each number of the list `xs`.",
     "def absolute_each(xs: list[int]) -> list[int]", "def absolute_each(xs):\n    return [abs(x) for x in xs]\n",
     [[1, -2, 3], [], [-4], [0, -5]] + lists(7))
task(T, "take-k", 1, ["lists", "first", "slice"], "Return the first `k` numbers of the list `xs` (all of them if it is shorter).",
     "def take_k(xs: list[int], k: int) -> list[int]", "def take_k(xs, k):\n    return xs[:k]\n",
     [([1, 2, 3], 2), ([], 1), ([5], 0), ([4, 5, 6], 5)] + [(xs, rng.randint(0, 4)) for xs in lists(7)])
task(T, "running-total", 3, ["lists", "sum", "loop"], "Return the running totals of the list `xs`: element i of the result is the sum of xs[0] through xs[i].",
     "def running_total(xs: list[int]) -> list[int]",
     "def running_total(xs):\n    out = []\n    total = 0\n    for x in xs:\n        total += x\n        out.append(total)\n    return out\n",
     [[1, 2, 3], [], [5], [2, -2, 7]] + lists(7))
task(T, "add-pairwise", 2, ["lists", "pairs", "add"], "Return the list of sums of the numbers at the same positions in the lists `xs` and `ys`, which have the same length.",
     "def add_pairwise(xs: list[int], ys: list[int]) -> list[int]", "def add_pairwise(xs, ys):\n    return [x + y for x, y in zip(xs, ys)]\n",
     [([1, 2], [3, 4]), ([], []), ([5], [-5]), ([0, 1, 2], [2, 1, 0])] + [(a, ints(len(a))) for a in lists(7)])
task(T, "unique-in-order", 3, ["lists", "distinct", "loop"], "Return the numbers of the list `xs` without repeats, each where it first appears.",
     "def unique_in_order(xs: list[int]) -> list[int]",
     "def unique_in_order(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x)\n    return out\n",
     [[1, 2, 1, 3], [], [4, 4, 4], [3, 1, 3, 1]] + lists(7, -3, 3))
task(T, "squares-of-evens", 2, ["lists", "map", "filter", "square", "even"], "Return the squares of the even numbers of the list `xs`, in their order.",
     "def squares_of_evens(xs: list[int]) -> list[int]", "def squares_of_evens(xs):\n    return [x * x for x in xs if x % 2 == 0]\n",
     [[1, 2, 3, 4], [], [7, 9], [0, -2, 5]] + lists(7))
task(T, "numbers-above", 2, ["lists", "filter", "greater"], "Return the numbers of the list `xs` that are greater than `k`, in their order.",
     "def numbers_above(xs: list[int], k: int) -> list[int]", "def numbers_above(xs, k):\n    return [x for x in xs if x > k]\n",
     [([1, 5, 3], 2), ([], 0), ([4, 4], 4), ([-3, 0, 3], -1)] + [(xs, rng.randint(-3, 3)) for xs in lists(7)])
task(T, "range-list", 1, ["lists", "range"], "Return the list of the whole numbers from 0 up to but not including `n`.",
     "def range_list(n: int) -> list[int]", "def range_list(n):\n    return list(range(n))\n", [3, 0, 1, 5, 8, 2, 10, 4])
task(T, "rotate-left", 2, ["lists", "slice"], "Return the list `xs` with its first number moved to the end.",
     "def rotate_left(xs: list[int]) -> list[int]", "def rotate_left(xs):\n    return xs[1:] + xs[:1]\n",
     [[1, 2, 3], [], [5], [2, 2, -1]] + lists(7))
task(T, "every-second", 1, ["lists", "slice"], "Return the numbers at the even positions (0, 2, 4, ...) of the list `xs`.",
     "def every_second(xs: list[int]) -> list[int]", "def every_second(xs):\n    return xs[::2]\n",
     [[1, 2, 3, 4], [], [5], [7, 8]] + lists(7))
task(T, "differences", 3, ["lists", "pairs", "loop"], "Return the list of differences between consecutive numbers of the list `xs`: xs[1] - xs[0], xs[2] - xs[1], and so on.",
     "def differences(xs: list[int]) -> list[int]", "def differences(xs):\n    return [b - a for a, b in zip(xs, xs[1:])]\n",
     [[1, 4, 9], [], [5], [3, 1, 2]] + lists(7))
task(T, "scale", 2, ["lists", "map", "multiply"], "Return a list with each number of the list `xs` multiplied by `k`.",
     "def scale(xs: list[int], k: int) -> list[int]", "def scale(xs, k):\n    return [x * k for x in xs]\n",
     [([1, 2, 3], 3), ([], 2), ([5], 0), ([-1, 4], -2)] + [(xs, rng.randint(-3, 3)) for xs in lists(7)])
task(T, "top-three", 2, ["lists", "sort", "first"], "Return the three largest numbers of the list `xs`, largest first (fewer if the list is shorter).",
     "def top_three(xs: list[int]) -> list[int]", "def top_three(xs):\n    return sorted(xs, reverse=True)[:3]\n",
     [[3, 1, 4, 1, 5], [], [2], [9, 8]] + lists(7))
task(T, "zero-negatives", 2, ["lists", "map", "max", "negative"], "Return the list `xs` with every negative number replaced by 0.",
     "def zero_negatives(xs: list[int]) -> list[int]", "def zero_negatives(xs):\n    return [max(x, 0) for x in xs]\n",
     [[1, -2, 3], [], [-5], [0, 4, -1]] + lists(7))
task(T, "evens-indices", 3, ["lists", "even", "index"], "Return the positions of the even numbers in the list `xs`, in increasing order.",
     "def evens_indices(xs: list[int]) -> list[int]", "def evens_indices(xs):\n    return [i for i, x in enumerate(xs) if x % 2 == 0]\n",
     [[1, 2, 3, 4], [], [7, 9], [0, -2, 5]] + lists(7))
task(T, "sorted-distinct", 2, ["lists", "sort", "distinct"], "Return the different numbers of the list `xs`, sorted from smallest to largest.",
     "def sorted_distinct(xs: list[int]) -> list[int]", "def sorted_distinct(xs):\n    return sorted(set(xs))\n",
     [[3, 1, 3, 2], [], [5, 5], [0, -1, 1]] + lists(7, -3, 3))

task(E, "triple-each", 1, ["lists", "map", "multiply"], "Return a list with each number of the list `xs` multiplied by three.",
     "def triple_each(xs: list[int]) -> list[int]", "def triple_each(xs):\n    return [x * 3 for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(E, "negate-each", 1, ["lists", "map", "negate"], "Return a list with the negation of each number of the list `xs`.",
     "def negate_each(xs: list[int]) -> list[int]", "def negate_each(xs):\n    return [-x for x in xs]\n",
     [[1, -2, 3], [], [-4], [0, 5]] + lists(7))
task(E, "decrement-each", 1, ["lists", "map", "subtract"], "Return a list with each number of the list `xs` decreased by one.",
     "def decrement_each(xs: list[int]) -> list[int]", "def decrement_each(xs):\n    return [x - 1 for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(E, "keep-odds", 2, ["lists", "filter", "odd"], "Return the odd numbers of the list `xs`, in their order.",
     "def keep_odds(xs: list[int]) -> list[int]", "def keep_odds(xs):\n    return [x for x in xs if x % 2 == 1]\n",
     [[1, 2, 3, 4], [], [2, 8], [-3, 5, 6]] + lists(7))
task(E, "keep-negatives", 2, ["lists", "filter", "negative"], "Return the numbers of the list `xs` that are less than zero, in their order.",
     "def keep_negatives(xs: list[int]) -> list[int]", "def keep_negatives(xs):\n    return [x for x in xs if x < 0]\n",
     [[1, -2, -3], [], [7], [0, -4]] + lists(7))
task(E, "remove-zeros", 2, ["lists", "filter", "zero"], "Return the list `xs` without its zeros.",
     "def remove_zeros(xs: list[int]) -> list[int]", "def remove_zeros(xs):\n    return [x for x in xs if x != 0]\n",
     [[0, 1, 0], [], [3, 4], [0]] + lists(7, -2, 2))
task(E, "sort-descending", 2, ["lists", "sort", "reverse"], "Return the numbers of the list `xs` sorted from largest to smallest.",
     "def sort_descending(xs: list[int]) -> list[int]", "def sort_descending(xs):\n    return sorted(xs, reverse=True)\n",
     [[3, 1, 2], [], [5], [2, 2, -1]] + lists(7))
task(E, "drop-k", 1, ["lists", "slice"], "Return the list `xs` without its first `k` numbers.",
     "def drop_k(xs: list[int], k: int) -> list[int]", "def drop_k(xs, k):\n    return xs[k:]\n",
     [([1, 2, 3], 2), ([], 1), ([5], 0), ([4, 5, 6], 5)] + [(xs, rng.randint(0, 4)) for xs in lists(7)])
task(E, "multiply-pairwise", 2, ["lists", "pairs", "multiply"], "Return the list of products of the numbers at the same positions in the lists `xs` and `ys`, which have the same length.",
     "def multiply_pairwise(xs: list[int], ys: list[int]) -> list[int]", "def multiply_pairwise(xs, ys):\n    return [x * y for x, y in zip(xs, ys)]\n",
     [([1, 2], [3, 4]), ([], []), ([5], [-5]), ([0, 1, 2], [2, 1, 0])] + [(a, ints(len(a))) for a in lists(7)])
task(E, "max-pairwise", 2, ["lists", "pairs", "max"], "Return the list of the larger number of each pair at the same positions in the lists `xs` and `ys`, which have the same length.",
     "def max_pairwise(xs: list[int], ys: list[int]) -> list[int]", "def max_pairwise(xs, ys):\n    return [max(x, y) for x, y in zip(xs, ys)]\n",
     [([1, 5], [3, 4]), ([], []), ([5], [-5]), ([0, 1, 2], [2, 1, 0])] + [(a, ints(len(a))) for a in lists(7)])
task(E, "squares-to-n", 2, ["lists", "range", "square", "map"], "Return the list of the squares of the whole numbers from 0 up to but not including `n`.",
     "def squares_to_n(n: int) -> list[int]", "def squares_to_n(n):\n    return [i * i for i in range(n)]\n", [3, 0, 1, 5, 8, 2, 10, 4])
task(E, "odd-positions", 1, ["lists", "slice"], "Return the numbers at the odd positions (1, 3, 5, ...) of the list `xs`.",
     "def odd_positions(xs: list[int]) -> list[int]", "def odd_positions(xs):\n    return xs[1::2]\n",
     [[1, 2, 3, 4], [], [5], [7, 8]] + lists(7))
task(E, "doubled-odds", 2, ["lists", "map", "filter", "double", "odd"], "Return twice each odd number of the list `xs`, in their order.",
     "def doubled_odds(xs: list[int]) -> list[int]", "def doubled_odds(xs):\n    return [x * 2 for x in xs if x % 2 == 1]\n",
     [[1, 2, 3, 4], [], [2, 8], [-3, 5, 6]] + lists(7))
task(E, "numbers-below", 2, ["lists", "filter", "less"], "Return the numbers of the list `xs` that are less than `k`, in their order.",
     "def numbers_below(xs: list[int], k: int) -> list[int]", "def numbers_below(xs, k):\n    return [x for x in xs if x < k]\n",
     [([1, 5, 3], 4), ([], 0), ([4, 4], 4), ([-3, 0, 3], 1)] + [(xs, rng.randint(-3, 3)) for xs in lists(7)])
task(E, "mirror", 2, ["lists", "reverse", "concatenate"], "Return the list `xs` followed by the same numbers in reverse order.",
     "def mirror(xs: list[int]) -> list[int]", "def mirror(xs):\n    return xs + xs[::-1]\n",
     [[1, 2, 3], [], [5], [2, -1]] + lists(7))
task(E, "bottom-two", 2, ["lists", "sort", "first"], "Return the two smallest numbers of the list `xs`, smallest first (fewer if the list is shorter).",
     "def bottom_two(xs: list[int]) -> list[int]", "def bottom_two(xs):\n    return sorted(xs)[:2]\n",
     [[3, 1, 4, 1, 5], [], [2], [9, 8]] + lists(7))
task(E, "running-max", 3, ["lists", "max", "loop"], "Return the running maxima of the list `xs`: element i of the result is the largest of xs[0] through xs[i].",
     "def running_max(xs: list[int]) -> list[int]",
     "def running_max(xs):\n    out = []\n    for x in xs:\n        out.append(x if not out else max(out[-1], x))\n    return out\n",
     [[1, 3, 2], [], [5], [2, -2, 7]] + lists(7))

# ---- booleans from lists -------------------------------------------------------------

task(T, "contains", 1, ["lists", "bool", "contains"], "Return whether the number `k` appears in the list `xs`.",
     "def contains(xs: list[int], k: int) -> bool", "def contains(xs, k):\n    return k in xs\n",
     [([1, 2, 3], 2), ([], 1), ([5], 5), ([4, 5, 6], 7)] + [(xs, rng.randint(-2, 2)) for xs in lists(7, -2, 2)])
task(T, "all-positive", 2, ["lists", "bool", "positive", "all"], "Return whether every number of the list `xs` is greater than zero (true for an empty list).",
     "def all_positive(xs: list[int]) -> bool", "def all_positive(xs):\n    return all([x > 0 for x in xs])\n",
     [[1, 2, 3], [], [1, -1], [0]] + lists(7, -1, 9))
task(T, "is-sorted", 3, ["lists", "bool", "sort"], "Return whether the numbers of the list `xs` never decrease from one to the next.",
     "def is_sorted(xs: list[int]) -> bool", "def is_sorted(xs):\n    return xs == sorted(xs)\n",
     [[1, 2, 3], [], [3, 1], [2, 2, 5]] + lists(7, 0, 3))
task(T, "is-list-palindrome", 2, ["lists", "bool", "reverse", "palindrome"], "Return whether the list `xs` reads the same backwards.",
     "def is_list_palindrome(xs: list[int]) -> bool", "def is_list_palindrome(xs):\n    return xs == xs[::-1]\n",
     [[1, 2, 1], [], [1, 2], [3, 3]] + lists(4, 0, 2, min_len=2) + [[4, 5, 4], [1, 2, 2, 1], [7]])
task(T, "is-empty", 1, ["lists", "bool", "length"], "Return whether the list `xs` is empty.",
     "def is_empty(xs: list[int]) -> bool", "def is_empty(xs):\n    return len(xs) == 0\n",
     [[1, 2], [], [0], [5, 5, 5], [-1], [2, 3], [9], [1, 1, 1, 1]])

task(E, "any-negative", 2, ["lists", "bool", "negative", "any"], "Return whether some number of the list `xs` is less than zero.",
     "def any_negative(xs: list[int]) -> bool", "def any_negative(xs):\n    return any([x < 0 for x in xs])\n",
     [[1, 2, 3], [], [1, -1], [0]] + lists(7, -1, 9))
task(E, "all-even", 2, ["lists", "bool", "even", "all"], "Return whether every number of the list `xs` is even (true for an empty list).",
     "def all_even(xs: list[int]) -> bool", "def all_even(xs):\n    return all([x % 2 == 0 for x in xs])\n",
     [[2, 4, 6], [], [2, 3], [0]] + [[2 * x for x in xs] for xs in lists(4, min_len=1)] + lists(4, min_len=1))
task(E, "same-length", 1, ["lists", "bool", "length"], "Return whether the lists `xs` and `ys` have the same length.",
     "def same_length(xs: list[int], ys: list[int]) -> bool", "def same_length(xs, ys):\n    return len(xs) == len(ys)\n",
     [([1, 2], [3, 4]), ([], []), ([1], []), ([1, 2, 3], [4])] + [(a, b) for a, b in zip(lists(6), lists(6))])
task(E, "is-sorted-descending", 3, ["lists", "bool", "sort", "reverse"], "Return whether the numbers of the list `xs` never increase from one to the next.",
     "def is_sorted_descending(xs: list[int]) -> bool", "def is_sorted_descending(xs):\n    return xs == sorted(xs, reverse=True)\n",
     [[3, 2, 1], [], [1, 3], [5, 2, 2]] + lists(7, 0, 3))

# ---- strings --------------------------------------------------------------------

task(T, "uppercase", 1, ["strings", "case"], "Return the string `s` in upper case.",
     "def uppercase(s: str) -> str", "def uppercase(s):\n    return s.upper()\n",
     ["hello", "", "Mixed Case", "abc123"] + sentences(7))
task(T, "reverse-string", 1, ["strings", "reverse"], "Return the string `s` backwards.",
     "def reverse_string(s: str) -> str", "def reverse_string(s):\n    return s[::-1]\n",
     ["hello", "", "ab", "racecar"] + sentences(7))
task(T, "string-length", 1, ["strings", "length"], "Return how many characters the string `s` has.",
     "def string_length(s: str) -> int", "def string_length(s):\n    return len(s)\n",
     ["hello", "", "a b", "xyz"] + sentences(7))
task(T, "count-vowels", 2, ["strings", "count", "vowels"], "Return how many vowels (a, e, i, o, u, lower case) the string `s` holds.",
     "def count_vowels(s: str) -> int", "def count_vowels(s):\n    return len([c for c in s if c in 'aeiou'])\n",
     ["hello", "", "sky", "aeiou"] + sentences(7))
task(T, "word-count", 2, ["strings", "words", "count"], "Return how many words the string `s` holds; words are separated by spaces.",
     "def word_count(s: str) -> int", "def word_count(s):\n    return len(s.split())\n",
     ["hello world", "", "one", "a b c"] + sentences(7))
task(T, "first-word", 2, ["strings", "words", "first"], "Return the first word of the string `s`, which holds at least one word separated by spaces.",
     "def first_word(s: str) -> str", "def first_word(s):\n    return s.split()[0]\n",
     ["hello world", "one", "a b c"] + sentences(8))
task(T, "reverse-words", 2, ["strings", "words", "reverse"], "Return the words of the string `s` in reverse order, joined by single spaces.",
     "def reverse_words(s: str) -> str", "def reverse_words(s):\n    return ' '.join(s.split()[::-1])\n",
     ["hello world", "", "one", "a b c"] + sentences(7))
task(T, "is-palindrome", 2, ["strings", "bool", "reverse", "palindrome"], "Return whether the string `s` reads the same backwards.",
     "def is_palindrome(s: str) -> bool", "def is_palindrome(s):\n    return s == s[::-1]\n",
     ["level", "", "ab", "noon", "kayak", "river", "a", "stone"])
task(T, "remove-spaces", 2, ["strings", "replace", "spaces"], "Return the string `s` without its spaces.",
     "def remove_spaces(s: str) -> str", "def remove_spaces(s):\n    return s.replace(' ', '')\n",
     ["hello world", "", "nospace", " a b "] + sentences(7))
task(T, "repeat-string", 1, ["strings", "repeat"], "Return the string `s` repeated `n` times.",
     "def repeat_string(s: str, n: int) -> str", "def repeat_string(s, n):\n    return s * n\n",
     [("ab", 3), ("", 5), ("x", 0), ("hi", 1)] + [(rng.choice(WORDS), rng.randint(0, 3)) for _ in range(7)])
task(T, "first-char", 1, ["strings", "first"], "Return the first character of the non-empty string `s`.",
     "def first_char(s: str) -> str", "def first_char(s):\n    return s[0]\n",
     ["hello", "x", "ab c"] + sentences(8))
task(T, "count-char", 1, ["strings", "count"], "Return how many times the character `c` appears in the string `s`.",
     "def count_char(s: str, c: str) -> int", "def count_char(s, c):\n    return s.count(c)\n",
     [("hello", "l"), ("", "a"), ("banana", "a"), ("sky", "z")] + [(sentence(), rng.choice("aeiost ")) for _ in range(7)])
task(T, "starts-with", 1, ["strings", "bool", "prefix"], "Return whether the string `s` starts with the string `prefix`.",
     "def starts_with(s: str, prefix: str) -> bool", "def starts_with(s, prefix):\n    return s.startswith(prefix)\n",
     [("hello", "he"), ("hello", "lo"), ("", ""), ("a", "ab")] + [(w, w[:rng.randint(0, len(w))]) for w in rng.sample(WORDS, 3)] + [("stone", "sky"), ("moon", "mo")])
task(T, "word-lengths", 2, ["strings", "words", "length", "map"], "Return the list of the lengths of the words of the string `s`; words are separated by spaces.",
     "def word_lengths(s: str) -> list[int]", "def word_lengths(s):\n    return [len(w) for w in s.split()]\n",
     ["hello world", "", "one", "a bb ccc"] + sentences(7))
task(T, "longest-word", 3, ["strings", "words", "max", "length"], "Return the longest word of the string `s` (the first one if several are equally long); `s` holds at least one word.",
     "def longest_word(s: str) -> str", "def longest_word(s):\n    return max(s.split(), key=len)\n",
     ["hello world", "one", "a bb ccc", "cat dog"] + sentences(7))
task(T, "acronym", 3, ["strings", "words", "first", "case"], "Return the upper-case initials of the words of the string `s`, joined together.",
     "def acronym(s: str) -> str", "def acronym(s):\n    return ''.join([w[0].upper() for w in s.split()])\n",
     ["portable network graphics", "", "one", "as soon as possible"] + sentences(7))
task(T, "swap-case", 1, ["strings", "case"], "Return the string `s` with upper-case letters made lower case and lower-case letters made upper case.",
     "def swap_case(s: str) -> str", "def swap_case(s):\n    return s.swapcase()\n",
     ["Hello", "", "ABC def", "x1Y"] + sentences(7))
task(T, "join-commas", 1, ["strings", "join"], "Return the strings of the list `words` joined with commas.",
     "def join_commas(words: list[str]) -> str", "def join_commas(words):\n    return ','.join(words)\n",
     [["a", "b"], [], ["one"], ["x", "", "y"]] + [s.split() for s in sentences(7)])
task(T, "count-digit-chars", 2, ["strings", "count", "digits"], "Return how many characters of the string `s` are decimal digits.",
     "def count_digit_chars(s: str) -> int", "def count_digit_chars(s):\n    return len([c for c in s if c.isdigit()])\n",
     ["a1b2c3", "", "none", "2026"] + [sentence() + str(rng.randint(0, 999)) for _ in range(7)])
task(T, "sort-letters", 2, ["strings", "sort", "join"], "Return the characters of the string `s` in sorted order, as a string.",
     "def sort_letters(s: str) -> str", "def sort_letters(s):\n    return ''.join(sorted(s))\n",
     ["hello", "", "cba", "banana"] + [rng.choice(WORDS) for _ in range(7)])
task(T, "remove-vowels", 3, ["strings", "filter", "vowels", "join"], "Return the string `s` without its vowels (a, e, i, o, u, lower case).",
     "def remove_vowels(s: str) -> str", "def remove_vowels(s):\n    return ''.join([c for c in s if c not in 'aeiou'])\n",
     ["hello", "", "sky", "aeiou"] + sentences(7))
task(T, "double-letters", 3, ["strings", "map", "join", "repeat"], "Return the string `s` with every character written twice.",
     "def double_letters(s: str) -> str", "def double_letters(s):\n    return ''.join([c * 2 for c in s])\n",
     ["abc", "", "x", "hi there"] + [rng.choice(WORDS) for _ in range(7)])
task(T, "long-words", 3, ["strings", "words", "filter", "length"], "Return the words of the string `s` that are longer than `k` characters, in their order.",
     "def long_words(s: str, k: int) -> list[str]", "def long_words(s, k):\n    return [w for w in s.split() if len(w) > k]\n",
     [("the quick brown fox", 3), ("", 1), ("a bb ccc", 1), ("one", 5)] + [(s, rng.randint(1, 4)) for s in sentences(7)])
task(T, "chars-list", 1, ["strings", "list"], "Return the list of the characters of the string `s`.",
     "def chars_list(s: str) -> list[str]", "def chars_list(s):\n    return list(s)\n",
     ["abc", "", "x", "a b"] + [rng.choice(WORDS) for _ in range(7)])
task(T, "number-to-string", 1, ["strings", "numbers", "convert"], "Return the decimal digits of `n` as a string.",
     "def number_to_string(n: int) -> str", "def number_to_string(n):\n    return str(n)\n", [42, 0, -7, 1000, 5, -31, 99, 123456])
task(T, "shift-letters", 3, ["strings", "map", "letters", "loop"], "Return the lower-case word `s` with each letter replaced by the next letter of the alphabet ('z' becomes 'a').",
     "def shift_letters(s: str) -> str", "def shift_letters(s):\n    return ''.join([chr((ord(c) - 97 + 1) % 26 + 97) for c in s])\n",
     ["abc", "", "xyz", "hello"] + [rng.choice(WORDS) for _ in range(7)])

task(E, "lowercase", 1, ["strings", "case"], "Return the string `s` in lower case.",
     "def lowercase(s: str) -> str", "def lowercase(s):\n    return s.lower()\n",
     ["HELLO", "", "Mixed Case", "ABC123"] + [x.upper() for x in sentences(7)])
task(E, "last-word", 2, ["strings", "words", "last"], "Return the last word of the string `s`, which holds at least one word separated by spaces.",
     "def last_word(s: str) -> str", "def last_word(s):\n    return s.split()[-1]\n",
     ["hello world", "one", "a b c"] + sentences(8))
task(E, "last-char", 1, ["strings", "last"], "Return the last character of the non-empty string `s`.",
     "def last_char(s: str) -> str", "def last_char(s):\n    return s[-1]\n",
     ["hello", "x", "ab c"] + sentences(8))
task(E, "count-spaces", 1, ["strings", "count", "spaces"], "Return how many spaces the string `s` holds.",
     "def count_spaces(s: str) -> int", "def count_spaces(s):\n    return s.count(' ')\n",
     ["hello world", "", "one", " a b "] + sentences(7))
task(E, "ends-with", 1, ["strings", "bool", "suffix"], "Return whether the string `s` ends with the string `suffix`.",
     "def ends_with(s: str, suffix: str) -> bool", "def ends_with(s, suffix):\n    return s.endswith(suffix)\n",
     [("hello", "lo"), ("hello", "he"), ("", ""), ("a", "ba")] + [(w, w[rng.randint(0, len(w)):]) for w in rng.sample(WORDS, 3)] + [("stone", "sky"), ("moon", "on")])
task(E, "concatenate", 1, ["strings", "concatenate"], "Return the string `a` followed by the string `b`.",
     "def concatenate(a: str, b: str) -> str", "def concatenate(a, b):\n    return a + b\n",
     [("ab", "cd"), ("", "x"), ("y", ""), ("", "")] + [(rng.choice(WORDS), rng.choice(WORDS)) for _ in range(7)])
task(E, "count-unique-chars", 2, ["strings", "count", "distinct"], "Return how many different characters the string `s` holds.",
     "def count_unique_chars(s: str) -> int", "def count_unique_chars(s):\n    return len(set(s))\n",
     ["hello", "", "aaa", "abc"] + sentences(7))
task(E, "upper-words", 2, ["strings", "words", "case", "map"], "Return the list of the words of the string `s` in upper case; words are separated by spaces.",
     "def upper_words(s: str) -> list[str]", "def upper_words(s):\n    return [w.upper() for w in s.split()]\n",
     ["hello world", "", "one", "a b c"] + sentences(7))
task(E, "split-commas", 1, ["strings", "split"], "Return the parts of the string `s` between commas.",
     "def split_commas(s: str) -> list[str]", "def split_commas(s):\n    return s.split(',')\n",
     ["a,b", "", "one", "x,,y"] + [",".join(s.split()) for s in sentences(7)])
task(E, "is-all-digits", 1, ["strings", "bool", "digits"], "Return whether the non-empty string `s` holds only decimal digits.",
     "def is_all_digits(s: str) -> bool", "def is_all_digits(s):\n    return s.isdigit()\n",
     ["123", "12a", "7", "x", "2026", "0", "1 2", "99"])
task(E, "even-chars", 1, ["strings", "slice"], "Return the characters at the even positions (0, 2, 4, ...) of the string `s`, as a string.",
     "def even_chars(s: str) -> str", "def even_chars(s):\n    return s[::2]\n",
     ["abcdef", "", "x", "hello"] + sentences(7))
task(E, "short-words", 3, ["strings", "words", "filter", "length"], "Return the words of the string `s` that are shorter than `k` characters, in their order.",
     "def short_words(s: str, k: int) -> list[str]", "def short_words(s, k):\n    return [w for w in s.split() if len(w) < k]\n",
     [("the quick brown fox", 4), ("", 1), ("a bb ccc", 3), ("one", 5)] + [(s, rng.randint(1, 5)) for s in sentences(7)])
task(E, "join-spaces-upper", 3, ["strings", "join", "case", "words"], "Return the strings of the list `words` in upper case, joined by single spaces.",
     "def shout(words: list[str]) -> str", "def shout(words):\n    return ' '.join([w.upper() for w in words])\n",
     [["a", "b"], [], ["one"], ["x", "yz"]] + [s.split() for s in sentences(7)])
task(E, "vowel-positions", 3, ["strings", "vowels", "index"], "Return the positions of the vowels (a, e, i, o, u, lower case) of the string `s`, in increasing order.",
     "def vowel_positions(s: str) -> list[int]", "def vowel_positions(s):\n    return [i for i, c in enumerate(s) if c in 'aeiou']\n",
     ["hello", "", "sky", "aeiou"] + sentences(7))
task(E, "string-to-number", 1, ["strings", "numbers", "convert"], "Return the whole number that the string `s` of decimal digits spells.",
     "def string_to_number(s: str) -> int", "def string_to_number(s):\n    return int(s)\n",
     ["42", "0", "7", "1000", "5", "31", "99", "123456"])
task(E, "reverse-each-word", 3, ["strings", "words", "reverse", "join"], "Return the string `s` with each of its words written backwards, joined by single spaces.",
     "def reverse_each_word(s: str) -> str", "def reverse_each_word(s):\n    return ' '.join([w[::-1] for w in s.split()])\n",
     ["hello world", "", "one", "ab cd"] + sentences(7))
task(E, "capitalize-words", 3, ["strings", "words", "case", "join"], "Return the string `s` with the first letter of each word in upper case and the rest in lower case, words joined by single spaces.",
     "def capitalize_words(s: str) -> str", "def capitalize_words(s):\n    return ' '.join([w.capitalize() for w in s.split()])\n",
     ["hello world", "", "ONE", "aBc dEf"] + sentences(7))

# ---- nested lists ------------------------------------------------------------------

task(T, "matrix-total", 2, ["nested", "sum"], "Return the sum of all the numbers in the list of lists `m`.",
     "def matrix_total(m: list[list[int]]) -> int", "def matrix_total(m):\n    return sum([sum(row) for row in m])\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(T, "row-sums", 2, ["nested", "sum", "map"], "Return the list of the sums of the rows of the list of lists `m`.",
     "def row_sums(m: list[list[int]]) -> list[int]", "def row_sums(m):\n    return [sum(row) for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(T, "flatten", 2, ["nested", "concatenate"], "Return the numbers of the list of lists `m`, row after row, in one list.",
     "def flatten(m: list[list[int]]) -> list[int]", "def flatten(m):\n    return [x for row in m for x in row]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(T, "transpose", 3, ["nested", "pairs"], "Return the transpose of the rectangular list of lists `m`: row i of the result holds element i of each row of `m`.",
     "def transpose(m: list[list[int]]) -> list[list[int]]", "def transpose(m):\n    return [list(col) for col in zip(*m)]\n",
     [[[1, 2], [3, 4]], [[5]], [[1, 2, 3]], [[1], [2]]] + matrices(7))
task(T, "row-maxima", 2, ["nested", "max", "map"], "Return the list of the largest number of each row of the list of lists `m`, whose rows are not empty.",
     "def row_maxima(m: list[list[int]]) -> list[int]", "def row_maxima(m):\n    return [max(row) for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [9, 2]]] + matrices(7))
task(T, "row-lengths", 2, ["nested", "length", "map"], "Return the list of the lengths of the rows of the list of lists `m`.",
     "def row_lengths(m: list[list[int]]) -> list[int]", "def row_lengths(m):\n    return [len(row) for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(T, "first-column", 2, ["nested", "first", "map"], "Return the list of the first number of each row of the list of lists `m`, whose rows are not empty.",
     "def first_column(m: list[list[int]]) -> list[int]", "def first_column(m):\n    return [row[0] for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [9, 2]]] + matrices(7))
task(T, "matrix-max", 2, ["nested", "max"], "Return the largest number of the list of lists `m`, which holds at least one number in every row and at least one row.",
     "def matrix_max(m: list[list[int]]) -> int", "def matrix_max(m):\n    return max([max(row) for row in m])\n",
     [[[1, 2], [3, 4]], [[5]], [[-1], [-9, -2]]] + matrices(8))
task(T, "sort-rows", 2, ["nested", "sort", "map"], "Return the list of lists `m` with each row sorted from smallest to largest.",
     "def sort_rows(m: list[list[int]]) -> list[list[int]]", "def sort_rows(m):\n    return [sorted(row) for row in m]\n",
     [[[2, 1], [4, 3]], [], [[5]], [[3, 1, 2], []]] + matrices(7))
task(T, "diagonal", 3, ["nested", "index", "loop"], "Return the numbers on the main diagonal of the square list of lists `m`: m[0][0], m[1][1], and so on.",
     "def diagonal(m: list[list[int]]) -> list[int]", "def diagonal(m):\n    return [m[i][i] for i in range(len(m))]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]] + matrices(7, square=True))

task(E, "column-sums", 3, ["nested", "sum", "pairs"], "Return the list of the sums of the columns of the rectangular list of lists `m`, which has at least one row.",
     "def column_sums(m: list[list[int]]) -> list[int]", "def column_sums(m):\n    return [sum(col) for col in zip(*m)]\n",
     [[[1, 2], [3, 4]], [[5]], [[1, 2, 3]], [[1], [2]]] + matrices(7))
task(E, "row-minima", 2, ["nested", "min", "map"], "Return the list of the smallest number of each row of the list of lists `m`, whose rows are not empty.",
     "def row_minima(m: list[list[int]]) -> list[int]", "def row_minima(m):\n    return [min(row) for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [9, 2]]] + matrices(7))
task(E, "reverse-rows", 2, ["nested", "reverse", "map"], "Return the list of lists `m` with each row in reverse order.",
     "def reverse_rows(m: list[list[int]]) -> list[list[int]]", "def reverse_rows(m):\n    return [row[::-1] for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1, 2, 3], []]] + matrices(7))
task(E, "matrix-count", 2, ["nested", "count", "length"], "Return how many numbers the list of lists `m` holds in all.",
     "def matrix_count(m: list[list[int]]) -> int", "def matrix_count(m):\n    return sum([len(row) for row in m])\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(E, "matrix-min", 2, ["nested", "min"], "Return the smallest number of the list of lists `m`, which holds at least one number in every row and at least one row.",
     "def matrix_min(m: list[list[int]]) -> int", "def matrix_min(m):\n    return min([min(row) for row in m])\n",
     [[[1, 2], [3, 4]], [[5]], [[-1], [-9, -2]]] + matrices(8))
task(E, "last-column", 2, ["nested", "last", "map"], "Return the list of the last number of each row of the list of lists `m`, whose rows are not empty.",
     "def last_column(m: list[list[int]]) -> list[int]", "def last_column(m):\n    return [row[-1] for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [9, 2]]] + matrices(7))
task(E, "count-rows", 1, ["nested", "length"], "Return how many rows the list of lists `m` has.",
     "def count_rows(m: list[list[int]]) -> int", "def count_rows(m):\n    return len(m)\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(E, "double-matrix", 3, ["nested", "map", "double"], "Return the list of lists `m` with every number doubled.",
     "def double_matrix(m: list[list[int]]) -> list[list[int]]", "def double_matrix(m):\n    return [[x * 2 for x in row] for row in m]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(E, "anti-diagonal", 3, ["nested", "index", "loop"], "Return the numbers on the other diagonal of the square list of lists `m`: m[0][n-1], m[1][n-2], and so on, where n is its size.",
     "def anti_diagonal(m: list[list[int]]) -> list[int]", "def anti_diagonal(m):\n    return [m[i][len(m) - 1 - i] for i in range(len(m))]\n",
     [[[1, 2], [3, 4]], [], [[5]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]] + matrices(7, square=True))

# ---- more train tasks: concepts eval uses, in other tasks -------------------------

task(T, "halve-each", 1, ["lists", "map", "divide"], "Return a list with each number of the list `xs` divided by two, rounded down.",
     "def halve_each(xs: list[int]) -> list[int]", "def halve_each(xs):\n    return [x // 2 for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(T, "cube-each", 1, ["lists", "map", "cube"], "Return a list with the cube of each number of the list `xs`.",
     "def cube_each(xs: list[int]) -> list[int]", "def cube_each(xs):\n    return [x * x * x for x in xs]\n",
     [[1, 2, 3], [], [-4], [0, 5]] + lists(7))
task(T, "max-of-three", 2, ["numbers", "max"], "Return the largest of `a`, `b` and `c`.",
     "def max_of_three(a: int, b: int, c: int) -> int", "def max_of_three(a, b, c):\n    return max(a, max(b, c))\n",
     [(1, 2, 3), (5, 3, 4), (-1, -4, -2), (0, 0, 0), (7, 7, 1), (-3, 3, 0), (10, -10, 5), (2, 9, 9)])
task(T, "last-three", 1, ["lists", "last", "slice"], "Return the last three numbers of the list `xs` (all of them if it is shorter).",
     "def last_three(xs: list[int]) -> list[int]", "def last_three(xs):\n    return xs[-3:]\n",
     [[1, 2, 3, 4], [], [5], [7, 8]] + lists(7))
task(T, "sum-but-first", 2, ["lists", "sum", "slice"], "Return the sum of all the numbers of the list `xs` except the first.",
     "def sum_but_first(xs: list[int]) -> int", "def sum_but_first(xs):\n    return sum(xs[1:])\n",
     [[1, 2, 3], [], [5], [4, -4, 1]] + lists(7))
task(T, "subtract", 1, ["numbers", "subtract"], "Return `a` minus `b`.",
     "def subtract(a: int, b: int) -> int", "def subtract(a, b):\n    return a - b\n",
     [(5, 3), (0, 0), (-2, 4), (10, -10), (3, 9), (7, 7), (-5, -8), (100, 1)])
task(T, "negate", 1, ["numbers", "negate"], "Return `n` with its sign flipped.",
     "def negate(n: int) -> int", "def negate(n):\n    return -n\n", [3, 0, -4, 7, 12, -1, 5, -100])
task(T, "is-zero", 1, ["numbers", "zero", "bool"], "Return whether `n` is zero.",
     "def is_zero(n: int) -> bool", "def is_zero(n):\n    return n == 0\n", [0, 1, -1, 7, 5, 100, -3, 2])
task(T, "product-of-two", 1, ["numbers", "multiply"], "Return `a` times `b`.",
     "def product_of_two(a: int, b: int) -> int", "def product_of_two(a, b):\n    return a * b\n",
     [(5, 3), (0, 9), (-2, 4), (10, -10), (3, 9), (7, 7), (-5, -8), (1, 1)])
task(T, "strip-spaces", 1, ["strings", "spaces", "strip"], "Return the string `s` without the spaces at its start and end.",
     "def strip_spaces(s: str) -> str", "def strip_spaces(s):\n    return s.strip()\n",
     ["  hi  ", "", "x", " a b "] + ["  " + x + " " for x in sentences(7)])
task(T, "split-words", 1, ["strings", "words", "split"], "Return the list of the words of the string `s`; words are separated by spaces.",
     "def split_words(s: str) -> list[str]", "def split_words(s):\n    return s.split()\n",
     ["hello world", "", "one", " a  b "] + sentences(7))
task(T, "join-spaces", 1, ["strings", "join", "words"], "Return the strings of the list `words` joined by single spaces.",
     "def join_spaces(words: list[str]) -> str", "def join_spaces(words):\n    return ' '.join(words)\n",
     [["a", "b"], [], ["one"], ["x", "yz"]] + [x.split() for x in sentences(7)])
task(T, "count-word", 2, ["strings", "words", "count"], "Return how many words of the string `s` are equal to the word `w`; words are separated by spaces.",
     "def count_word(s: str, w: str) -> int", "def count_word(s, w):\n    return s.split().count(w)\n",
     [("a b a", "a"), ("", "x"), ("sun sky", "moon"), ("go go go", "go")] + [(x, rng.choice(WORDS)) for x in sentences(7, 2, 9)])
task(T, "lower-words", 2, ["strings", "words", "case", "map"], "Return the list of the words of the string `s` in lower case; words are separated by spaces.",
     "def lower_words(s: str) -> list[str]", "def lower_words(s):\n    return [w.lower() for w in s.split()]\n",
     ["Hello World", "", "ONE", "a B c"] + [x.title() for x in sentences(7)])
task(T, "remove-char", 2, ["strings", "replace"], "Return the string `s` without any occurrence of the character `c`.",
     "def remove_char(s: str, c: str) -> str", "def remove_char(s, c):\n    return s.replace(c, '')\n",
     [("hello", "l"), ("", "a"), ("banana", "a"), ("sky", "z")] + [(x, rng.choice("aeiost ")) for x in sentences(7)])
task(T, "widest-row", 2, ["nested", "max", "length"], "Return the length of the longest row of the list of lists `m`, which has at least one row.",
     "def widest_row(m: list[list[int]]) -> int", "def widest_row(m):\n    return max([len(row) for row in m])\n",
     [[[1, 2], [3, 4, 5]], [[]], [[5]], [[1], [], [2, 3]]] + matrices(7))
task(T, "matrix-count-evens", 3, ["nested", "count", "even"], "Return how many even numbers the list of lists `m` holds in all.",
     "def matrix_count_evens(m: list[list[int]]) -> int", "def matrix_count_evens(m):\n    return len([x for row in m for x in row if x % 2 == 0])\n",
     [[[1, 2], [3, 4]], [], [[5]], [[0], [], [2, 3]]] + matrices(7))
task(T, "subtract-pairwise", 2, ["lists", "pairs", "subtract"], "Return the list of the differences xs[i] - ys[i] of the lists `xs` and `ys`, which have the same length.",
     "def subtract_pairwise(xs: list[int], ys: list[int]) -> list[int]", "def subtract_pairwise(xs, ys):\n    return [x - y for x, y in zip(xs, ys)]\n",
     [([1, 2], [3, 4]), ([], []), ([5], [-5]), ([0, 1, 2], [2, 1, 0])] + [(a, ints(len(a))) for a in lists(7)])
task(T, "is-odd-length", 2, ["lists", "bool", "length", "odd"], "Return whether the list `xs` holds an odd number of numbers.",
     "def is_odd_length(xs: list[int]) -> bool", "def is_odd_length(xs):\n    return len(xs) % 2 == 1\n",
     [[1, 2, 3], [], [5], [2, 2]] + lists(7))
task(T, "count-long-words", 3, ["strings", "words", "count", "length"], "Return how many words of the string `s` are longer than `k` characters.",
     "def count_long_words(s: str, k: int) -> int", "def count_long_words(s, k):\n    return len([w for w in s.split() if len(w) > k])\n",
     [("the quick brown fox", 3), ("", 1), ("a bb ccc", 1), ("one", 5)] + [(x, rng.randint(1, 4)) for x in sentences(7)])


def write(split):
    directory = os.path.join(ROOT, split)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "tasks.jsonl"), "w") as out:
        for t in TASKS[split]:
            out.write(json.dumps(t) + "\n")
    print("%s: %d tasks" % (split, len(TASKS[split])))


if __name__ == "__main__":
    train_ids = {t["task_id"] for t in TASKS["train"]}
    eval_ids = {t["task_id"] for t in TASKS["eval"]}
    train_entries = {t["entry_point"] for t in TASKS["train"]}
    clash = eval_ids & train_ids or {t["entry_point"] for t in TASKS["eval"]} & train_entries
    if clash:
        sys.exit("train and eval share tasks: %s" % sorted(clash))
    write("train")
    write("eval")
