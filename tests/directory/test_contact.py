"""The contact form on a profile: stored, mailed to the owners and the account manager, guarded."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from directory import contact_limits
from directory.models import ContactRequest
from partners.models import Membership

VISITOR = {
    "name": "Vera Visitor",
    "email": "vera@customer.example",
    "company": "Customer GmbH",
    "message": "We need 40 workstations protected by March.",
}


@pytest.fixture
def manager(make_user):
    return make_user("cam@vendor.example", is_staff=True, first_name="Carla", language="en")


@pytest.fixture
def partner(make_listed, manager):
    return make_listed("Säntis IT AG", account_manager=manager)


@pytest.fixture
def owners(partner, make_member):
    """A German-speaking owner, an English-speaking one, an owner who left, and a technician."""
    german = make_member(partner, role=Membership.Role.OWNER, email="otto@saentis.example", first_name="Otto")
    german.user.language = "de"
    german.user.save()
    english = make_member(partner, role=Membership.Role.OWNER, email="olive@saentis.example", language="en")
    make_member(partner, role=Membership.Role.OWNER, email="gone@saentis.example", is_active=False)
    make_member(partner, role=Membership.Role.TECHNICAL, email="tech@saentis.example")
    return {"de": german.user, "en": english.user}


def contact_url(partner) -> str:
    return reverse("directory:partner-contact", args=[partner.slug])


def send(client, partner, data=None, **extra):
    return client.post(contact_url(partner), VISITOR if data is None else data, **extra)


def test_a_message_is_stored_and_the_visitor_sees_a_confirmation(client, partner, owners):
    response = send(client, partner, VISITOR | {"name": "  Vera Visitor  "})

    sent_url = reverse("directory:partner-contact-sent", args=[partner.slug])
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == sent_url
    contact = ContactRequest.objects.get()
    assert contact.partner == partner
    assert (contact.name, contact.email, contact.company) == ("Vera Visitor", VISITOR["email"], VISITOR["company"])
    assert contact.message == VISITOR["message"]
    assert contact.language == "en"
    assert contact.handled is False
    # The address is kept as a keyed hash only.
    assert contact.ip_hash
    assert "127.0.0.1" not in contact.ip_hash
    confirmation = client.get(sent_url)
    assert confirmation.status_code == HTTPStatus.OK
    assert "Message sent" in confirmation.content.decode()
    assert "Your message is on its way to Säntis IT AG" in confirmation.content.decode()


def test_the_message_goes_to_each_active_owner_and_the_account_manager_once_committed(
    client, partner, owners, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(client, partner)
        assert mailoutbox == []  # not before the request is stored for good

    assert len(callbacks) == 1
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert sorted(by_recipient) == sorted([(owners["de"].email,), (owners["en"].email,), (manager.email,)])
    for message in mailoutbox:
        assert message.reply_to == [VISITOR["email"]]
        assert VISITOR["message"] in message.body
        assert VISITOR["company"] in message.body
        html = message.alternatives[0].content
        assert VISITOR["message"] in html


def test_each_recipient_reads_the_message_in_their_language(
    client, partner, owners, manager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, partner)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    german = by_recipient[owners["de"].email]
    assert german.body.startswith("Guten Tag Otto")
    assert f"E-Mail: {VISITOR['email']}" in german.body
    english = by_recipient[owners["en"].email]
    assert english.body.startswith("Hello,")
    assert f"Email: {VISITOR['email']}" in english.body
    assert "Reply to this email to answer Vera Visitor directly." in english.body
    assert english.subject == "Vera Visitor wrote to Säntis IT AG through the partner directory"
    to_manager = by_recipient[manager.email]
    assert to_manager.body.startswith("Hello Carla,")
    assert "channel account manager of Säntis IT AG" in to_manager.body
    contact = ContactRequest.objects.get()
    assert reverse("admin:directory_contactrequest_change", args=[contact.pk]) in to_manager.body
    assert "admin" not in german.body


def test_without_an_account_manager_only_the_owners_are_written_to(
    client, partner, owners, mailoutbox, django_capture_on_commit_callbacks
):
    partner.account_manager = None
    partner.save()

    with django_capture_on_commit_callbacks(execute=True):
        send(client, partner)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(user.email for user in owners.values())


def test_a_partner_without_an_owner_account_is_written_to_at_its_general_email(
    client, partner, manager, mailoutbox, django_capture_on_commit_callbacks
):
    partner.email = "info@saentis.example"
    partner.save()

    with django_capture_on_commit_callbacks(execute=True):
        send(client, partner, HTTP_ACCEPT_LANGUAGE="en")

    to = {message.to[0]: message for message in mailoutbox}
    assert set(to) == {"info@saentis.example", manager.email}
    assert to["info@saentis.example"].body.startswith("Hello,")
    assert to["info@saentis.example"].reply_to == [VISITOR["email"]]


def test_an_inactive_account_manager_is_skipped(
    client, partner, owners, manager, mailoutbox, django_capture_on_commit_callbacks
):
    manager.is_active = False
    manager.save()

    with django_capture_on_commit_callbacks(execute=True):
        send(client, partner)

    assert manager.email not in [message.to[0] for message in mailoutbox]
    assert len(mailoutbox) == 2


def test_what_the_visitor_wrote_is_escaped_in_the_html_email(
    client, partner, owners, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(client, partner, VISITOR | {"name": "<b>Eve</b>", "message": "<img src=x onerror=alert(1)> please call"})

    html = mailoutbox[0].alternatives[0].content
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; please call" in html
    assert "<b>Eve</b>" not in html


def test_a_message_written_in_german_is_marked_german(client, partner, owners):
    response = client.post(f"/de/partners/{partner.slug}/contact/", VISITOR)

    assert response["Location"] == f"/de/partners/{partner.slug}/contact/sent/"
    assert ContactRequest.objects.get().language == "de"


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"message": "Call me"}, "message", "Please tell the partner a little more: at least 10 characters."),
        ({"message": "  short   "}, "message", "Please tell the partner a little more: at least 10 characters."),
        ({"message": "x" * 5001}, "message", "Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_bad_input_gets_a_message_at_the_field_and_nothing_is_sent(
    client, partner, owners, mailoutbox, django_capture_on_commit_callbacks, changes, field, error
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, partner, VISITOR | changes)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<div class="invalid-feedback d-block" id="id_{field}_error">{error}</div>' in html
    widget = re.search(rf'<(?:input|textarea)[^>]*name="{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in widget
    assert "Please correct the fields marked below." in html
    # The rest of what the visitor typed is still there.
    assert f'value="{VISITOR["company"]}"' in html
    assert ContactRequest.objects.count() == 0
    assert mailoutbox == []


def test_a_bot_filling_the_hidden_field_is_answered_like_a_person_but_nothing_happens(
    client, partner, owners, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, partner, VISITOR | {"website_url": "https://spam.example"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("directory:partner-contact-sent", args=[partner.slug])
    assert ContactRequest.objects.count() == 0
    assert mailoutbox == []


def test_the_hidden_field_is_out_of_sight_and_out_of_the_tab_order(client, partner):
    html = client.get(reverse("directory:partner-detail", args=[partner.slug])).content.decode()

    assert '<div class="d-none" aria-hidden="true">' in html
    assert 'name="website_url"' in html
    assert 'tabindex="-1"' in html


def test_one_address_may_send_only_so_many_messages(client, partner, owners):
    for _ in range(contact_limits.LIMIT):
        assert send(client, partner).status_code == HTTPStatus.FOUND

    blocked = send(client, partner)

    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert blocked["Retry-After"] == str(contact_limits.WINDOW_SECONDS)
    assert "Too many messages" in blocked.content.decode()
    assert ContactRequest.objects.count() == contact_limits.LIMIT
    # Another address is not affected, and the limit holds for every partner.
    assert send(client, partner, REMOTE_ADDR="192.0.2.7").status_code == HTTPStatus.FOUND
    assert ContactRequest.objects.count() == contact_limits.LIMIT + 1


def test_the_limit_holds_across_partners(client, partner, make_listed):
    other = make_listed("Other AG")
    for _ in range(contact_limits.LIMIT):
        send(client, partner)

    assert send(client, other).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_bot_submissions_count_and_forms_sent_back_with_errors_do_not(client, partner):
    for _ in range(contact_limits.LIMIT + 2):
        assert send(client, partner, VISITOR | {"email": "wrong"}).status_code == HTTPStatus.OK
    assert send(client, partner).status_code == HTTPStatus.FOUND

    for _ in range(contact_limits.LIMIT - 1):
        send(client, partner, VISITOR | {"website_url": "x"})

    assert send(client, partner).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_rate_limited_page_offers_the_phone_and_the_partner_desk(client, partner, settings):
    partner.phone = "+41 71 555 00 00"
    partner.save()
    for _ in range(contact_limits.LIMIT):
        send(client, partner)

    html = send(client, partner).content.decode()

    assert "Call Säntis IT AG at +41 71 555 00 00" in html
    assert f"mailto:{settings.EXTRANET_PARTNER_DESK_EMAIL}" in html


def test_an_unlisted_partner_cannot_be_written_to(client, make_listed, make_member, mailoutbox):
    hidden = make_listed("Hidden AG", tier="accredited")
    make_member(hidden, role=Membership.Role.OWNER)

    response = send(client, hidden)

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert ContactRequest.objects.count() == 0
    assert send(client, hidden, VISITOR | {"website_url": "x"}).status_code == HTTPStatus.NOT_FOUND


def test_opening_the_contact_url_goes_back_to_the_form(client, partner):
    response = client.get(contact_url(partner))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("directory:partner-detail", args=[partner.slug]) + "#contact"
    assert ContactRequest.objects.count() == 0
