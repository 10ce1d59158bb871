"""The committed layers/ and maps/ equal what `corridors build` makes of the committed catalog."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_cli


def test_committed_outputs_are_fresh(tmp_path: Path) -> None:
    result = run_cli("build", "--layers", str(tmp_path / "layers"), "--maps", str(tmp_path / "maps"))
    assert result.returncode == 0, result.stderr
    for folder in ("layers", "maps"):
        built = sorted(p.name for p in (tmp_path / folder).iterdir())
        committed = sorted(p.name for p in (ROOT / folder).iterdir())
        assert built == committed, f"{folder}/ holds other files than a build makes"
        for name in built:
            assert (tmp_path / folder / name).read_bytes() == (ROOT / folder / name).read_bytes(), (
                f"{folder}/{name} is stale: run `corridors build` and commit the result"
            )


def test_catalog_holds_the_articles_projects_and_corridors() -> None:
    listing = run_cli("list").stdout
    for entry_id in ("titr", "wewc", "dostyk-moyynty", "bakhty-ayagoz", "darbaza-maktaaral",
                     "zhanaozen-turkmenistan-border", "aktau-container-hub", "aktau", "kuryk", "alat",
                     "turkmenbashi", "poti", "batumi", "dostyk", "alashankou", "altynkol", "bakhty",
                     "temir-baba", "maktaaral", "moyynty", "aktogay", "ayagoz", "beyneu", "astana", "almaty",
                     "dushanbe", "tashkent", "ashgabat", "ulaanbaatar", "kazan"):
        assert f"  {entry_id} " in listing, entry_id
