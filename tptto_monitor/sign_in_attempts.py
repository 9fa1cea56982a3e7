"""django-axes' record of failed sign-ins, with a narrower reset (AXES_HANDLER).

Axes locks by account or by address (AXES_LOCKOUT_PARAMETERS), and with AXES_RESET_ON_SUCCESS its own
handler deletes, on a good sign-in, every failure that matches either: all failures from that address,
whatever account they were against. Nine guesses at a colleague's password, a sign-in to one's own
account, nine more, and so on, never reached the limit. Here a good sign-in clears the failures of that
account from that address only; failures against other accounts keep counting for the address.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class SignInAttempts(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
