"""The Streamlit app in a real browser: `streamlit run` on a free local port, driven by Playwright
with the system's Chromium (no browser download). Skips without Chromium (fails instead under
FLEET_REQUIRE_TOOLS=1, see tests/external.py).

Checks: every tab, at a laptop's 1366x768 and at a wide 1920x1080, renders with no exception
element and no console error, and is saved as a screenshot (one a tab and width, in the test's
temporary folder; the path is printed); the workbook download is an xlsx that openpyxl opens, with
Inputs and Projection sheets; a shared URL reproduces its settings. It also writes the README's
screenshot, docs/app.png (the headline, wide).
"""

from __future__ import annotations

import openpyxl
import pytest
from served import RENDER_TIMEOUT_MS, ROOT, rendered, settled

from app.tables import metric_text
from model.core.compiled import Compiled
from model.core.equations import BUDGET_OUTPUTS, EQUATIONS
from model.core.resolve import resolve

pytestmark = pytest.mark.browser

SCREENSHOT = ROOT / "docs" / "app.png"


TABS = ("Headline", "Budget", "Projection", "Finance", "Uncertainty", "Sensitivity", "Market",
        "Training run", "Equations", "Sources")
WIDTHS = {"laptop": (1366, 768), "wide": (1920, 1080)}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_tab_renders_without_errors(browser, server, width, tmp_path_factory):
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width],
                                                    strict=True)))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    folder = tmp_path_factory.mktemp(f"screens-{width}")
    try:
        rendered(page, server)
        assert page.get_by_text("How labs split their GPU fleets").count() >= 1
        for name in TABS:
            page.get_by_role("tab", name=name).click()
            settled(page)
            if name in ("Headline", "Budget", "Projection", "Finance", "Market"):
                page.wait_for_selector(".vega-embed", timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(400)  # let the charts finish drawing
            shot = folder / f"{TABS.index(name)}-{name.lower().replace(' ', '-')}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000, shot
            if name == "Headline" and width == "wide":
                SCREENSHOT.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOT), full_page=False)
        print(f"screenshots: {folder}")
    finally:
        context.close()
    assert not errors, errors


def test_workbook_download_opens_with_inputs_and_projection(page, server, tmp_path):
    rendered(page, server)
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        page.get_by_role("button", name="Download workbook (xlsx)").click()
    path = tmp_path / "download.xlsx"
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert "Inputs" in wb.sheetnames
    assert any(name.startswith("Projection") for name in wb.sheetnames), wb.sheetnames


def test_shared_url_reproduces_settings(page, server):
    query = "preset=openai-2024&gpu=H100&fleet_gpus=123456.0&gpu_rental_price=3.0"
    rendered(page, f"{server}/?{query}")
    box = page.locator(".st-key-fleet_gpus input")
    assert float(box.input_value()) == pytest.approx(123456.0)
    page.get_by_role("tab", name="Budget").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=RENDER_TIMEOUT_MS)
    settled(page)
    settings = resolve("openai-2024", "H100", {"fleet_gpus": 123456.0, "gpu_rental_price": 3.0})
    out = Compiled(EQUATIONS, BUDGET_OUTPUTS)(settings.values)
    expected = metric_text("budget_inference", float(out["budget_inference"]))
    assert page.get_by_text(expected, exact=True).count() >= 1
    assert "fleet_gpus=123456.0" in page.url
