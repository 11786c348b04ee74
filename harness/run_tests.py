"""Entry point of a cold test job: `python -I -S /harness/run_tests.py`.
(A warm standby runs `runner.test_job` itself.)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runner  # noqa: E402

runner.main()
