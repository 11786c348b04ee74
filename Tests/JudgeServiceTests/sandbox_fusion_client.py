"""Drives `crucible serve` with SandboxFusion's own client (the
`sandbox-fusion` package from PyPI, unmodified): its request and response
models, its sync and async calls, and its summary of a result.

    python sandbox_fusion_client.py ENDPOINT

Prints one line per case, `ok NAME` or `FAILED NAME: why`; exits 1 when
any case failed.
"""
import asyncio
import base64
import sys

from sandbox_fusion import (RunCodeRequest, RunStatus, CommandRunStatus, SummaryMapping, run_code, run_code_async,
                            set_sandbox_endpoint, summary_run_code_result)

endpoint = sys.argv[1]
set_sandbox_endpoint(endpoint)
failures = 0


def case(name, request, check, **kwargs):
    global failures
    try:
        response = run_code(RunCodeRequest(**request), max_attempts=1, client_timeout=300, **kwargs)
        problem = check(response)
    except Exception as error:  # the client raises on a SandboxError
        problem = check(error)
    if problem:
        failures += 1
        print("FAILED %s: %s" % (name, problem))
    else:
        print("ok %s" % name)


def expect(**wanted):
    """A check: every path (run_result.stdout, status, ...) equals its value."""
    def check(response):
        if isinstance(response, Exception):
            return "raised %r" % response
        for path, value in wanted.items():
            got = response
            for part in path.split("__"):
                got = getattr(got, part) if not isinstance(got, dict) else got.get(part)
            if got != value:
                return "%s is %r, not %r (response %s)" % (path, got, value, response)
        return None
    return check


case("ok", {"code": "print('hello')", "language": "python"},
     expect(status=RunStatus.Success, run_result__status=CommandRunStatus.Finished, run_result__return_code=0,
            run_result__stdout="hello\n"))

case("error", {"code": "import sys\nprint('partial')\nraise ValueError('no such thing')", "language": "python"},
     lambda r: expect(status=RunStatus.Failed, run_result__status=CommandRunStatus.Finished,
                      run_result__return_code=1, run_result__stdout="partial\n")(r)
     or (None if "ValueError: no such thing" in r.run_result.stderr else "stderr %r" % r.run_result.stderr))

case("exit code", {"code": "import sys\nsys.exit(3)", "language": "python"},
     expect(status=RunStatus.Failed, run_result__return_code=3))

case("timeout", {"code": "while True:\n    pass", "language": "python", "run_timeout": 1},
     lambda r: expect(status=RunStatus.Failed, run_result__status=CommandRunStatus.TimeLimitExceeded)(r)
     or (None if 0.9 <= r.run_result.execution_time < 10 else "execution_time %r" % r.run_result.execution_time))

case("sleep past the timeout", {"code": "import time\ntime.sleep(30)", "language": "python", "run_timeout": 1},
     expect(status=RunStatus.Failed, run_result__status=CommandRunStatus.TimeLimitExceeded))

case("stdin", {"code": "a, b = map(int, input().split())\nprint(a + b)", "language": "python", "stdin": "2 40\n"},
     expect(status=RunStatus.Success, run_result__stdout="42\n"))

case("python3 is python", {"code": "import sys\nprint(sys.version_info[0])", "language": "python"},
     expect(status=RunStatus.Success, run_result__stdout="3\n"))

payload = bytes(range(256)) * 4
case("files and fetch_files",
     {"code": "data = open('in/data.bin', 'rb').read()\nopen('out.bin', 'wb').write(data[::-1])\nprint(len(data))",
      "language": "python", "files": {"in/data.bin": base64.b64encode(payload).decode()},
      "fetch_files": ["out.bin"]},
     lambda r: expect(status=RunStatus.Success, run_result__stdout="1024\n")(r)
     or (None if base64.b64decode(r.files.get("out.bin", "")) == payload[::-1] else "files %r" % list(r.files)))

case("a link to a file outside is not fetched",
     {"code": "import os\nos.symlink('/etc/passwd', 'leak')", "language": "python", "fetch_files": ["leak"]},
     lambda r: None if r.files == {} else "files %r" % list(r.files))

case("an unsupported language is a SandboxError, never a pass", {"code": "int main() {}", "language": "cpp"},
     lambda r: None if isinstance(r, Exception) and "not run by this service" in str(r) else "got %r" % (r,))

mapping = SummaryMapping(Success="AC", Failed="WA", RunTimeout="TLE", RunFailed="RE")
response = run_code(RunCodeRequest(code="while True: pass", language="python", run_timeout=1), max_attempts=1)
summary = summary_run_code_result(response, mapping)
if summary != "TLE":
    failures += 1
    print("FAILED summary of a timeout: %r" % summary)
else:
    print("ok summary of a timeout")


async def concurrent():
    requests = [RunCodeRequest(code="print(%d * %d)" % (i, i), language="python") for i in range(16)]
    responses = await asyncio.gather(*(run_code_async(r, max_attempts=1) for r in requests))
    return [r.run_result.stdout for r in responses] == ["%d\n" % (i * i) for i in range(16)]

if asyncio.run(concurrent()):
    print("ok async client, 16 at once")
else:
    failures += 1
    print("FAILED async client, 16 at once")

sys.exit(1 if failures else 0)
