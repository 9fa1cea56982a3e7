"""The page around the content (navigation, account menu, footer) is kept per reader, page and language
(base.html's {% cache %} parts, keyed by reports.views.around.shell_key): what each reader sees is still hers, and a
change of her rights, her name, the plan or the language shows on the next page."""

import re

from django.contrib.auth.models import Group, Permission

from conftest import rad_url
from indicators.models.roles import EXECUTIVE
from programs.models import Plan, Region

PAGE = rad_url("reports:overview")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def nav(response) -> str:
    html = response.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def footer(response) -> str:
    html = response.content.decode()
    return html[html.index("<footer") : html.index("</footer>")]


def test_each_reader_sees_her_own_menu_and_links(client_for, personas):
    executive = nav(client_for(personas["executive"]).get(PAGE, **EN))
    officer = nav(client_for(personas["officer_a"]).get(PAGE, **EN))
    assert "executive" in executive and "officer_a" not in executive
    assert "officer_a" in officer and "executive" not in officer
    assert "My work" in officer and "My work" not in executive  # the officer enters progress
    assert "Reports" in executive  # the executive downloads the summaries


def test_a_permission_taken_a_new_name_a_new_plan_status_and_the_language_show_on_the_next_page(client_for, personas):
    client = client_for(personas["executive"])
    assert "Reports" in nav(client.get(PAGE, **EN))
    group = Group.objects.get(name=EXECUTIVE)
    group.permissions.remove(Permission.objects.get(codename="download_reports"))
    assert ">Reports<" not in nav(client.get(PAGE, **EN))

    personas["executive"].first_name, personas["executive"].last_name = "Maria", "Bano"
    personas["executive"].save()
    assert "Maria Bano" in nav(client.get(PAGE, **EN))

    Region.objects.filter(code="53.03").update(name="Kabupaten Baru")
    assert "Kabupaten Baru" in footer(client.get(PAGE, **EN))
    Plan.objects.filter(code="rad-ttu-2018-2022").update(status=Plan.Status.CLOSED)
    assert client.get(PAGE, **EN).status_code == 200

    indonesian = nav(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="id"))
    assert "Semua RAD" in indonesian and "All plans" not in indonesian


def test_the_csrf_token_is_fresh_on_every_page(client_for, personas):
    client = client_for(personas["executive"])
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    tokens = [token.findall(client.get(PAGE).content.decode()) for _page in range(2)]
    assert len(tokens[0]) == 2  # the language form and the sign-out form, outside the kept parts
    assert tokens[0] != tokens[1]  # masked anew on each page
