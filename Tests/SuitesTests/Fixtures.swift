import Foundation

/// Small suites written for these tests (not copied from any dataset).
enum Fixtures {
  static let humanEval = """
    {"task_id": "Demo/0", "prompt": "def add(a: int, b: int) -> int:\\n    \\"\\"\\"Add two numbers.\\n    >>> add(1, 2)\\n    3\\n    \\"\\"\\"\\n", "canonical_solution": "    return a + b\\n", "test": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n    assert candidate(-1, 1) == 0\\n", "entry_point": "add"}
    {"task_id": "Demo/1", "prompt": "def helper(x):\\n    return x * 2\\n\\n\\ndef double_all(xs: list) -> list:\\n    \\"\\"\\"Double every element.\\"\\"\\"\\n", "canonical_solution": "    return [helper(x) for x in xs]\\n", "test": "def check(candidate):\\n    assert candidate([1, 2]) == [helper(1), helper(2)]\\n", "entry_point": "double_all"}
    """

  static let mbpp = """
    {"task_id": 11, "text": "Write a function to count vowels in a string.", "code": "def count_vowels(s):\\n    return sum(c in 'aeiou' for c in s)", "test_list": ["assert count_vowels('hello') == 2", "assert count_vowels('xyz') == 0", "assert count_vowels('aeiou') == 5"], "test_setup_code": "", "challenge_test_list": []}
    {"task_id": 12, "text": "Write a function to find the largest of three numbers.", "code": "import math\\ndef max_of_three(a, b, c):\\n    return max(a, b, c)", "test_list": ["assert max_of_three(1, 2, 3) == 3", "assert max_of_three(5, 2, 3) == 5"], "test_setup_code": ""}
    """

  static let crucible = """
    {"task_id": "pairs", "prompt": "Return the pairs (i, x) of the list's items.", "entry_point": "pairs", "signature": "def pairs(xs: list[int]) -> list[tuple[int, int]]", "solution": "def pairs(xs):\\n    return list(enumerate(xs))\\n", "tests": [{"args": [[5, 6]], "expected": [{"tuple": [0, 5]}, {"tuple": [1, 6]}]}, {"args": [[]], "expected": []}, {"args": [[1]], "expected": [{"tuple": [0, 1]}]}], "public": 1, "tags": ["lists"], "level": 1}
    {"task_id": "keys", "prompt": "Return the set of keys.", "entry_point": "keys", "solution": "def keys(d):\\n    return set(d)\\n", "tests": [{"args": [{"a": 1, "b": 2}], "expected": {"set": ["a", "b"]}}, {"args": [{}], "expected": {"set": []}}], "test": "def check(candidate):\\n    assert candidate({1: 2}) == {1}\\n"}
    """

  /// A fresh directory holding `files` (relative path to contents).
  static func directory(_ files: [String: String]) throws -> String {
    let root = NSTemporaryDirectory() + "crucible-suites-\(UUID().uuidString.prefix(8))"
    for (path, text) in files {
      let full = "\(root)/\(path)"
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try text.write(toFile: full, atomically: true, encoding: .utf8)
    }
    return root
  }

  static let taskDirectory: [String: String] = [
    "t/reverse/task.json":
      #"{"entry_point": "rev", "signature": "def rev(s: str) -> str", "level": 1, "tags": ["strings"], "public": 1}"#,
    "t/reverse/prompt.md": "Reverse the string.\n",
    "t/reverse/solution.py": "def rev(s):\n    return s[::-1]\n",
    "t/reverse/tests.jsonl": "{\"args\": [\"abc\"], \"expected\": \"cba\"}\n{\"args\": [\"\"], \"expected\": \"\"}\n",
    "t/reverse/test.py": "def check(candidate):\n    assert candidate('ab') == 'ba'\n",
  ]
}
