"""Errors the user can fix: catalog Problems (file, line, entry, field) and command-line mistakes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_SHOWN = 200  # problems printed; the rest are counted
HIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Zl", "Zp")  # Unicode categories a terminal or a reader cannot see as text


def printable(text: str) -> str:
    """``text`` safe for a terminal: control, format and surrogate characters written as escapes (ESC as \\x1b)."""
    return "".join(c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if unicodedata.category(c) in HIDDEN_CATEGORIES else c for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the catalog, located as precisely as the YAML allows."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.line and self.column:
            where += f":{self.column}"
        parts = [f"entry '{self.entry}'"] if self.entry else []
        if self.field:
            parts.append(f"field '{self.field}'")
        return printable(": ".join([where, *([", ".join(parts)] if parts else []), self.message]))


class CatalogError(Exception):
    """The catalog cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        unique = dict.fromkeys(problems)  # the same slip found twice (e.g. one source id cited twice) is said once
        self.problems = sorted(unique, key=lambda p: (p.file, p.line or 0, p.column or 0, p.field or "", p.message))
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """The problems as lines, at most MAX_SHOWN of them and a count of the rest."""
        shown = [str(p) for p in self.problems[:MAX_SHOWN]]
        rest = len(self.problems) - MAX_SHOWN
        return shown + ([f"... and {rest:,} more (fix these first)"] if rest > 0 else [])


class NoCatalog(CatalogError):
    """The catalog folder holds none of the catalog's files (e.g. corridors run outside the project)."""


class UsageError(Exception):
    """A mistake on the command line that no catalog edit fixes (an output path that cannot be used)."""
