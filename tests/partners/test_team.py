"""The partner's team: owners invite, re-invite and remove; invitees join; removal ends access at once."""

import datetime
import re
import time
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partners.models import Certification, Invitation, Membership
from partners.services import membership_remove

PASSWORD = "a-sturdy-Passphrase-2005"
# Session and user (2), the membership for the MFA middleware and for the gate (2), the members with
# their second factors (1), their certifications (1), the invitations (1), the session saved (3).
TEAM_QUERIES = 10


def reauthenticate(client, user) -> None:
    """What allauth records when the person has just typed their password again."""
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def partner(make_partner):
    return make_partner("Limmat Informatik GmbH")


@pytest.fixture
def owner(partner, make_member):
    return make_member(partner, role=Membership.Role.OWNER, email="olga@limmat.example", first_name="Olga").user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    reauthenticate(client, owner)
    return client


@pytest.fixture
def invite(owner_client, django_capture_on_commit_callbacks):
    def send(email: str, role: str = "technical", language: str = "en"):
        with django_capture_on_commit_callbacks(execute=True):
            return owner_client.post(
                reverse("partners:team-invite"), {"email": email, "role": role, "language": language}
            )

    return send


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*invitations/[\w-]+/)", message.body)[1]


# The team page ------------------------------------------------------------------------


