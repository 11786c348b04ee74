import Testing

@testable import LanguageModel

@Suite(.timeLimit(.minutes(10))) struct ExtractionTests {
  /// Chat answers of the kinds models really give, and the program in each.
  static let chatCases: [(name: String, answer: String, program: String?)] = [
    ("one fenced block", "```python\ndef f(x):\n    return x + 1\n```", "def f(x):\n    return x + 1\n"),
    (
      "prose around the block",
      "Sure! Here is the function:\n\n```python\ndef f(x):\n    return x + 1\n```\n\nThis adds one to x.",
      "def f(x):\n    return x + 1\n"
    ),
    (
      "a usage block before the definition",
      "Call it like this:\n```python\nprint(f(2))\n```\nThe code:\n```py\ndef f(x):\n    return x * 2\n```",
      "def f(x):\n    return x * 2\n"
    ),
    (
      "a shell block is not the program",
      "```bash\npip install numpy\n```\n```\ndef f(x):\n    return -x\n```", "def f(x):\n    return -x\n"
    ),
    (
      "a fence left open at the token limit",
      "```python\ndef f(x):\n    total = 0\n    for i in range(x):\n        total += i",
      "def f(x):\n    total = 0\n    for i in range(x):\n        total += i\n"
    ),
    ("bare code", "def f(x):\n    return x % 3\n", "def f(x):\n    return x % 3\n"),
    (
      "bare code, then prose",
      "Here you go.\nimport math\ndef f(x):\n    return math.isqrt(x)\nThat uses isqrt.",
      "import math\ndef f(x):\n    return math.isqrt(x)\n"
    ),
    (
      "reasoning first",
      "<think>Maybe ```python\ndef f(x): return 0\n```</think>\n```python\ndef f(x):\n    return 1\n```",
      "def f(x):\n    return 1\n"
    ),
    ("CRLF and trailing spaces", "```python\r\ndef f(x):   \r\n    return x\r\n```", "def f(x):\n    return x\n"),
    ("no code at all", "I cannot help with that request.", nil),
    ("an empty fence", "```python\n```", nil),
  ]

  @Test("Chat answers: the program is found in messy real shapes", arguments: chatCases)
  func chat(_ example: (name: String, answer: String, program: String?)) {
    #expect(CodeExtraction.fromChat(example.answer, entryPoint: "f") == example.program, "\(example.name)")
  }

  static let prompt = "def f(xs):\n    \"\"\"Sum of xs.\n    >>> f([1, 2])\n    3\n    \"\"\"\n"

  static let completionCases: [(name: String, completion: String, body: String?)] = [
    ("a body", "    return sum(xs)\n", "    return sum(xs)\n"),
    ("a body, then the next function", "    return sum(xs)\n\n\ndef g(ys):\n    pass\n", "    return sum(xs)\n"),
    ("a body, then a test", "    return sum(xs)\nassert f([1]) == 1\nprint(f([]))", "    return sum(xs)\n"),
    (
      "blank lines inside the body", "    t = 0\n\n    for x in xs:\n        t += x\n    return t\n",
      "    t = 0\n\n    for x in xs:\n        t += x\n    return t\n"
    ),
    ("a closing fence", "    return sum(xs)\n```\nExplanation", "    return sum(xs)\n"),
    ("nothing", "\n\n", nil),
    ("straight to top level", "print('hi')\n", nil),
  ]

  @Test("Completions: the prompt plus the body, up to the function's end", arguments: completionCases)
  func completion(_ example: (name: String, completion: String, body: String?)) {
    let program = CodeExtraction.fromCompletion(example.completion, prompt: Self.prompt)
    #expect(program == example.body.map { Self.prompt + $0 }, "\(example.name)")
  }

  static let sumProgram = "import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n"

  /// Chat answers for a standard-input task: the whole program is kept,
  /// with no entry point to look for.
  static let programCases: [(name: String, answer: String, program: String?)] = [
    ("one fenced block", "```python\n\(sumProgram)```", sumProgram),
    ("prose around the block", "Read both, add.\n\n```py\n\(sumProgram)```\n\nThis runs in O(1).", sumProgram),
    (
      "a helper block first, then the program that reads input",
      "The helper:\n```python\ndef add(a, b):\n    return a + b\n```\nThe program:\n```python\n\(sumProgram)```",
      sumProgram
    ),
    (
      "a sample's input and output blocks are not the program",
      "Input:\n```\n1 2\n```\nOutput:\n```text\n3\n```\n```python\n\(sumProgram)```", sumProgram
    ),
    (
      "a solve function called at the end: the whole program",
      "```python\nimport sys\n\ndef solve():\n    n = int(input())\n    print(n * 2)\n\nsolve()\n```",
      "import sys\n\ndef solve():\n    n = int(input())\n    print(n * 2)\n\nsolve()\n"
    ),
    (
      "bare code starting with an assignment, then prose",
      "Here you go.\nn, k = map(int, input().split())\nxs = list(map(int, input().split()))\nxs[0] += k\n"
        + "print(sum(xs) - n)\nThis adds k to the first number.",
      "n, k = map(int, input().split())\nxs = list(map(int, input().split()))\nxs[0] += k\nprint(sum(xs) - n)\n"
    ),
    (
      "a fence left open at the token limit", "```python\nimport sys\nfor line in sys.stdin:\n    print(line",
      "import sys\nfor line in sys.stdin:\n    print(line\n"
    ),
    (
      "reasoning first", "<think>```python\nprint(0)\n```</think>\n```python\n\(sumProgram)```", sumProgram
    ),
    ("no code at all", "I would read the numbers and add them.", nil),
    ("only a shell block", "```bash\npython3 main.py < in.txt\n```", nil),
  ]

  @Test("Chat answers for a program: the whole program, no entry point required", arguments: programCases)
  func program(_ example: (name: String, answer: String, program: String?)) {
    #expect(CodeExtraction.programFromChat(example.answer) == example.program, "\(example.name)")
  }

  @Test("A prompt that ends mid-line: the completion's first line finishes it")
  func openLine() {
    let program = CodeExtraction.fromCompletion(" xs[0]\n", prompt: "def f(xs):\n    return")
    #expect(program == "def f(xs):\n    return xs[0]\n")
  }
}
