"""The accessibility policy page (/accessibility/) and the test results it publishes.

The results file is written by the browser tests (`make accessibility-report`) and committed, so the
page shows the results of a real run and the day it was made.
"""

import datetime
import json
from pathlib import Path

from django.shortcuts import render

RESULTS_FILE = Path(__file__).resolve().parent / "accessibility_results.json"
POLICY_DATE = datetime.date(2026, 11, 26)
BLOCKING = {"serious", "critical"}


def load_results(path: Path | None = None) -> dict | None:
    try:
        return json.loads((path or RESULTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def page_result(violations) -> tuple[str, bool]:
    """The result shown for one page, and whether it conforms as far as the test can tell."""
    ours = [v for v in violations if v["ours"]]
    upstream = sorted({v["id"] for v in violations if v["wagtail_issues"]})
    if any(v["impact"] in BLOCKING for v in ours):
        return f"要修正（{len(ours)}種類の問題）", False
    text = "問題なし" if not ours else f"軽微な指摘 {len(ours)}種類（{'、'.join(v['id'] for v in ours)}）"
    if upstream:
        text += f"。Wagtail 由来の既知の問題: {'、'.join(upstream)}"
    return text, True


def wagtail_issues(report) -> list[dict]:
    """Each problem of Wagtail's own admin widgets found in the run, once, with its upstream issue."""
    found = {}
    for page in report["pages"]:
        for violation in page["violations"]:
            for issue in violation["wagtail_issues"]:
                found.setdefault(
                    (violation["id"], issue),
                    {"rule": violation["id"], "help": violation["help"], "issue": issue, "pages": []},
                )
                found[(violation["id"], issue)]["pages"].append(page["name"])
    return list(found.values())


def policy(request):
    report = load_results()
    context = {"policy_date": POLICY_DATE, "report": report}
    if report:
        context["rows"] = []
        for page in report["pages"]:
            result, conforms = page_result(page["violations"])
            context["rows"].append({**page, "result": result, "conforms": conforms})
        context["tested_on"] = datetime.date.fromisoformat(report["tested_on"])
        context["axe_version"] = report["engine"].get("axe-core", "")
        context["wagtail_issues"] = wagtail_issues(report)
    return render(request, "accessibility.html", context)
