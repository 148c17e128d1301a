"""Keyboard helpers: what has focus, and tabbing until something does."""

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : '',
    href: el.getAttribute('href'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    visible: box.width > 0 && box.height > 0,
    index: Array.prototype.indexOf.call(document.querySelectorAll('*'), el),
  };
}"""

FOCUSABLE_IN_ORDER = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const inClosedDetails = el => {
    const details = el.closest('details:not([open])');
    return details && !(el.tagName === 'SUMMARY' && el.parentElement === details);
  };
  return Array.from(document.querySelectorAll(selector))
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
                  && getComputedStyle(el).visibility !== 'hidden' && !inClosedDetails(el))
    .map(el => Array.prototype.indexOf.call(document.querySelectorAll('*'), el));
}"""


def focused(page):
    return page.evaluate(DESCRIBE_FOCUS)


def tab(page, key="Tab"):
    page.keyboard.press(key)
    return focused(page)


def tab_until(page, matches, limit=300):
    """Press Tab until `matches(focus)` holds; returns every element focused on the way."""
    seen = []
    for _ in range(limit):
        focus = tab(page)
        seen.append(focus)
        if focus and matches(focus):
            return seen
    raise AssertionError(f"not reached with Tab in {limit} presses; last: {seen[-5:]}")
