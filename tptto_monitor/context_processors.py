def site(request) -> dict:
    """What the page around the content shows besides the user and the language (reports.views.around): the demo
    banner, the plan in view, the navigation's links, the key of base.html's kept parts; the page script's words."""
    from reports.views.around import context

    shown = context(request)
    if request.user.is_authenticated:
        from tptto_monitor.pwa import offline_text

        return {**shown, "offline_text": offline_text}  # called by the template only where it is used (base.html)
    return shown
