"""Guards on the code base itself: checks that keep the rules of DESIGN.md from drifting.

- no module imports another brick's private names (`from dui.x.y import _name`);
- every test asserts something that would fail if the feature broke.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DUI = ROOT / "dui"
TESTS = ROOT / "tests"


def _python_files(base: Path):
    for path in sorted(base.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _brick_of(path: Path) -> str:
    return path.relative_to(DUI).parts[0]


def test_no_module_imports_the_private_names_of_another_brick():
    offences = []
    for path in _python_files(DUI):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            parts = node.module.split(".")
            if parts[0] != "dui" or len(parts) < 2 or parts[1] == _brick_of(path):
                continue
            private = [a.name for a in node.names if a.name.startswith("_")]
            private_module = any(p.startswith("_") for p in parts[2:])
            if private or private_module:
                offences.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} imports "
                    f"{node.module}.{', '.join(private) or '*'}"
                )
    assert not offences, "Private names of another brick imported:\n  " + "\n  ".join(offences)


# Calls that assert on behalf of the test (helpers of tests/ and pytest's own).
ASSERTING_CALLS = {"raises", "warns", "fail", "assert_refused", "assert_service_refused"}


def _asserts(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in ASSERTING_CALLS or (name or "").startswith(("assert_", "expect")):
                return True
            if name and name.startswith("django_assert_"):
                return True
        if isinstance(node, ast.With):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call):
                    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                    if name in ASSERTING_CALLS or (name or "").startswith(
                        ("assert", "django_assert")
                    ):
                        return True
    return False


def _helpers_that_assert() -> set[str]:
    """Plain functions of the test modules that assert: calling one asserts too."""
    names = set()
    for path in _python_files(TESTS):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef)
                and not node.name.startswith("test_")
                and _asserts(node)
            ):
                names.add(node.name)
    return names


def test_every_test_asserts_something():
    helpers = _helpers_that_assert()
    silent = []
    for path in _python_files(TESTS):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            if _asserts(node):
                continue
            called = {
                getattr(c.func, "attr", None) or getattr(c.func, "id", None)
                for c in ast.walk(node)
                if isinstance(c, ast.Call)
            }
            if called & helpers:
                continue
            silent.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not silent, "These tests assert nothing:\n  " + "\n  ".join(silent)
