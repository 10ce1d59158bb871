"""corridor-mapper: Central Asian transport corridors from a YAML catalog to GIS layers and maps."""

__version__ = "0.1.0"


def corridor_map(catalog=None, map_id="index", year=None, lang="en"):  # type: ignore[no-untyped-def]
    """One of the site's maps as a ``folium.Map`` for a notebook; see geo.mapping.corridor_map."""
    from geo.mapping import corridor_map as make  # folium and geopandas load only when a map is asked for

    return make(catalog, map_id, year, lang)
