"""Entry point of a test job: `python -I -S /harness/run_tests.py`.

The warm interpreter has imported `runner` already; a cold one finds it here.
"""
import os
import sys

if "runner" not in sys.modules:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402

runner.main()
