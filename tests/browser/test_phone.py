"""On a phone (375 CSS px): no page scrolls sideways even with every <details> opened, and every
public form's controls are big enough to hit with a thumb (44 px), a checkbox's label included."""

PHONE = {"width": 375, "height": 800}
TARGET = 44  # px: the size of a touch target (WCAG 2.5.5, Apple's and Android's guidelines)

OPEN_EVERY_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"

# The page's width and, when it is wider than the window, the widest element sticking out of it.
WIDTH = """() => {
  const width = window.innerWidth;
  let widest = null;
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    // The widest element sticking out; of equally wide ones the outermost (the first in the page).
    if (box.right > width + 1 && (!widest || box.width > widest.width + 0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map(c => '.' + c).join('');
      widest = {name, width: Math.round(box.width), right: Math.round(box.right)};
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, widest};
}"""

# Shown to people: not inside a visually hidden or aria-hidden box (the honeypot field), not empty.
SHOWN = """el => {
  if (el.closest('.visually-hidden, [aria-hidden="true"]')) return false;
  if (!el.checkVisibility({visibilityProperty: true})) return false;
  const box = el.getBoundingClientRect();
  return box.width > 1 && box.height > 1;
}"""

TEXT_CONTROLS = ", ".join(
    [
        *[f"input[type={kind}]" for kind in ("text", "search", "email", "number", "url", "tel")],
        "input:not([type])",
        "select",
        "textarea",
        "button",
        "input[type=submit]",
    ]
)

# Every shown text box, list box and button under 44 px tall, described.
SHORT_CONTROLS = f"""() => {{
  const shown = {SHOWN};
  const out = [];
  for (const el of document.querySelectorAll('{TEXT_CONTROLS}')) {{
    if (!shown(el)) continue;
    const height = el.getBoundingClientRect().height;
    if (height < {TARGET} - 0.5) {{
      const label = (el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || '').trim().slice(0, 20);
      out.push(`${{el.tagName.toLowerCase()}}#${{el.id || el.name}}「${{label}}」 ${{Math.round(height)}}px`);
    }}
  }}
  return out;
}}"""


def phone(browser):
    context = browser.new_context(locale="ja-JP", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def phone_pages():
    from cases.models import CasePage, InterviewPage
    from measures.models import MeasurePage

    case = CasePage.objects.get(slug="fuchu-workation")
    interview = InterviewPage.objects.live().descendant_of(case).first() or InterviewPage.objects.live().first()
    return [
        "/",
        "/cases/",
        "/cases/?measure=telework",
        "/cases/prefectures/",
        "/cases/stats/",
        case.url,
        interview.url,
        "/measures/",
        MeasurePage.objects.get(slug="telework").url,
        "/search/?q=テレワーク",
        "/cases/submit/",
        "/alerts/",
        "/accessibility/",
    ]


def test_every_public_page_fits_a_phone_with_every_details_opened(browser, site):
    context, page = phone(browser)
    too_wide = {}
    for path in phone_pages():
        page.goto(site(path))
        page.evaluate(OPEN_EVERY_DETAILS)
        found = page.evaluate(WIDTH)
        if found["scroll"] > found["width"]:
            widest = found["widest"]
            culprit = f"{widest['name']} ({widest['width']} px, right edge {widest['right']})" if widest else "?"
            too_wide[path] = f"page {found['scroll']} px wide in {found['width']}; widest: {culprit}"
    context.close()
    assert not too_wide, too_wide


# Each tile of the map: its label, its count as written, and how its edge and fill look.
TILES = """() => [...document.querySelectorAll('.japan-map__tile')].map(tile => {
  const style = getComputedStyle(tile);
  return {
    name: tile.querySelector('.japan-map__name').innerText,
    count: tile.querySelector('.japan-map__count').textContent,
    edge: `${style.borderTopStyle} ${style.borderTopWidth} ${style.borderTopColor}`,
    fill: style.backgroundColor,
  };
})"""


def test_the_map_scrolls_in_its_own_box_tells_zero_from_one_and_names_each_prefecture(browser, site):
    context, page = phone(browser)
    page.goto(site("/cases/stats/"))  # the map is open there
    region = page.evaluate("(el => [el.scrollWidth, el.clientWidth])(document.querySelector('.japan-map-scroll'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 < region[0]
    assert region[1] <= 375  # the map scrolls inside its own region, not the page
    tiles = page.evaluate(TILES)
    context.close()
    names = [tile["name"] for tile in tiles]
    assert len(names) == len(set(names)) == 47
    assert {"北海道", "東京", "京都", "大阪", "神奈川"} <= set(names) and "京" not in names
    none = next(tile for tile in tiles if tile["name"] == "香川")  # no case in the seed
    one = next(tile for tile in tiles if tile["name"] == "広島")  # 府中市's workation
    assert (none["count"], one["count"]) == ("0件", "1件")  # 件 for screen readers
    assert none["edge"] != one["edge"] and none["fill"] != one["fill"], (none, one)


def check_choices(page) -> list[str]:
    """Each shown checkbox and radio: a label whose centre, clicked, toggles it, at least 44 px tall."""
    problems = []
    choices = page.locator("input[type=checkbox], input[type=radio]")
    for n in range(choices.count()):
        choice = choices.nth(n)
        if not choice.evaluate(SHOWN):
            continue
        name = choice.evaluate("el => el.id || `${el.name}=${el.value}`")
        label = choice.evaluate_handle("el => (el.labels && el.labels[0]) || el.closest('label')")
        if not label.as_element():
            problems.append(f"{name}: no label")
            continue
        label = label.as_element()
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        if box["height"] < TARGET - 0.5:
            problems.append(f"{name}: its label is {round(box['height'])} px tall")
        # A radio cannot be unticked by its own label: start every choice unticked.
        before = choice.evaluate("el => { if (el.type === 'radio') el.checked = false; return el.checked; }")
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if choice.evaluate("el => el.checked") == before:
            problems.append(f"{name}: clicking its label does not toggle it")
        choice.evaluate("(el, checked) => { el.checked = checked; }", before)
    return problems


def test_public_form_controls_are_at_least_44px_tall_on_a_phone(browser, site):
    context, page = phone(browser)
    problems = {}
    for path in ("/", "/cases/", "/cases/submit/", "/alerts/", "/search/?q=テレワーク"):
        page.goto(site(path))
        page.evaluate(OPEN_EVERY_DETAILS)  # the filter panel's facets too
        found = page.evaluate(SHORT_CONTROLS) + check_choices(page)
        assert page.url.startswith(site(path.split("?")[0])), f"a click left {path} for {page.url}"
        if found:
            problems[path] = found
    context.close()
    assert not problems, problems
