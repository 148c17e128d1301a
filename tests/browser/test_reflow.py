"""At 320 CSS px (a phone) and at 200% zoom (1280 px shown at 640), nothing scrolls sideways or is cut off."""

import pytest

# Elements that stick out of the viewport or are clipped by their own box.
OVERFLOWS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, .skip-link, script, style')) continue;
    // WCAG 1.4.10 exempts content that needs a two-dimensional layout (the tile map of Japan, the
    // comparison table): it scrolls inside its own keyboard-focusable region instead.
    if (el.closest('[data-reflow-exception="two-dimensional"]')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    const text = (el.innerText || '').trim();
    if (box.right > width + 1 || box.left < -1) {
      const edges = `${Math.round(box.left)}–${Math.round(box.right)}`;
      out.push(`${el.tagName}.${el.className} sticks out: ${edges} of ${width}`);
    } else if (text && /hidden|clip/.test(style.overflowX)
               && el.scrollWidth > el.clientWidth + 1 && !el.closest('table')) {
      out.push(`${el.tagName}.${el.className} cuts its text: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return out.slice(0, 10);
}"""


def reflow_pages():
    from cases.models import CasePage
    from measures.models import MeasurePage

    return [
        "/",
        "/measures/",
        *[MeasurePage.objects.get(slug=slug).url for slug in ("telework", "ai-rpa", "my-number-card")],
        "/cases/",
        "/cases/?measure=telework&region=chugoku",
        "/cases/prefectures/",
        "/cases/stats/",
        "/cases/compare/?cases=fuchu-workation&cases=nagoya-vdi&cases=nankoku-health-portal",
        *[case.url for case in CasePage.objects.live()],
        "/search/?q=テレワーク",
        "/cases/submit/",
        "/accessibility/",
    ]


@pytest.mark.parametrize(("width", "zoom"), [(320, 1), (640, 2)], ids=["320px", "200%"])
def test_no_horizontal_scrolling_and_nothing_cut_off(browser, site, tmp_path, width, zoom):
    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": 800}, device_scale_factor=zoom)
    page = context.new_page()
    problems = {}
    for path in reflow_pages():
        page.goto(site(path))
        page.screenshot(path=tmp_path / f"{width}-{len(problems)}.png", full_page=True)
        scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        found = page.evaluate(OVERFLOWS)
        if scroll[0] > scroll[1]:
            found.insert(0, f"page scrolls sideways: {scroll[0]} > {scroll[1]}")
        if found:
            problems[path] = found
    context.close()
    assert not problems, problems


def test_the_check_reports_a_too_wide_element_and_clipped_text(browser):
    """The detector itself: a table-free wide box and a clipped line are both reported."""
    context = browser.new_context(viewport={"width": 320, "height": 600})
    page = context.new_page()
    page.set_content(
        "<html lang='ja'><body><div style='width:900px'>横に長い箱</div>"
        "<p style='overflow:hidden;white-space:nowrap;width:100px'>"
        "とても長い一行の文章がここで切れてしまいます</p></body></html>"
    )
    found = page.evaluate(OVERFLOWS)
    context.close()
    assert any("sticks out" in line for line in found)
    assert any("cuts its text" in line for line in found)
