"""The market presets' names, apart from their labs (model.market.world), so that `--help`
does not build the catalogue to list them."""

PRESETS = ("end-2025", "frontier-2025")
DEFAULT_PRESET = "end-2025"
