"""The map's search box as people type into it: ranks, short lists, suggestions for typos, corridors lit
up and fitted, and an address that keeps what was found."""

from __future__ import annotations

from browser import open_page
from conftest import ROOT

MAPS = ROOT / "maps"
MAP = "Object.values(window).find(v => v instanceof L.Map)"


def _search(page, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    box = page.locator(".cm-search input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_timeout(50)
    return page.locator(".cm-search-list button").all_inner_texts()


def test_exact_matches_open_at_once_and_several_open_a_short_list() -> None:
    with open_page(MAPS / "index.html") as (page, errors, _):
        assert _search(page, "Alat") == []  # the port's own id and word: straight to it, not to "Alataw Pass"
        page.locator(".leaflet-popup-content h3", has_text="Port of Baku (Alat)").wait_for(timeout=3000)
        assert "find=alat" in page.evaluate("location.hash")
        for label, name in (("Turkmenbashi port", "Port of Turkmenbashi"), ("Altynkol / Khorgos", "Altynkol / Nur Zholy (Khorgos)")):
            page.evaluate(f"() => {MAP}.closePopup()")
            assert _search(page, label) == []  # a label written on the map opens its hub at once
            page.locator(".leaflet-popup-content h3", has_text=name).wait_for(timeout=3000)
        page.evaluate(f"() => {MAP}.closePopup()")
        choices = _search(page, "port of")  # several at the same rank: a short list, best first
        assert {"Port of Aktau", "Port of Poti", "Port of Kuryk"} <= set(choices) and len(choices) <= 8, choices
        choices = _search(page, "Alata")  # the start of an alias ("Alataw Pass") before a mere part
        assert choices[0] == "Alashankou", choices
        page.locator(".cm-search-list button").first.click()
        page.locator(".leaflet-popup-content h3", has_text="Alashankou").wait_for(timeout=3000)
        assert errors == []


def test_a_typing_error_gets_the_nearest_names() -> None:
    with open_page(MAPS / "index.html") as (page, errors, _):
        for typed, meant in (("Aktua", "Port of Aktau"), ("Dostik", "Dostyk"), ("Moyinty", "Moyynty")):
            choices = _search(page, typed)
            assert meant in choices, (typed, choices)
            assert "Did you mean" in page.locator(".cm-search-status").inner_text()
        assert _search(page, "Quxzyplat") == []
        assert "No hub, route or corridor" in page.locator(".cm-search-status").inner_text()
        assert errors == []


def test_a_corridor_found_is_lit_fitted_and_kept_in_the_address() -> None:
    with open_page(MAPS / "index.html") as (page, errors, _):
        _search(page, "Middle Corridor")
        lit = page.locator("path.cm-lit")
        assert lit.count() >= 10  # every leg of the Trans-Caspian route
        width = float(lit.first.evaluate("p => getComputedStyle(p).strokeWidth").rstrip("px"))
        assert width >= 8
        ends = page.evaluate(f"() => [[34.6, 119.2], [44.17, 28.65], [40.0, 49.9]].map(p => {MAP}.getBounds().contains(p))")
        assert all(ends), ends  # Lianyungang, Constanța and the Caspian crossing in view
        assert "find=titr" in page.evaluate("location.hash")
    with open_page(MAPS / "index.html", fragment="FIND=TITR") as (page, errors, _):  # a shared address, in any case
        assert page.locator("path.cm-lit").count() >= 10
        assert errors == []
