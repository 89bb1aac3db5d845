"""Core: units, every input and output record, fleet-year equations, unit check, compilation.
May import: nothing else in model (it is the bottom layer).
"""
