"""Errors the user can fix: catalog Problems (file, line, entry, field) and command-line mistakes."""

from __future__ import annotations

from dataclasses import dataclass


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
        return ": ".join([where, *([", ".join(parts)] if parts else []), self.message])


class CatalogError(Exception):
    """The catalog cannot be used; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]):
        unique = dict.fromkeys(problems)  # the same slip found twice (e.g. one source id cited twice) is said once
        self.problems = sorted(unique, key=lambda p: (p.file, p.line or 0, p.column or 0, p.field or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class NoCatalog(CatalogError):
    """The catalog folder holds none of the catalog's files (e.g. corridors run outside the project)."""


class UsageError(Exception):
    """A mistake on the command line that no catalog edit fixes (an output path that cannot be used)."""
