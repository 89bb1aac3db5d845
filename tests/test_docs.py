"""docs/MODEL.md's equation and input tables are generated from the catalogue, never edited."""

from pathlib import Path

from model.equations_table import markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "MODEL.md"


def test_model_doc_tables_match_the_catalogue():
    text = DOC.read_text()
    assert markdown() in text, (
        "docs/MODEL.md is stale: regenerate its tables with `python -m model.equations_table`"
    )


def test_model_doc_names_every_input_and_row():
    from model.catalogue import CATALOGUE

    text = DOC.read_text()
    missing = [n for n, q in CATALOGUE.items()
               if q.kind in ("input", "choice", "output") and f"`{n}`" not in text]
    assert not missing, missing