def test_members_see_the_team_with_roles_certifications_and_mfa(client, partner, owner, make_member, today):
    technician = make_member(partner, first_name="Tina", last_name="Tech").user
    Certification.objects.create(
        partner=partner,
        holder=technician,
        exam="Endpoint Security Expert",
        number="C-1",
        issued_on=today - datetime.timedelta(days=10),
        expires_on=today + datetime.timedelta(days=300),
    )
    Authenticator.objects.create(user=technician, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(technician)

    response = client.get(reverse("partners:team"))

    html = re.sub(r"\s+", " ", response.content.decode())
    rows = html.split('<th scope="row">')[1:]
    [tina] = [row for row in rows if row.startswith("Tina Tech")]
    [olga] = [row for row in rows if row.startswith("Olga")]
    assert "Technical" in tina
    assert "Endpoint Security Expert" in tina
    assert "answer-yes" in tina
    assert "Owner" in olga
    assert "answer-no" in olga
    assert "Invite a colleague" not in html, "only owners invite"
    assert "Remove" not in html


def test_the_team_page_costs_a_fixed_number_of_queries(
    owner_client, partner, make_member, make_certified_technician, django_assert_max_num_queries
):
    for _number in range(5):
        make_member(partner)
        make_certified_technician(partner)
    for number in range(5):
        Invitation.objects.create(partner=partner, email=f"guest{number}@example.com")

    with django_assert_max_num_queries(TEAM_QUERIES):
        response = owner_client.get(reverse("partners:team"))

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("Cancel invitation to") == 5


# Inviting -----------------------------------------------------------------------------


def test_an_owner_invites_a_colleague_by_email(invite, partner, owner):
    response = invite("Tina@Example.com", role="technical", language="de")

    assert response["Location"] == reverse("partners:team")
    invitation = Invitation.objects.get()
    assert (invitation.partner, invitation.email, invitation.role) == (partner, "tina@example.com", "technical")
    assert invitation.invited_by == owner
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    [message] = mail.outbox
    assert message.to == ["tina@example.com"]
    assert invitation_path(message) == f"/de/invitations/{invitation.token}/"
    assert "Limmat Informatik GmbH" in message.subject


def test_inviting_asks_for_the_password_again_on_a_stale_session(client, owner):
    client.force_login(owner)

    assert client.get(reverse("partners:team-invite")).status_code == HTTPStatus.OK
    response = client.post(
        reverse("partners:team-invite"), {"email": "tina@example.com", "role": "sales", "language": "en"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Invitation.objects.exists()


def test_an_open_invitation_or_a_member_is_not_invited_twice(invite, make_member, partner):
    make_member(partner, email="member@example.com")
    invite("tina@example.com")

    again = invite("TINA@example.com")
    member = invite("member@example.com")

    assert "has an open invitation already" in again.context["form"].errors["email"][0]
    assert "is already a member of your team" in member.context["form"].errors["email"][0]
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_is_renewed_by_inviting_again(invite):
    invite("tina@example.com")
    first = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))

    invite("tina@example.com")

    renewed = Invitation.objects.get()
    assert renewed.pk == first.pk
    assert renewed.token != first.token
    assert not renewed.is_expired


def test_owners_are_not_invited(invite):
    response = invite("boss@example.com", role="owner")

    assert "Select a valid choice" in response.context["form"].errors["role"][0]


@pytest.mark.parametrize("role", [Membership.Role.SALES, Membership.Role.TECHNICAL])
def test_only_owners_invite(client, partner, make_member, role):
    member = make_member(partner, role=role).user
    client.force_login(member)
    reauthenticate(client, member)

    assert client.get(reverse("partners:team-invite")).status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        reverse("partners:team-invite"), {"email": "x@example.com", "role": "sales", "language": "en"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Invitation.objects.exists()


def test_resending_replaces_the_link(owner_client, invite, client, django_capture_on_commit_callbacks):
    invite("tina@example.com")
    old_path = invitation_path(mail.outbox[0])
    invitation = Invitation.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("partners:invitation-resend", args=[invitation.pk]))

    new_path = invitation_path(mail.outbox[1])
    assert new_path != old_path
    owner_client.logout()
    assert client.get(old_path).status_code == HTTPStatus.NOT_FOUND
    assert client.get(new_path).status_code == HTTPStatus.OK


def test_cancelling_ends_the_link(owner_client, invite, client):
    invite("tina@example.com")
    path = invitation_path(mail.outbox[0])

    owner_client.post(reverse("partners:invitation-cancel", args=[Invitation.objects.get().pk]))

    assert not Invitation.objects.exists()
    owner_client.logout()
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND


def test_another_partners_invitation_is_not_found(owner_client, make_partner):
    theirs = Invitation.objects.create(partner=make_partner(), email="x@example.com")

    for name in ["partners:invitation-resend", "partners:invitation-cancel"]:
        assert owner_client.post(reverse(name, args=[theirs.pk])).status_code == HTTPStatus.NOT_FOUND
    assert Invitation.objects.filter(pk=theirs.pk).exists()


# Accepting ----------------------------------------------------------------------------


@pytest.fixture
def invitation(partner, owner):
    return Invitation.objects.create(
        partner=partner, email="tina@example.com", role="technical", invited_by=owner, language="fr"
    )


def test_a_new_person_sets_name_and_password_and_is_signed_in(client, invitation, partner):
    url = reverse("partners:invitation-accept", args=[invitation.token])
    form = client.get(url)
    assert "tina@example.com" in form.content.decode()
    assert form.context["form"]["language"].value() == "fr"

    response = client.post(
        url,
        {"first_name": "Tina", "last_name": "Tech", "password1": PASSWORD, "password2": PASSWORD, "language": "de"},
    )

    user = User.objects.get(email="tina@example.com")
    assert (user.first_name, user.language) == ("Tina", "de")
    assert user.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=user).verified, "the link proved the address"
    assert (user.membership.partner, user.membership.role) == (partner, "technical")
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (user, True)
    assert response.status_code == HTTPStatus.FOUND
    assert client.get(reverse("partners:dashboard")).status_code == HTTPStatus.OK


def test_a_new_persons_password_must_pass_the_validators(client, invitation):
    response = client.post(
        reverse("partners:invitation-accept", args=[invitation.token]),
        {"first_name": "Tina", "last_name": "Tech", "password1": "tina", "password2": "tina", "language": "en"},
    )

    assert "This password is too short." in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.filter(email="tina@example.com").exists()


