"""A page's title and content rendered alone, to be kept in the cache, and the page around them per request.

The dashboards and the views over many plans (province, national) show the same content to every reader of it
until the figures change; the page around it (the navigation, the reader's menu, the CSRF token, messages) is the
reader's own. A page template extends `base`: BODY_ONLY renders its title and content alone
(reports.dashboards.page_cache keeps the pair); `render_page` puts the page around them (reports.views.around keeps
it per reader).
"""

from collections.abc import Callable

from django.template.loader import render_to_string

from reports.dashboards import page_cache
from reports.views import around

BODY_ONLY = "reports/_body_only.html"
TITLE_END = "<!--/title-->"
OVER_PLANS = "reports/_page_over_plans.html"  # the shell of the province and national pages (no charts)


def render_body(request, template: str, context: dict) -> tuple[str, str]:
    """The title and the content of `template`, rendered without the page around them."""
    html = render_to_string(template, {**context, "base": BODY_ONLY}, request=request)
    title, _sep, content = html.partition(TITLE_END)
    return title.strip(), content


def render_page(request, title: str, content: str, *, shell: str = "reports/_page.html"):
    """The page around a title and content: `shell` extends base.html with the page's scripts (kept per reader,
    address and language: reports.views.around)."""
    return around.render(request, shell, title, content)


def page_over_plans(request, template: str, plans: list, build: Callable[[], object], **key):
    """A page over many plans (province, national): `build()` makes its view (`view` in `template`), whose content
    is kept in the cache until one of `plans` changes (its data, what the page shows of it) or the day does, and
    not kept while figures shown are being brought up to date (the view's `behind`). `key`: what else the page
    shows (the year asked for, the province)."""

    def render_content():
        view = build()
        shown = render_body(request, template, {"view": view})
        return page_cache.Passing(shown) if view.behind else shown

    cache_key = page_cache.key_over_plans(template, plans, *sorted(key.items()))
    title, content = page_cache.get_or_build(cache_key, render_content)
    return render_page(request, title, content, shell=OVER_PLANS)
