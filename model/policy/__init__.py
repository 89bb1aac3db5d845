"""Policy: decisions taken above the projection: the value-maximising split and the seed table.
May import: model.core, model.loop.
"""
