# What prog.py and progf.py share: gen.py's methods (names and signature numbers) and how a wrapper passes the span.
import re

HEADER = ["using System;", "namespace Fz;", "public static class P", "{", "static readonly int[] Perm = { 3, 1, 4, 0, 2 };"]


def read(path):
    src = open(path).read()
    return list(zip(re.findall(r"public static double (F\d+)\(", src), [int(m) for m in re.findall(r"// sig (\d)", src)]))


def span(signature, array):
    """The span argument over the first five entries of the wrapper's array, for signatures 0 to 3."""
    return f"{array}[..5]" if signature == 1 else f"{array}.AsSpan(0, 5)"


def permutation(signature):
    return ", Perm" if signature == 3 else ""
