"""Pagination shared by every list (cases, search)."""


def page_range(page_obj):
    """Page numbers around the current one and at both ends, with ellipses: 1 … 4 5 6 7 8 … 1000."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
