#!/usr/bin/env python3
"""Which of an operation's errors, as the model lists them, a test asserts.

For each operation named (all the model's operations that some test calls, when none is), prints
the errors schema/cognito-idp.json lists for it, each marked with the tests that call that
operation and name that error: a GoogleTest TEST/TEST_F block under tests/unit, or a pytest
`def test_` function under tests/e2e. A test counts for a pair when it mentions both the operation
(as "Operation" or boto3's operation_name) and the error's name; so read the tests it lists, not
only the count. The last line sums the pairs and how many have a test.

    scripts/error_coverage.py SignUp ConfirmSignUp       # two operations
    scripts/error_coverage.py --missing                  # only the errors no test asserts
"""
import argparse
import json
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def unit_blocks(path):
    """(name, text) for each TEST or TEST_F block of a C++ test file."""
    text = path.read_text()
    starts = [m for m in re.finditer(r"^TEST(?:_F|_P)?\((\w+),\s*(\w+)\)", text, re.M)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        yield f"{path.stem}:{m.group(2)}", text[m.start():end]


def e2e_blocks(path):
    """(name, text) for each top-level test function of a pytest file."""
    text = path.read_text()
    starts = [m for m in re.finditer(r"^(?:async )?def (test_\w+)", text, re.M)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        yield f"{path.stem}:{m.group(1)}", text[m.start():end]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operations", nargs="*")
    parser.add_argument("--missing", action="store_true", help="list only errors no test names")
    args = parser.parse_args()

    model = json.loads((root / "schema" / "cognito-idp.json").read_text())
    operations = model["operations"]
    blocks = [("unit", *b) for p in sorted((root / "tests" / "unit").rglob("*_test.cpp"))
              for b in unit_blocks(p)]
    blocks += [("e2e", *b) for p in sorted((root / "tests" / "e2e").glob("test_*.py"))
               for b in e2e_blocks(p)]

    def mentions(text, op):
        return f'"{op}"' in text or re.search(rf"\b{snake(op)}\b", text) is not None

    names = args.operations or sorted(
        op for op in operations if any(mentions(text, op) for _, _, text in blocks))
    unknown = [op for op in names if op not in operations]
    if unknown:
        sys.exit(f"not operations of the model: {', '.join(unknown)}")

    pairs = covered = 0
    for op in names:
        calling = [(kind, name, text) for kind, name, text in blocks if mentions(text, op)]
        lines = []
        for error in sorted(e["shape"] for e in operations[op].get("errors", [])):
            tests = [(kind, name) for kind, name, text in calling if f'"{error}"' in text]
            pairs += 1
            covered += bool(tests)
            if tests and not args.missing:
                shown = ", ".join(f"{kind} {name}" for kind, name in tests[:3])
                more = f" (+{len(tests) - 3})" if len(tests) > 3 else ""
                lines.append(f"  {error}: {shown}{more}")
            elif not tests:
                lines.append(f"  {error}: -")
        if lines:
            print(op)
            print("\n".join(lines))
    print(f"{covered} of {pairs} (operation, error) pairs have a test naming both")


if __name__ == "__main__":
    main()
