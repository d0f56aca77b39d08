"""FileCheck-style checks of printed IR for pytest."""

import re


def check_in_order(text, patterns):
    """Asserts that the regular expressions `patterns` match `text` in
    order, each after the previous match; returns the matches."""
    pos = 0
    matches = []
    for pattern in patterns:
        m = re.compile(pattern).search(text, pos)
        assert m, (f"pattern {pattern!r} not found after offset {pos} in:\n"
                   f"{text}")
        matches.append(m)
        pos = m.end()
    return matches


def check_not(text, pattern):
    assert not re.search(pattern, text), \
        f"pattern {pattern!r} unexpectedly found in:\n{text}"


def functions(text):
    """The names of the functions printed in `text`."""
    return re.findall(r"(?:tir\.func|func\.func) @(\w+)", text)


def function_body(text, name):
    """The text of function `name` (from its header to its closing brace
    at the same indentation)."""
    m = re.search(r"^( *)(?:tir\.func|func\.func) @" + name + r"\b.*$",
                  text, re.M)
    assert m, f"function @{name} not found in:\n{text}"
    indent = m.group(1)
    end = re.compile("^" + indent + r"\}$", re.M).search(text, m.end())
    return text[m.start():end.end()]
