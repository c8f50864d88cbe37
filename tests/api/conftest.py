import sys


def pytest_terminal_summary(terminalreporter):
    """The hostile-input walk's counts (tests/api/test_hostile_input.py), when it ran."""
    module = sys.modules.get("tests.api.test_hostile_input")
    for line in module.summary() if module else []:
        terminalreporter.write_line(line)
