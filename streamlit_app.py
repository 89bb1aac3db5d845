"""Streamlit app: a thin page of layout over `model` (placeholder until the app issue lands)."""

import streamlit as st

from model.engine import Compiled
from model.equations import EQUATIONS
from model.presets import PRESETS
from model.settings import resolve

st.set_page_config(page_title="fleet-split", layout="wide")
st.title("How labs split their GPU fleets")
preset = st.selectbox("Preset", list(PRESETS), key="preset")
out = Compiled(EQUATIONS)(resolve(preset).values)
st.metric("Total budget (USD/year)", f"{float(out['budget_total']):,.0f}")
