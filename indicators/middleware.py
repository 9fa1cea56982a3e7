"""A signed-in user without a role sees one page that says so, whatever address she opens."""

from django.shortcuts import render

from indicators.models.roles import has_role

# What such a user may still do: leave, change her password, switch the language.
ALLOWED = {"logout", "password_change", "password_change_done", "set_language"}


class RoleRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not getattr(view_func, "login_required", True):
            return None  # signing in, password reset, health: LoginRequiredMiddleware's exceptions
        match = request.resolver_match
        if match.url_name in ALLOWED or match.namespace == "admin" or has_role(user):
            return None  # the admin site checks its own permissions
        return render(request, "no_role.html", status=403)
