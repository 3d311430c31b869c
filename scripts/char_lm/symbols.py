"""The character model's symbols, shared by the scripts that count its training text.

Chars are mapped before counting (ASCII letters to `a`, ASCII digits to `0`, as
`src/correct/char_lm.rs` maps them), and every whitespace-separated segment of a line is
read between BOS and EOS.
"""

BOS, EOS = "\x02", "\x03"


def norm(c):
    """The model's symbol for char `c`."""
    if "a" <= c <= "z" or "A" <= c <= "Z":
        return "a"
    if "0" <= c <= "9":
        return "0"
    return c


def segments(specs):
    """(symbols between BOS and EOS, weight) of every segment of the files named
    `PATH[:WEIGHT]` in `specs`."""
    for spec in specs:
        path, _, w = spec.partition(":")
        w = int(w or 1)
        for line in open(path, encoding="utf-8"):
            for seg in line.split():
                yield BOS + "".join(norm(c) for c in seg) + EOS, w
