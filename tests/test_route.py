"""`corridors route`: paths, time and distance, avoidance, modes, ties, no path, bad input, and the --map page.

Most cases run on tests/catalogs/routing (real places, invented times): a fast rail line Almaty–
Taraz–Shymkent that passes through Kyrgyzstan, a shorter slow road Almaty–Shymkent, rail on to
Tashkent, and the same Tashkent–Dushanbe road twice (zz-road written before aa-road).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from browser import open_page
from conftest import ROOT, run_cli

from geo.catalog import load_catalog
from geo.layers import build_layers
from geo.routing import NoRoute, edges, find_path

ROUTING = ROOT / "tests" / "catalogs" / "routing"


def _route(*args: str, catalog: Path = ROUTING) -> tuple[int, str, str]:
    result = run_cli("--catalog", str(catalog), "route", *args)
    return result.returncode, result.stdout, result.stderr


def _json(*args: str, catalog: Path = ROUTING) -> dict:
    status, out, err = _route(*args, "--format", "json", catalog=catalog)
    assert status == 0, err
    return json.loads(out)


def test_by_time_takes_the_fast_line_and_counts_the_dwell() -> None:
    found = _json("almaty", "tashkent")
    assert [leg["route"] for leg in found["legs"]] == ["rail-almaty-shymkent", "rail-almaty-shymkent", "rail-shymkent-tashkent"]
    assert [leg["to"] for leg in found["legs"]] == ["taraz", "shymkent", "tashkent"]
    assert found["stops"] == [{"hub": "shymkent", "days": [1.0, 1.0], "source": "test-times", "note": "a day at the junction"}]
    running = sum(leg["km"] for leg in found["legs"]) / 1000  # 1,000 km a day on the rail
    assert found["days"] == pytest.approx([running + 1, running + 1], abs=0.02)
    assert found["km"] == pytest.approx(sum(leg["km"] for leg in found["legs"]), abs=0.2)
    assert found["countries"] == ["KAZ", "KGZ", "KAZ", "UZB"]
    assert [(c["from_country"], c["to_country"]) for c in found["border_crossings"]] == [("KAZ", "KGZ"), ("KGZ", "KAZ"), ("KAZ", "UZB")]


def test_by_km_takes_the_shorter_road_and_the_legs_add_up_to_the_layer() -> None:
    found = _json("almaty", "shymkent", "--by", "km")
    assert [leg["route"] for leg in found["legs"]] == ["road-almaty-shymkent"]
    catalog = load_catalog(ROUTING)
    layer_km = build_layers(catalog)["routes"].loc["road-almaty-shymkent", "length_km"]
    assert found["km"] == pytest.approx(layer_km, abs=0.1)
    assert found["days"] == pytest.approx([found["km"] / 200, found["km"] / 100], abs=0.01)


def test_via_forces_the_path_through_a_hub() -> None:
    found = _json("almaty", "shymkent", "--by", "km", "--via", "Taraz")
    assert [leg["to"] for leg in found["legs"]] == ["taraz", "shymkent"]


def test_a_mode_filter_and_avoided_countries_can_leave_no_path() -> None:
    status, _, err = _route("almaty", "tashkent", "--mode", "road")
    assert status == 1 and "no route from Almaty to Tashkent by road" in err and "reaches only: Shymkent" in err
    status, _, err = _route("almaty", "dushanbe", "--avoid", "uzb")
    assert status == 1 and "avoiding UZB" in err
    status, _, err = _route("almaty", "shymkent", "--avoid", "KAZ")
    assert status == 1 and "Almaty is cut off" in err
    status, out, _ = _route("almaty", "shymkent", "--avoid", "KGZ")  # the WE-WC road keeps out of Kyrgyzstan
    assert status == 0 and "countries: KAZ" in out
    status, _, err = _route("tashkent", "dushanbe", "--avoid", "UZB")
    assert status == 1 and "no route" in err


def test_ties_go_to_the_first_id_whatever_the_order_of_the_file(tmp_path: Path) -> None:
    assert [leg["route"] for leg in _json("tashkent", "dushanbe")["legs"]] == ["aa-road"]
    swapped = tmp_path / "catalog"
    shutil.copytree(ROUTING, swapped)
    text = (swapped / "routes.yaml").read_text(encoding="utf-8")
    head, rest = text.split("- id: zz-road", 1)
    zz, aa = rest.split("- id: aa-road", 1)
    (swapped / "routes.yaml").write_text(head + "- id: aa-road" + aa.rstrip("\n") + "\n- id: zz-road" + zz, encoding="utf-8")
    assert list(load_catalog(swapped).routes)[-1] == "zz-road"
    assert [leg["route"] for leg in _json("tashkent", "dushanbe", catalog=swapped)["legs"]] == ["aa-road"]


def test_bad_input_is_exit_2_with_a_suggestion() -> None:
    status, out, err = _route("almatty", "tashkent")
    assert status == 2 and out == "" and "unknown hub 'almatty'" in err and "did you mean almaty (Almaty)" in err
    assert _route("almaty", "tashkent", "--mode", "rail,ship")[2].count("unknown mode 'ship'") == 1
    assert "unknown country code 'XX'" in _route("almaty", "tashkent", "--avoid", "XX")[2]
    status, _, err = _route("almaty", "tashkent", "--map", str(ROOT))
    assert status == 2 and "is a folder" in err
    status, _, err = _route("almaty", "Almaty")
    assert status == 2 and "a path needs two different hubs in a row" in err


def test_the_api_raises_no_route_with_what_is_reachable() -> None:
    catalog = load_catalog(ROUTING)
    found = edges(catalog, build_layers(catalog)["routes"])
    with pytest.raises(NoRoute) as none:
        find_path(catalog, found, ["almaty", "dushanbe"], modes=["rail"])
    assert none.value.reachable == ["shymkent", "taraz", "tashkent"]


def test_committed_catalog_answers_in_well_under_a_second_and_matches_published_figures() -> None:
    catalog = load_catalog(ROOT / "data")
    started = time.perf_counter()
    found = edges(catalog, build_layers(catalog)["routes"])
    caspian = find_path(catalog, found, ["xian", "alat"])
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    assert caspian.countries() == ["CHN", "KAZ", "AZE"]
    assert any(hub == "dostyk" for hub, _ in caspian.stops)  # the gauge change is counted
    low, high = caspian.days  # type: ignore[misc]
    assert low <= 11 <= high  # KTZ: Xi'an to Baku in 11 days (seanews-xian-baku-2024)
    low, high = find_path(catalog, found, ["xian", "poti"]).days  # type: ignore[misc]
    assert low <= 12 <= high  # Azerbaijan Railways: 12 days from China to the Georgian ports (newsaz-block-trains-2024)
    kazakhstan = find_path(catalog, found, ["altynkol", "aktau"], modes=["rail"])
    assert 3128 * 0.95 <= kazakhstan.km <= 3128 * 1.05  # KTZ: Altynkol to Aktau is 3,128 km (seanews-xian-baku-2024)
    with pytest.raises(NoRoute):
        find_path(catalog, found, ["urumqi", "moscow"], avoid=["KAZ"])


def test_the_map_of_a_path_opens_offline_with_numbered_legs_and_popups(tmp_path: Path) -> None:
    page_file = tmp_path / "path.html"
    status, out, err = _route("almaty", "dushanbe", "--map", str(page_file))
    assert status == 0, err
    html = page_file.read_text(encoding="utf-8")
    assert "<script src=" not in html and "Almaty → Dushanbe" in html
    with open_page(page_file) as (page, errors, blocked):
        page.wait_for_function("document.querySelectorAll('.cm-label').length > 0")
        assert errors == []
        assert all("tile" in url or url.startswith("http") for url in blocked)
        labels = page.evaluate("[...document.querySelectorAll('.cm-label')].map(e => e.textContent)")
        assert {"1. Almaty", "5. Dushanbe"} <= set(labels)
        assert "Almaty → Dushanbe: 1,039 km" in page.inner_text(".cm-intro")
        page.evaluate("""() => { const m = Object.values(window).find(v => v instanceof L.Map);
            m.eachLayer(l => { const p = l.getPopup && l.getPopup(), c = p && p.getContent();  // content made when opened
                if (c && String(typeof c === 'function' ? c(l) : c).includes('1. Almaty–Taraz')) l.openPopup(); }); }""")
        assert "Leg" in page.inner_text(".leaflet-popup-content") and "1 of 4" in page.inner_text(".leaflet-popup-content")
