"""The secretariat's narrative page: who reads, who writes, what is kept (personas, real database)."""

import pytest
from django.db import IntegrityError, transaction

from conftest import RAD
from indicators.models import PillarNarrative
from indicators.tests.plan_helpers import make_plan

URL = f"{RAD}/narratives/2021/"
WRITERS = ["verifier", "admin"]
READERS = ["officer_a", "reviewer", "executive"]


def form_data(**parts) -> dict:
    """Every pillar's three parts empty, but those given as pillar_part=text (e.g. p1_obstacles="…")."""
    data = {}
    for number in range(1, 5):
        for part in ("achievements", "obstacles", "follow_up"):
            data[f"pillar-{number}-{part}"] = parts.get(f"p{number}_{part}", "")
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("persona", WRITERS)
def test_verifiers_and_administrators_write_it(client_for, personas, plan, persona):
    client = client_for(personas[persona])
    page = client.get(URL)
    assert page.status_code == 200
    assert b'name="pillar-1-achievements"' in page.content and b'maxlength="5000"' in page.content
    response = client.post(URL, form_data(p1_achievements="438 people reached.", p2_obstacles="Budget came late."))
    assert response.status_code == 302 and response["Location"] == URL
    saved = {n.pillar.number: n for n in PillarNarrative.objects.filter(pillar__plan=plan, year=2021)}
    assert set(saved) == {1, 2}  # pillars left empty are not stored
    assert saved[1].achievements == "438 people reached." and saved[1].updated_by == personas[persona]
    assert saved[2].obstacles == "Budget came late."
    client.post(URL, form_data(p1_achievements="450 people reached.", p2_obstacles="Budget came late."))
    history = saved[1].history.order_by("history_date")
    assert [h.achievements for h in history] == ["438 people reached.", "450 people reached."]
    assert saved[2].history.count() == 1  # an unchanged pillar is not saved again
    assert "450 people reached." in client.get(URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", READERS)
def test_other_roles_read_it_and_cannot_write(client_for, personas, plan, persona):
    PillarNarrative.objects.create(pillar=plan.pillars.get(number=1), year=2021, obstacles="Budget came late.")
    client = client_for(personas[persona])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Budget came late." in html and "<textarea" not in html and '<form method="post"' not in html
    assert client.post(URL, form_data(p1_obstacles="changed")).status_code == 403
    assert PillarNarrative.objects.get().obstacles == "Budget came late."


@pytest.mark.django_db
def test_without_a_role_or_signed_out_there_is_no_page(client, client_for, personas, plan):
    assert client.get(URL).status_code == 302  # to sign in
    assert client_for(personas["outsider"]).get(URL).status_code == 403


@pytest.mark.django_db
def test_another_regencys_plan_does_not_exist_for_her(client_for, personas, plan):
    other = make_plan()
    client = client_for(personas["verifier"])
    assert client.get(f"/rad/{other.code}/narratives/2021/").status_code == 404
    assert client.post(f"/rad/{other.code}/narratives/2021/", form_data(p1_obstacles="x")).status_code == 404
    assert not PillarNarrative.objects.exists()


@pytest.mark.django_db
def test_too_long_saves_nothing_and_keeps_what_was_typed(client_for, personas, plan):
    client = client_for(personas["verifier"])
    client.cookies["django_language"] = "en"
    response = client.post(URL, form_data(p1_achievements="kept text", p3_follow_up="x" * 5001))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Ensure this value has at most 5000 characters (it has 5001)." in html
    assert "kept text" in html  # pillar 1's text, though valid, is shown again and not saved alone
    assert not PillarNarrative.objects.exists()


@pytest.mark.django_db
def test_years_outside_the_plan_are_404_and_the_index_leads_to_a_year(client_for, personas, plan):
    client = client_for(personas["executive"])
    assert client.get(f"{RAD}/narratives/2017/").status_code == 404
    response = client.get(f"{RAD}/narratives/")
    assert response.status_code == 302 and response["Location"] == f"{RAD}/narratives/2022/"  # the plan is over


@pytest.mark.django_db
def test_the_database_refuses_a_second_narrative_or_a_part_over_5000(plan):
    pillar = plan.pillars.get(number=1)
    PillarNarrative.objects.create(pillar=pillar, year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        PillarNarrative.objects.create(pillar=pillar, year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        PillarNarrative.objects.create(pillar=pillar, year=2020, follow_up="x" * 5001)


@pytest.mark.django_db
def test_writing_moves_the_plans_data_version(plan):
    before = plan.data_version
    PillarNarrative.objects.create(pillar=plan.pillars.get(number=1), year=2021, obstacles="late")
    plan.refresh_from_db()
    assert plan.data_version != before
