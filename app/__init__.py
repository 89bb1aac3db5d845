"""The Streamlit app's helpers: pure functions (no streamlit) and page modules (page_*.py).
May import: model (any public module); nothing in model may import app.
"""
