"""The market presets' names, apart from their labs (model.market.world), and the years the
labs' answer solves beyond those it reads (model.market.answer), so that `--help` does not build
the catalogue to quote them."""

PRESETS = ("end-2025", "frontier-2025")
DEFAULT_PRESET = "end-2025"

# The labs choose over LOOKAHEAD more years than are read (a receding horizon). Research pays
# after it is done, so any horizon's last years see it cut: solved to 2030, the ai-2027
# equilibrium's 2030 ratio of research to inference is 0.15; solved to 2033 or 2035, 0.32 (under
# status-quo 2.30 against 2.36 and 2.46). Four more years leave the years read to the economics,
# not to where the horizon ends; the terminal value does not, for the cut is no smaller without
# one (and none larger with terminal_growth 7%).
LOOKAHEAD = 4
MAX_LOOKAHEAD = 20
