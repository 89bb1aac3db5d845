"""Report: what a person reads: number formats, LaTeX and the every-equation table.
May import: model.core, model.loop, model.policy.
"""