def test_a_signed_in_person_without_a_partner_joins(client, invitation, make_user, partner):
    person = make_user("tina@example.com")
    client.force_login(person)
    url = reverse("partners:invitation-accept", args=[invitation.token])

    assert "Join the team" in client.get(url).content.decode()
    response = client.post(url)

    assert response["Location"] == reverse("partners:dashboard")
    assert Membership.objects.get(user=person).partner == partner


def test_an_existing_account_signs_in_first(client, invitation, make_user):
    make_user("tina@example.com")

    response = client.get(reverse("partners:invitation-accept", args=[invitation.token]))

    assert "Sign in to accept the invitation" in response.content.decode()
    assert not Membership.objects.filter(user__email="tina@example.com").exists()


def test_a_member_of_another_partner_is_refused(client, invitation, make_partner, make_member):
    other = make_member(make_partner("Other AG"), email="tina@example.com").user
    client.force_login(other)

    response = client.post(reverse("partners:invitation-accept", args=[invitation.token]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Your account belongs to Other AG" in response.content.decode()
    assert Membership.objects.get(user=other).partner.name == "Other AG"


def test_a_forwarded_link_does_not_let_another_account_join(client, invitation, make_user):
    client.force_login(make_user("someone.else@example.com"))

    response = client.post(reverse("partners:invitation-accept", args=[invitation.token]))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This invitation was sent to tina@example.com" in response.content.decode()


@pytest.mark.parametrize("state", ["unknown", "expired", "used"])
def test_unusable_links_get_the_same_clear_page(client, invitation, make_user, state):
    token = invitation.token
    if state == "unknown":
        token = "no-such-token"
    elif state == "expired":
        Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    else:
        Invitation.objects.update(accepted_at=timezone.now())

    response = client.get(reverse("partners:invitation-accept", args=[token]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "This invitation link does not work" in response.content.decode()


# Removing -----------------------------------------------------------------------------


def test_removing_a_member_ends_their_access_at_once(owner_client, partner, make_member):
    colleague = make_member(partner).user
    theirs = Client()
    theirs.force_login(colleague)
    assert theirs.get(reverse("partners:dashboard")).status_code == HTTPStatus.OK

    response = owner_client.post(reverse("partners:member-remove", args=[colleague.membership.pk]))

    assert response["Location"] == reverse("partners:team")
    assert not Membership.objects.filter(user=colleague).exists()
    assert theirs.get(reverse("partners:dashboard")).status_code == HTTPStatus.FORBIDDEN


def test_owners_cannot_remove_themselves(owner_client, owner):
    response = owner_client.post(reverse("partners:member-remove", args=[owner.membership.pk]), follow=True)

    assert "You cannot remove yourself from the team." in response.content.decode()
    assert Membership.objects.filter(user=owner).exists()


def test_the_last_owner_stays(owner, partner, make_member, staff_user):
    with pytest.raises(ValidationError, match="last owner"):
        membership_remove(membership=owner.membership, actor=staff_user)

    second = make_member(partner, role=Membership.Role.OWNER).user
    membership_remove(membership=owner.membership, actor=second)
    assert not Membership.objects.filter(user=owner).exists()


def test_another_partners_member_is_not_found(owner_client, make_partner, make_member):
    stranger = make_member(make_partner())

    response = owner_client.post(reverse("partners:member-remove", args=[stranger.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_removing_needs_the_password_again(client, owner, partner, make_member):
    colleague = make_member(partner)
    client.force_login(owner)

    response = client.post(reverse("partners:member-remove", args=[colleague.pk]))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Membership.objects.filter(pk=colleague.pk).exists()


def test_removing_is_a_post(owner_client, owner):
    assert owner_client.get(reverse("partners:member-remove", args=[owner.membership.pk])).status_code == (
        HTTPStatus.METHOD_NOT_ALLOWED
    )
