"""Loop: the projection's step rows, scenarios, Monte Carlo and sensitivity over time.
May import: model.core.
"""
