"""Bad input, as people make it: each broken catalog gets a message naming file, line, entry and field,
exit status 2 and no change to the outputs of the last good build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import MINI, ROOT, snapshot

from geo.cli import main

CASES = yaml.safe_load((ROOT / "tests" / "broken" / "cases.yaml").read_text(encoding="utf-8"))


def _break(catalog: Path, case: dict) -> None:
    path = catalog / case["file"]
    if "pad_bytes" in case:
        path.write_text(path.read_text(encoding="utf-8") + "#" * case["pad_bytes"] + "\n", encoding="utf-8")
        return
    text = case["replace_all"] if "replace_all" in case else path.read_text(encoding="utf-8")
    if "replace_with_list" in case:  # [count, start, item, end]: a list of count items in flow style
        count, start, item, end = case["replace_with_list"]
        case = case | {"replace": start + ", ".join([item] * count) + end}
    if "append_entries" in case:  # [count, line]: that many one-line entries at the end of the file
        count, line = case["append_entries"]
        text += (line + "\n") * count
    if "find" in case:
        assert case["find"] in text, f"case {case['case']} no longer applies to the mini catalog"
        text = text.replace(case["find"], case["replace"], 1)
    path.write_bytes(text.encode(case.get("encoding", "utf-8")))


def test_the_corpus_covers_every_listed_mistake() -> None:
    assert len({c["case"] for c in CASES}) == len(CASES) >= 58


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_broken_catalog_is_explained_and_changes_nothing(
    case: dict, tmp_path: Path, mini_build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    out = tmp_path / "out"
    shutil.copytree(mini_build, out)  # the outputs of the last good build
    before = snapshot(out)
    _break(catalog, case)

    status = main(["--catalog", str(catalog), "build", "--layers", str(out / "layers"), "--maps", str(out / "maps")])
    message = capsys.readouterr().err
    assert status == 2, message
    assert "Traceback" not in message
    where = str(catalog / case["file"])
    if case.get("at"):
        text = (catalog / case["file"]).read_bytes().decode("utf-8", "replace")
        line = next(n for n, content in enumerate(text.splitlines(), 1) if case["at"] in content)
        where += f":{line}:" + (f"{case['column']}:" if "column" in case else "")
    assert where in message, message
    for words in case["say"]:
        assert words in message, message
    for words in case.get("never", []):
        assert words not in message, message
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "out"]  # nothing staged is left behind
