"""Collects what the browser tests found; with CASEBOOK_A11Y_REPORT set, writes it for /accessibility/."""

import json
import os
from pathlib import Path

from django.utils import timezone

RESULTS = []  # one entry per page audited with axe
CHECKS = []  # one entry per keyboard or reflow test
ENGINE = {}

# The keyboard and reflow tests, as the policy page names them.
CHECK_NAMES = {
    "test_skip_link_comes_first_and_moves_focus_to_the_content": (
        "キーボード: 最初のTabで「本文へ移動」が現れ、Enterで本文に移る"
    ),
    "test_focus_is_visible_and_follows_reading_order": "キーボード: フォーカスが常に見え、読む順に移動する",
    "test_filter_form_works_with_the_keyboard_alone": "キーボード: 絞り込みと条件の解除をキーボードだけで使える",
    "test_pagination_is_reachable_and_usable_with_the_keyboard": "キーボード: ページ送りをキーボードで使える",
    "test_search_form_submits_with_enter": "キーボード: 検索フォームをEnterで送信できる",
    "test_no_horizontal_scrolling_and_nothing_cut_off": "表示: 横スクロールなし・文字の欠けなし",
}


def record(area, name, path, violations, upstream_issue=lambda rule, node: None):
    found = []
    for violation in violations:
        issues = sorted({upstream_issue(violation["id"], node) or "" for node in violation["nodes"]})
        found.append(
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": len(violation["nodes"]),
                "wagtail_issues": [issue for issue in issues if issue],
                "ours": "" in issues,
            }
        )
    RESULTS.append({"area": area, "name": name, "path": path, "violations": found})


def record_check(name, passed):
    CHECKS.append({"name": name, "passed": passed})


def write_report():
    target = os.environ.get("CASEBOOK_A11Y_REPORT")
    if not target or not RESULTS or not CHECKS:
        return  # a partial run (some browser tests deselected) does not overwrite the published table
    report = {
        "tested_on": timezone.localdate().isoformat(),
        "engine": ENGINE,
        "pages": RESULTS,
        "checks": CHECKS,
    }
    Path(target).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
