"""The project's own Japanese catalogue (locale/ja): its compiled .mo says exactly what the .po says (the .mo
is committed for machines without gettext), and each string is one Wagtail or Django actually asks for."""

import gettext
import re
from pathlib import Path

import pytest
import wagtail
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
WAGTAIL = Path(wagtail.__file__).parent


def po_entries(path: Path) -> list[dict]:
    """msgid, msgid_plural and msgstr / msgstr[0] of each entry (the header left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                entry[key] = match.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if entry.get("msgid"):
            entries.append(
                {k: v.encode().decode("unicode_escape").encode("latin-1").decode() for k, v in entry.items()}
            )
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_matches_its_source(domain):
    compiled = gettext.GNUTranslations((LOCALE / f"{domain}.mo").open("rb"))
    for entry in po_entries(LOCALE / f"{domain}.po"):
        if "msgid_plural" in entry:
            assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"], entry
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry
    assert len(compiled._catalog) - 1 == len(po_entries(LOCALE / f"{domain}.po"))  # nothing more, nothing less


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_string_is_one_wagtail_or_django_asks_for(domain):
    asked = set()
    for source in WAGTAIL.rglob(f"locale/en/LC_MESSAGES/{domain}.po"):
        asked |= {entry["msgid"] for entry in po_entries(source)}
    ours = {entry["msgid"] for entry in po_entries(LOCALE / f"{domain}.po")}
    assert ours - asked == set()
