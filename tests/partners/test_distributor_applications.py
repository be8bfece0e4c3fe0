"""Distributor applications: the overlap with active distributors, accepting, refusing, and their admin."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from partners.models import Distributor, DistributorApplication
from partners.services import (
    distributor_application_accept,
    distributor_application_refuse,
    distributor_application_save,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:partners_distributorapplication_changelist")
ADD = reverse("admin:partners_distributorapplication_add")


def change_url(application) -> str:
    return reverse("admin:partners_distributorapplication_change", args=[application.pk])


@pytest.fixture
def german_switzerland(make_territory):
    return make_territory("deutschschweiz", regions="ZH, BE, LU", name="German-speaking Switzerland")


@pytest.fixture
def romandie(make_territory):
    return make_territory("romandie", regions="GE, VD", name="Romandie")


@pytest.fixture
def zurich(make_territory):
    return make_territory("zurich", regions="ZH", name="Zürich")


@pytest.fixture
def switzerland(make_territory):
    return make_territory("schweiz", name="Switzerland")


@pytest.fixture
def alpha(make_distributor, german_switzerland):
    """The active distributor of German-speaking Switzerland."""
    return make_distributor("alpha", name="Alpha Distribution", territories=[german_switzerland])


@pytest.fixture
def make_application(staff_user):
    def make(territories=(), company: str = "Neu Distribution AG", **fields) -> DistributorApplication:
        fields.setdefault("contact_name", "Anna Muster")
        fields.setdefault("contact_email", "anna@neu.example")
        application = DistributorApplication(company=company, **fields)
        return distributor_application_save(application=application, territories=territories)

    return make


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def run_action(client, action: str, applications, **extra):
    data = {"action": action, "_selected_action": [application.pk for application in applications], **extra}
    return client.post(CHANGELIST, data, follow=True)


# The overlap, recorded on save --------------------------------------------------------------


def test_no_overlap_where_no_active_distributor_serves(make_application, alpha, romandie):
    application = make_application([romandie])

    assert application.overlap == ""
    assert list(application.territories.all()) == [romandie]


def test_whole_country_request_overlaps_a_regional_distributor(make_application, alpha, switzerland):
    application = make_application([switzerland])

    assert application.overlap == "Switzerland is already served by Alpha Distribution (German-speaking Switzerland)."


def test_request_overlaps_a_whole_country_distributor(make_application, make_distributor, switzerland, romandie):
    make_distributor(name="Helvetia Distribution", territories=[switzerland])

    application = make_application([romandie])

    assert application.overlap == "Romandie is already served by Helvetia Distribution (Switzerland)."


def test_shared_canton_overlaps(make_application, alpha, zurich, romandie):
    application = make_application([romandie, zurich])

    assert application.overlap == "Zürich is already served by Alpha Distribution (German-speaking Switzerland)."


def test_inactive_distributor_is_ignored(make_application, make_distributor, german_switzerland):
    make_distributor(name="Dormant Distribution", territories=[german_switzerland], is_active=False)

    assert make_application([german_switzerland]).overlap == ""


def test_overlap_is_recomputed_on_every_save(make_application, staff_user, alpha, romandie, zurich):
    application = make_application([romandie])
    assert application.overlap == ""

    distributor_application_save(application=application, territories=[zurich])

    application.refresh_from_db()
    assert "Alpha Distribution" in application.overlap
    assert list(application.territories.all()) == [zurich]


def test_decided_application_is_not_saved_again(make_application, staff_user, romandie):
    application = distributor_application_refuse(
        application=make_application([romandie]), reason="Not now.", actor=staff_user
    )

    with pytest.raises(ValidationError, match="already decided"):
        distributor_application_save(application=application, territories=[])


# Accepting and refusing --------------------------------------------------------------------


def test_accept_creates_the_distributor_and_tells_the_applicant(
    make_application, staff_user, alpha, romandie, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application(
        [romandie], company="Léman Distribution SA", phone="+41 22 000 00 00", website="https://leman.example"
    )

    with django_capture_on_commit_callbacks(execute=True):
        accepted = distributor_application_accept(application=application, actor=staff_user)

    distributor = accepted.distributor
    assert (distributor.code, distributor.name, distributor.is_active) == (
        "leman-distribution-sa",
        "Léman Distribution SA",
        True,
    )
    assert (distributor.contact_name, distributor.contact_email) == ("Anna Muster", "anna@neu.example")
    assert (distributor.phone, distributor.website) == ("+41 22 000 00 00", "https://leman.example")
    assert list(distributor.territories.all()) == [romandie]
    assert (accepted.status, accepted.decided_by) == (DistributorApplication.Status.ACCEPTED, staff_user)
    assert accepted.decided_at is not None
    assert [message.to for message in mailoutbox] == [["anna@neu.example"]]
    assert "We have accepted the application of Léman Distribution SA" in mailoutbox[0].body
    assert "- Romandie" in mailoutbox[0].body


def test_accept_gives_a_unique_code(make_application, make_distributor, staff_user, romandie):
    make_distributor("neu-distribution-ag", name="Neu Distribution AG (old)", is_active=False)

    accepted = distributor_application_accept(application=make_application([romandie]), actor=staff_user)

    assert accepted.distributor.code == "neu-distribution-ag-2"


def test_accept_is_refused_with_the_overlap_named(make_application, staff_user, alpha, romandie, zurich, mailoutbox):
    application = make_application([romandie])
    # The territories were changed to overlap after the last save (e.g. Alpha took Romandie since).
    alpha.territories.add(romandie)

    with pytest.raises(ValidationError) as refused:
        distributor_application_accept(application=application, actor=staff_user)

    assert refused.value.messages == [
        "Neu Distribution AG cannot be accepted, its territories are served already: "
        "Romandie is already served by Alpha Distribution (Romandie)."
    ]
    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.PENDING
    assert application.overlap == "Romandie is already served by Alpha Distribution (Romandie)."
    assert not Distributor.objects.filter(name="Neu Distribution AG").exists()
    assert mailoutbox == []


def test_accept_needs_a_pending_application_with_territories(make_application, staff_user, romandie):
    with pytest.raises(ValidationError, match="asks for no territory"):
        distributor_application_accept(application=make_application([]), actor=staff_user)

    accepted = distributor_application_accept(application=make_application([romandie]), actor=staff_user)
    with pytest.raises(ValidationError, match="already decided: accepted"):
        distributor_application_accept(application=accepted, actor=staff_user)


@pytest.mark.parametrize(
    ("language", "greeting", "reason_label"),
    [("de", "Guten Tag Anna Muster", "Die Begründung:"), ("fr", "Bonjour Anna Muster,", "Le motif\u00a0:")],
)
def test_refuse_emails_the_reason_in_the_application_language(
    make_application,
    staff_user,
    romandie,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
    greeting,
    reason_label,
):
    application = make_application([romandie], language=language)

    with django_capture_on_commit_callbacks(execute=True):
        refused = distributor_application_refuse(
            application=application, reason="  Romandie is served well.  ", actor=staff_user
        )

    assert (refused.status, refused.refusal_reason) == (
        DistributorApplication.Status.REFUSED,
        "Romandie is served well.",
    )
    assert (refused.decided_by, refused.distributor) == (staff_user, None)
    (message,) = mailoutbox
    assert message.to == ["anna@neu.example"]
    assert greeting in message.body
    assert f"{reason_label}\nRomandie is served well." in message.body
    assert "Romandie is served well." in message.alternatives[0].content


def test_refuse_needs_a_reason(make_application, staff_user, romandie):
    application = make_application([romandie])

    with pytest.raises(ValidationError, match="needs a reason"):
        distributor_application_refuse(application=application, reason=" ", actor=staff_user)

    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.PENDING


# The admin -----------------------------------------------------------------------------------


def test_add_through_admin_records_the_overlap(staff_client, alpha, zurich, romandie, today):
    data = {
        "company": "Neu Distribution AG",
        "contact_name": "Anna Muster",
        "contact_email": "anna@neu.example",
        "language": "de",
        "received_on": today.isoformat(),
        "territories": [romandie.pk, zurich.pk],
        "message": "We would like to distribute your products.",
    }

    response = staff_client.post(ADD, data, follow=True)

    assert response.status_code == HTTPStatus.OK
    application = DistributorApplication.objects.get()
    assert application.overlap == "Zürich is already served by Alpha Distribution (German-speaking Switzerland)."
    assert set(application.territories.all()) == {romandie, zurich}
    assert any("overlaps active distributors" in message for message in messages_of(response))
    page = staff_client.get(change_url(application))
    assert "Zürich is already served by Alpha Distribution" in page.text


def test_changelist_shows_pending_by_default(staff_client, make_application, staff_user, alpha, romandie, zurich):
    make_application([romandie], company="Léman SA")
    make_application([zurich], company="Limmat AG")
    decided = make_application([romandie], company="Entschieden AG")
    distributor_application_refuse(application=decided, reason="No.", actor=staff_user)

    response = staff_client.get(CHANGELIST)

    shown = [application.company for application in response.context["cl"].result_list]
    assert sorted(shown) == ["Limmat AG", "Léman SA"]
    assert "Zürich is already served by Alpha Distribution" in response.text
    everything = staff_client.get(CHANGELIST, {"status": "all"})
    assert everything.context["cl"].result_count == 3
    overlapping = staff_client.get(CHANGELIST, {"overlap": "yes"})
    assert [application.company for application in overlapping.context["cl"].result_list] == ["Limmat AG"]


def test_changelist_queries_do_not_grow(
    staff_client, make_application, make_user, romandie, zurich, today, django_assert_max_num_queries
):
    for number in range(30):
        application = make_application([romandie, zurich], company=f"Company {number}", status="refused")
        application.decided_by = make_user()
        application.received_on = today - datetime.timedelta(days=number)
        application.save()
    # Session and user (2), territory filter (1), counts (2), the page and its territories (2), date hierarchy (2),
    # the overlaps as they are now: active distributors and their territories (2), session save (3): none per row.
    with django_assert_max_num_queries(14):
        response = staff_client.get(CHANGELIST, {"status": "all"})
    assert response.context["cl"].result_count == 30


def test_accept_action_reports_each_application(
    staff_client, make_application, alpha, romandie, zurich, mailoutbox, django_capture_on_commit_callbacks
):
    fine = make_application([romandie], company="Léman SA")
    overlapping = make_application([zurich], company="Limmat AG")

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(staff_client, "accept_application", [fine, overlapping])

    assert response.status_code == HTTPStatus.OK
    assert messages_of(response) == [
        "Limmat AG cannot be accepted, its territories are served already: "
        "Zürich is already served by Alpha Distribution (German-speaking Switzerland).",
        "Accepted, distributor created, applicant emailed: Léman SA.",
    ]
    fine.refresh_from_db()
    overlapping.refresh_from_db()
    assert (fine.status, overlapping.status) == ("accepted", "pending")
    assert fine.distributor.name == "Léman SA"
    assert [message.to for message in mailoutbox] == [["anna@neu.example"]]
    assert LogEntry.objects.get(object_id=str(fine.pk)).change_message == "Accepted, distributor created."


def test_accepting_needs_the_permission_to_add_distributors(client, make_user, make_application, romandie):
    """Accepting creates a distributor: changing applications alone is not enough."""
    clerk = make_user(is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_distributorapplication", "change_distributorapplication"])
    )
    client.force_login(clerk)
    application = make_application([romandie], company="Léman SA")

    page = client.get(CHANGELIST)
    refused = run_action(client, "accept_application", [application])

    assert [name for name, _label in page.context["action_form"].fields["action"].choices] == [
        "",
        "refuse_application",
    ]
    assert refused.status_code == HTTPStatus.OK
    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.PENDING
    assert not Distributor.objects.exists()

    clerk.user_permissions.add(Permission.objects.get(codename="add_distributor"))
    run_action(client, "accept_application", [application])
    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.ACCEPTED


def test_refuse_action_asks_for_a_reason_then_emails_it(
    staff_client, make_application, romandie, mailoutbox, django_capture_on_commit_callbacks
):
    application = make_application([romandie], company="Léman SA", language="fr")

    page = run_action(staff_client, "refuse_application", [application])

    assert page.templates[0].name == "admin/partners/partner/action_reason.html"
    assert "Léman SA" in page.text
    assert "Emailed to the applicant in the language of the application." in page.text
    again = run_action(staff_client, "refuse_application", [application], apply="1", reason=" ")
    assert again.context["form"].errors == {"reason": ["This field is required."]}
    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        done = run_action(staff_client, "refuse_application", [application], apply="1", reason="No room in Romandie.")

    assert messages_of(done) == ["Refused, applicant told by email: Léman SA."]
    application.refresh_from_db()
    assert (application.status, application.refusal_reason) == ("refused", "No room in Romandie.")
    (message,) = mailoutbox
    assert "Le motif\u00a0:\nNo room in Romandie." in message.body


def test_decided_application_is_read_only(staff_client, make_application, staff_user, romandie):
    application = distributor_application_refuse(
        application=make_application([romandie]), reason="No.", actor=staff_user
    )

    page = staff_client.get(change_url(application))

    assert page.status_code == HTTPStatus.OK
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text
    response = staff_client.post(change_url(application), {"company": "Renamed"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    delete = reverse("admin:partners_distributorapplication_delete", args=[application.pk])
    assert staff_client.get(delete).status_code == HTTPStatus.FORBIDDEN


def test_accept_from_the_change_form(staff_client, make_application, romandie):
    application = make_application([romandie], company="Léman SA")

    response = staff_client.post(
        change_url(application),
        {"CHANGE_FORM-action": "accept_application", "_selected_action": [application.pk]},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    application.refresh_from_db()
    assert application.status == DistributorApplication.Status.ACCEPTED
    assert "Accepted, distributor created, applicant emailed: Léman SA." in messages_of(response)


def test_pending_application_pages(staff_client, make_application, romandie):
    application = make_application([romandie])

    assert "Checked when the application is saved." in staff_client.get(ADD).text
    page = staff_client.get(change_url(application))
    assert page.context["has_change_permission"] is True
    assert "None: no active distributor serves these territories." in page.text
    history = reverse("admin:partners_distributorapplication_history", args=[application.pk])
    assert staff_client.get(history).status_code == HTTPStatus.OK
    delete = reverse("admin:partners_distributorapplication_delete", args=[application.pk])
    assert staff_client.get(delete).status_code == HTTPStatus.OK


def test_the_overlap_reads_in_the_readers_language(staff_client, make_application, alpha, zurich):
    """Recorded by someone reading English, read by someone reading German."""
    application = make_application([zurich], company="Limmat AG")
    assert application.overlap.startswith("Zürich is already served by")

    with translation.override("de"):
        page = staff_client.get(change_url(application))
        listing = staff_client.get(reverse("admin:partners_distributorapplication_changelist"))

    german = "Zürich wird bereits von Alpha Distribution betreut (German-speaking Switzerland)."
    assert german in page.text
    assert german in listing.text
    assert "already served" not in page.text + listing.text


def test_only_a_pending_application_offers_accept_and_refuse(staff_client, make_application, staff_user, romandie):
    pending = make_application([romandie], company="Léman SA")
    decided = distributor_application_refuse(application=make_application([romandie]), reason="No.", actor=staff_user)

    offered = staff_client.get(change_url(pending))
    closed = staff_client.get(change_url(decided))

    choices = [name for name, _label in offered.context["action_form"].fields["action"].choices]
    assert choices == ["", "accept_application", "refuse_application"]
    assert closed.context["action_form"] is None
    assert "accept_application" not in closed.text
