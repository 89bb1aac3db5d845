"""The Streamlit app in a real browser: `streamlit run` on a free local port, driven by Playwright
with the system's Chromium (no browser download). Skips without Chromium (fails instead under
FLEET_REQUIRE_TOOLS=1, see tests/external.py).

Checks: every tab, at a laptop's 1366x768 and at a wide 1920x1080, renders with no exception
element and no console error, its charts' labels whole and the charts as wide as their columns,
and is saved as a screenshot (one a tab and width, under build/screenshots/, gitignored; the path
is printed); the workbook download is an xlsx that openpyxl opens, with
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
SCREENSHOTS = ROOT / "build" / "screenshots"  # gitignored: every tab at each width, to look at


TABS = ("Headline", "Budget", "Projection", "Finance", "Uncertainty", "Sensitivity", "Market",
        "Backtest", "Training run", "Equations", "Sources")
# Tabs whose first run takes seconds with no chart to wait for: the text their end draws
AWAITED = {"Backtest": "Each lab alone, from its 2024 preset"}
CHART_TABS = ("Headline", "Budget", "Projection", "Finance", "Uncertainty", "Sensitivity",
              "Market")
WIDTHS = {"laptop": (1366, 768), "wide": (1920, 1080)}
# Glyphs overhang their text box by a few pixels (ascenders, the last letter's bearing); a label
# cut by the chart's edge overhangs by far more
SLACK_PX = 5
# Each drawn chart: its width, its column's (the st.columns cell, else the main block's content),
# the texts Vega shortened with an ellipsis, hid as overlapping others (a log axis's decades, a
# tornado's inputs, a legend's names; a linear axis may thin its ticks evenly) or that run past
# the chart's edge.
CHARTS_JS = """slack => {
  const inner = el => { const s = getComputedStyle(el);
    return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); };
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  return [...document.querySelectorAll('.vega-embed')].filter(e => e.offsetParent !== null)
    .map(e => {
      const svg = e.querySelector('svg'), box = svg.getBoundingClientRect();
      const column = e.closest('[data-testid="stColumn"]');
      const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent);
      const title = svg.querySelector('.role-title-text');
      return {width: box.width, column: column ? column.getBoundingClientRect().width : inner(main),
        title: title ? title.textContent : null,
        cut: texts.map(t => t.textContent).filter(t => t.endsWith('\u2026')),
        hidden: texts.filter(t => getComputedStyle(t).opacity === '0').filter(t => {
          const axis = t.closest('.role-axis');  // a linear axis's thinned ticks are still even
          return !(axis && /linear scale/.test(axis.getAttribute('aria-label') || ''));
        }).map(t => t.textContent),
        outside: texts.filter(t => getComputedStyle(t).opacity !== '0').filter(t => {
          const b = t.getBoundingClientRect();
          return b.left < box.left - slack || b.right > box.right + slack
              || b.top < box.top - slack || b.bottom > box.bottom + slack; })
          .map(t => t.textContent)};
    });
}"""


def draw_every_chart(page, name: str) -> None:
    """Wait for a tab's charts; on Uncertainty run a small Monte Carlo so its fan is drawn."""
    if name == "Uncertainty":
        box = page.locator(".st-key-mc_samples input")
        box.fill("100")
        box.press("Enter")
        settled(page)
        page.get_by_role("button", name="Run Monte Carlo").click()
        settled(page)
    page.wait_for_selector(".vega-embed svg", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(600)  # let the charts finish drawing


def whole_tab_screenshot(page, path, width: int, height: int) -> None:
    """The tab from top to bottom: the page scrolls inside Streamlit's main pane, not the
    window, so the window is made as tall as the pane's content for the shot."""
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(tall, height), 12_000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=False)
    page.set_viewport_size({"width": width, "height": height})


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_tab_renders_with_whole_labels_and_full_width_charts(browser, server, width):
    """Every tab renders with no exception and no console error and is saved (whole) under
    build/screenshots/<width>/; on the chart tabs no label is shortened or cut by the chart's
    edge, no chart is wider than its column, and at 1920 wide each fills 90% of its column."""
    size = WIDTHS[width]
    context = browser.new_context(viewport=dict(zip(("width", "height"), size, strict=True)))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    folder = SCREENSHOTS / width
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    try:
        rendered(page, server)
        assert page.get_by_text("How labs split their GPU fleets").count() >= 1
        for name in TABS:
            page.get_by_role("tab", name=name).click()
            settled(page)
            if name in AWAITED:  # its first run may start after settled() has looked
                page.get_by_text(AWAITED[name]).first.wait_for(timeout=RENDER_TIMEOUT_MS)
                settled(page)
            if name in CHART_TABS:
                draw_every_chart(page, name)
                drawn = page.evaluate(CHARTS_JS, SLACK_PX)
                assert drawn, name
                for k, chart in enumerate(drawn):
                    where = f"{name} chart {k + 1} ({chart['title'] or 'untitled'})"
                    problems += [f"{where}: shortened {t!r}" for t in chart["cut"]]
                    problems += [f"{where}: {t!r} hidden (overlaps)" for t in chart["hidden"]]
                    problems += [f"{where}: {t!r} runs past the edge" for t in chart["outside"]]
                    if chart["width"] > chart["column"] + 1:
                        problems.append(f"{where}: {chart['width']:.0f} px in a "
                                        f"{chart['column']:.0f} px column")
                    if width == "wide" and chart["width"] < 0.9 * chart["column"]:
                        problems.append(f"{where}: {chart['width']:.0f} px of a "
                                        f"{chart['column']:.0f} px column")
                titles = [c["title"] for c in drawn][:3]
                if name == "Headline" and titles != ["status-quo", "ai-2027", "brakes"]:
                    problems.append(f"Headline panels {titles}, not in the sentences' order")
            if name == "Headline" and width == "wide":
                SCREENSHOT.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(SCREENSHOT), full_page=False)
            shot = folder / f"{TABS.index(name)}-{name.lower().replace(' ', '-')}.png"
            whole_tab_screenshot(page, shot, *size)
            assert shot.stat().st_size > 10_000, shot
        print(f"screenshots: {folder}")
    finally:
        context.close()
    assert not errors + problems, "\n".join(errors + problems)


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
