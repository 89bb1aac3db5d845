"""A market of labs: the frontier labs at end-2025 as data, each runnable alone, and edits.
May import: model.core, model.loop, model.policy.

`world.MARKET` holds the labs (each field's value with its citation, assumptions with an
interval); `single_lab.lab_settings` turns one lab into the single-lab model's settings, so
`model.loop.projection.project` runs it alone; `files.apply_sets` and `files.read_market_file`
add, remove and edit labs from `--set` strings or a JSON/TOML market file.
"""
