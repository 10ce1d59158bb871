"""Why a drawn line's length differs from the published one: the reasons named for every route whose
computed length is more than REASON_PCT off its official figure, in any of the maps' languages.

The reasons come from what the build measured (a schematic line; the share of the line drawn as
straight steps of STRAIGHT_KM or more, which cut the bends of the real track or road) and from the
catalog (``official_length_note``, a person's explanation such as a span that differs). The layers
carry them in English; popups, ``show`` and ``check`` write them from the same function.
"""

from __future__ import annotations

from typing import Any

from geo.i18n import t

REASON_PCT = 5.0  # a difference beyond this share of the official length needs a named reason
STRAIGHT_KM = 5.0  # a step of the drawn line this long is straight where the real track or road bends
STRAIGHT_SHARE = 0.25  # named as a reason when at least this share of the line lies in such steps


def reasons(row: dict[str, Any], note: str | None, lang: str = "en") -> list[str]:
    """The named reasons for the difference between ``row``'s drawn span and its official length (a routes
    layer record: alignment, length_diff_pct, straight_km, length_km); empty when it is within REASON_PCT."""
    diff = row.get("length_diff_pct")
    if diff is None or diff != diff or abs(diff) <= REASON_PCT:
        return []
    out = []
    if row["alignment"] == "schematic":
        out.append(t("a schematic line: only a few points of its course are known", lang))
    straight = row.get("straight_km") or 0.0
    if row["alignment"] != "schematic" and diff < 0 and straight >= STRAIGHT_SHARE * row["length_km"]:
        out.append(t("{km} of the line ({pct} %) are straight steps of {step} km or more, which cut the bends", lang,
                     km=f"{straight:,.0f} {t('km', lang)}", pct=f"{100 * straight / row['length_km']:.0f}",
                     step=f"{STRAIGHT_KM:g}"))
    if note:
        out.append(note if lang == "en" else t("see the length note", lang))
    return out
