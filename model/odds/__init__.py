"""Odds: the seed's answer over the Monte Carlo of the uncertain inputs, run on dask workers.
May import: model.core, model.loop, model.policy, model.market.

`draws` samples one market per draw (the labs' assumed fields within their intervals, the
loop's uncertain inputs as model.loop.montecarlo samples them); `outcome` solves one draw (the
open-loop Nash equilibrium and each lab as a price-taker) and says whether research's share of
the labs' compute falls relative to inference; `results` keeps every finished draw in a Parquet
dataset so a run resumes where it stopped; `run` spreads the draws over a dask.distributed
cluster (local by default) and `summary` turns the draws into odds, percentile paths and the
inputs that move the outcome most.
"""
