"""corridor-mapper: Central Asian transport corridors from a YAML catalog to GIS layers and maps."""

__version__ = "0.1.0"
