"""Public HTML without the templates' indentation: a run of blank space between or around tags is sent
as one space or one line break, which is how a browser lays it out anyway.

The list's template loops indent every card and facet option; at 20 results that indentation was a
fifth of the page's bytes. Only text between tags changes: a tag and its attributes (a form value an
editor typed) are never touched, nor anything inside <pre>, <textarea>, <script> or <style>. The admin
is left as Wagtail renders it.
"""

import re

from django.conf import settings

KEPT_WHOLE = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
TAG_OR_BLANKS = re.compile(r"(<[^>]*>)|(\s{2,})")


def _one_blank(match: re.Match) -> str:
    tag, blanks = match.groups()
    if tag is not None:
        return tag
    return "\n" if "\n" in blanks else " "


def compact(html: str) -> str:
    parts = KEPT_WHOLE.split(html)
    # split() yields text, then for each match the whole element and its tag name.
    out = []
    for index in range(0, len(parts), 3):
        out.append(TAG_OR_BLANKS.sub(_one_blank, parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


class CompactHtmlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or response.status_code != 200
            or not response.get("Content-Type", "").startswith("text/html")
            or response.has_header("Content-Encoding")
            or request.path_info.startswith(settings.CASEBOOK_ADMIN_PREFIX)
        ):
            return response
        charset = response.charset or "utf-8"
        response.content = compact(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):  # set by CommonMiddleware for the longer text
            response["Content-Length"] = str(len(response.content))
        return response
