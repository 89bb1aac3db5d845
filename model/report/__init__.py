"""Report: what a person reads: number formats, LaTeX, the every-equation table, generated docs.
May import: model.core, model.loop, model.policy, model.market, model.odds.
"""
