"""Page helpers of the Streamlit app (streamlit_app.py): pure functions, no streamlit import.
May import: model (any public module); nothing in model may import app.
"""
