"""Fuzzing every public and extranet form: whatever is posted, the answer is never a server error.

Each form gets hypothesis-built posts: a valid post with one field swapped for a nasty value, many
fields swapped, or fields left out. Nasty values are random unicode, very long strings, HTML/JS
payloads, spreadsheet formula prefixes, numbers and lists. A page that re-renders must show the
payloads escaped, and so must the HTML of any email the post sent.

NUL is kept out of the random text: PostgreSQL cannot store it, and Django's form fields refuse it
(ProhibitNullCharactersValidator) before any query; `test_nul_bytes_are_refused_cleanly` proves that
once per form, on SQLite and PostgreSQL alike. FUZZ_EXAMPLES=500 runs a deeper search locally.
"""

import os
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from nfr.models import Licence
from partners.models import Invitation, Language, Membership, Partner, Product, Service

settings.register_profile(
    "forms",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    # The database and the client are the test's; each example clears what would leak between them.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no saved examples to replay: a failure prints its example and a blob to reproduce it
    print_blob=True,
)
FORMS = settings.get_profile("forms")

PASSWORD = "a-sturdy-Passphrase-2005"
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "</textarea><b>bold</b>",
]
NUL = "nul\x00byte"
FORMULAS = ["=cmd|' /C calc'!A0", "+41 44 000", "-2+3", "@SUM(A1:A9)", '=HYPERLINK("http://x")', "\t=1+1"]

text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80)
long_text = st.builds(
    lambda piece, count: piece * count, st.sampled_from(["a", "é", "😀", "<", "'", "ß\u200b"]), st.integers(200, 6000)
)
payload = st.builds(lambda before, inner, after: before + inner + after, text, st.sampled_from(PAYLOADS), text)
scalar = st.one_of(
    text,
    long_text,
    payload,
    st.sampled_from(FORMULAS),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e999", "NaN", "on", "true", "null", "../../etc/passwd", "%00", "\u202e"]),
    st.emails(),
)
nasty = st.one_of(scalar, st.lists(scalar, min_size=0, max_size=3))


@st.composite
def posts(draw, good: dict[str, st.SearchStrategy]) -> dict:
    """A valid post as is (its values still random), with one or many fields fuzzed, or some left out."""
    data = {name: draw(strategy) for name, strategy in good.items()}
    mode = draw(st.sampled_from(["valid", "one", "one", "many", "missing"]))
    if mode == "one":
        data[draw(st.sampled_from(sorted(good)))] = draw(nasty)
    for name in sorted(good):
        if mode == "many" and draw(st.booleans()):
            data[name] = draw(nasty)
        elif mode == "missing" and draw(st.booleans()):
            del data[name]
    return data


def fresh_email(domain: str = "example.com") -> st.SearchStrategy:
    return st.builds(lambda value: f"p{value.hex[:12]}@{domain}", st.uuids())


def strings_in(data: dict) -> list[str]:
    values = []
    for value in data.values():
        values.extend(value if isinstance(value, list) else [value])
    return [value for value in values if isinstance(value, str)]


def assert_no_server_error(response, data: dict, sent: list) -> None:
    """Below 500, and no payload that was posted comes back unescaped, on the page or in an email."""
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    posted = " ".join(strings_in(data))
    documents = [response.content.decode(errors="replace")] if not response.streaming else []
    documents += [content for message in sent for content, _type in getattr(message, "alternatives", [])]
    for raw in PAYLOADS:
        if raw in posted:
            assert all(raw not in document for document in documents), raw


@pytest.fixture
def fresh(django_capture_on_commit_callbacks) -> Callable:
    """Each example starts with empty caches (rate limits count there) and runs its on-commit mail."""

    def send(client: Client, url: str, data: dict, **extra):
        for cache in caches.all():
            cache.clear()
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data, **extra)
        assert_no_server_error(response, data, mail.outbox[before:])
        # --hypothesis-show-statistics tells how many examples got through (302) or were refused (200).
        if currently_in_test_context():
            event(f"{url.split('/')[-2]}: {response.status_code}")
        return response

    return send


def reauthenticated(client: Client, user) -> Client:
    """Signed in, with a fresh password confirmation, as the owners' pages ask for one."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def choices(tiers) -> dict[str, list[str]]:
    return {
        "languages": [str(pk) for pk in Language.objects.values_list("pk", flat=True)],
        "services": [str(pk) for pk in Service.objects.values_list("pk", flat=True)],
    }


def some(values: list[str]) -> st.SearchStrategy:
    return st.lists(st.sampled_from(values), max_size=3, unique=True)


@pytest.fixture
def owner(make_partner, make_member):
    partner = make_partner("Fuzz Informatik AG", tier="certified", directory_consent=True, city="Bern", region="BE")
    return make_member(partner, role=Membership.Role.OWNER, email="owner@fuzz.example")


# Public forms -------------------------------------------------------------------------------


def test_apply(client, fresh, choices):
    @FORMS
    @given(
        posts(
            {
                "name": st.builds(lambda tail: f"Firma {tail}", text),
                "uid": st.sampled_from(["", "", "", "CHE-109.322.551", "che109322551"]),
                "street": st.just("Bahnhofstrasse 1"),
                "postcode": st.sampled_from(["8001", "3011"]),
                "city": st.sampled_from(["Zürich", "Genève"]),
                "region": st.sampled_from(["ZH", "ge", "TI"]),
                "country": st.sampled_from(["CH", "LI", "DE"]),
                "website": st.sampled_from(["", "https://bergblick.example", "bergblick.example"]),
                "phone": st.sampled_from(["", "+41 44 000 00 00"]),
                "email": st.sampled_from(["", "info@bergblick.example"]),
                "languages": some(choices["languages"]),
                "services": some(choices["services"]),
                "description": text,
                "directory_consent": st.sampled_from(["", "on"]),
                "first_name": st.just("Beat"),
                "last_name": st.just("Brunner"),
                "applicant_email": fresh_email("bergblick.example"),
                "password1": st.just(PASSWORD),
                "password2": st.just(PASSWORD),
                "language": st.sampled_from(["en", "de", "fr"]),
            }
        )
    )
    def apply(data):
        fresh(Client(), reverse("partners:apply"), data)

    apply()


def test_directory_contact(fresh, make_partner, choices):
    partner = make_partner("Säntis IT AG", tier="certified", directory_consent=True, city="Bern", region="BE")
    partner.languages.set(choices["languages"][:1])

    @FORMS
    @given(
        posts(
            {
                "name": st.just("Vera Visitor"),
                "email": st.emails(),
                "company": text,
                "message": st.builds(lambda body: f"We need 40 workstations. {body}", text),
            }
        )
    )
    def contact(data):
        fresh(Client(), reverse("directory:partner-contact", args=[partner.slug]), data)

    contact()


def test_invitation_accept(fresh, owner):
    @FORMS
    @given(
        posts(
            {
                "first_name": st.just("Tina"),
                "last_name": text,
                "password1": st.just(PASSWORD),
                "password2": st.just(PASSWORD),
                "language": st.sampled_from(["en", "de", "fr"]),
            }
        )
    )
    def accept(data):
        # A new invitation each time: a valid post uses it up and signs the person in.
        invitation = Invitation.objects.create(
            partner=owner.partner,
            email=f"i{uuid.uuid4().hex[:12]}@example.com",
            role="technical",
            invited_by=owner.user,
        )
        fresh(Client(), reverse("partners:invitation-accept", args=[invitation.token]), data)

    accept()


# Extranet forms -----------------------------------------------------------------------------


def test_nfr_request(client, fresh, make_partner, make_member):
    member = make_member(make_partner("Limmat Informatik GmbH"), role=Membership.Role.SALES)
    product = Product.objects.create(sku="NFR-FUZZ", name="Anti-Virus Workstation", nfr_available=True)
    client.force_login(member.user)

    @FORMS
    @given(posts({"product": st.sampled_from([str(product.pk), ""]), "purpose": text}))
    def request(data):
        # Requests stay pending otherwise, and the yearly allowance would refuse all but the first few.
        Licence.objects.all().delete()
        fresh(client, reverse("nfr:licence-request"), data)

    request()


def test_team_invite(client, fresh, owner):
    reauthenticated(client, owner.user)

    @FORMS
    @given(
        posts(
            {
                "email": fresh_email(),
                "role": st.sampled_from(["sales", "technical", "owner"]),
                "language": st.sampled_from(["en", "de", "fr"]),
            }
        )
    )
    def invite(data):
        fresh(client, reverse("partners:team-invite"), data)

    invite()


logos = st.builds(
    lambda name, extension, content: SimpleUploadedFile(f"{name}.{extension}", content),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00/\\"), min_size=1, max_size=30),
    st.sampled_from(["png", "jpg", "webp", "svg", "PNG", "html", "", "png.exe"]),
    st.one_of(
        st.binary(max_size=2048),
        st.builds(lambda tail: b"\x89PNG\r\n\x1a\n" + tail, st.binary(max_size=256)),
        st.builds(lambda tail: b"RIFF\x00\x00\x00\x00WEBPVP8X" + tail, st.binary(max_size=64)),
        st.just(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ),
)


def test_profile_edit(client, fresh, owner, choices, settings):
    settings.MEDIA_ROOT = settings.EXTRANET_PRIVATE_MEDIA_ROOT.parent / "media"
    reauthenticated(client, owner.user)

    @FORMS
    @given(
        posts(
            {
                "description": text,
                "services": some(choices["services"]),
                "languages": some(choices["languages"]),
                "website": st.sampled_from(["", "https://fuzz.example"]),
                "phone": st.sampled_from(["", "+41 31 000 00 00"]),
                "directory_consent": st.sampled_from(["", "on"]),
                "remove_logo": st.sampled_from(["", "on"]),
            }
        ),
        st.one_of(st.none(), logos),
    )
    def edit(data, logo):
        fresh(client, reverse("partners:profile"), data | ({"logo": logo} if logo else {}))

    edit()


def test_settings(client, fresh, owner):
    reauthenticated(client, owner.user)

    @FORMS
    @given(
        posts({"language": st.sampled_from(["en", "de", "fr"]), "receives_newsletter": st.sampled_from(["", "on"])}),
        posts({"require_mfa": st.sampled_from(["", "on"])}),
    )
    def save(preferences, mfa):
        fresh(client, reverse("partners:settings"), preferences)
        fresh(client, reverse("partners:settings-mfa"), mfa)
        # Required MFA would send the owner to set up a second factor instead of the next example's form.
        Partner.objects.filter(pk=owner.partner_id).update(require_mfa=False)

    save()


# The admin's imports ------------------------------------------------------------------------

SALES_HEADER = "reference,invoice date,partner number,UID,company,postcode,product,quantity,amount EUR"
PARTNER_HEADER = "company name,UID,street,postcode,city,canton,tier,account manager,owner email"
cell = st.one_of(
    scalar.map(lambda value: value[:100]),
    st.sampled_from(["P-00001", "KAV-WS", "2026-01-31", "31.01.2026", "46000", "1'234.50", "accredited", ""]),
)


@st.composite
def spreadsheets(draw, header: str, good_row: st.SearchStrategy) -> tuple[str, bytes]:
    """(file name, content): random bytes, or CSV text under the real or a random header, with good rows too."""
    name = draw(st.text(st.characters(codec="utf-8", exclude_characters="\x00/\\"), min_size=1, max_size=20))
    extension = draw(st.sampled_from(["csv", "csv", "xlsx", "CSV", "txt", "", "csv.xlsx"]))
    if draw(st.integers(0, 3)) == 0:
        return f"{name}.{extension}", draw(st.binary(max_size=4096))
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    rows = draw(st.lists(st.one_of(good_row, st.lists(cell, max_size=10)), max_size=6))
    lines = [header.replace(",", separator) if draw(st.integers(0, 3)) else separator.join(draw(st.lists(cell)))]
    lines += [separator.join(row) for row in rows]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    return f"{name}.{extension}", "\r\n".join(lines).encode(encoding, errors="replace")


def confirms(**good) -> st.SearchStrategy:
    """Confirmation posts, tampered: the hidden fields name another file, format or resource.

    "UPLOADED" stands for the dry run's own file, when it offered a confirmation.
    """
    return posts(
        {
            "import_file_name": st.sampled_from(["UPLOADED", "UPLOADED", "missing-upload", "../../etc/passwd", ".."]),
            "original_file_name": st.just("report.csv"),
            "format": st.sampled_from(["0", "1", "2", "-1", "csv"]),
            "resource": st.sampled_from(["", "0", "1"]),
            **good,
        }
    )


def confirmed(confirm: dict, dry_run) -> dict:
    offered = dry_run.context.get("confirm_form") if dry_run.context else None
    uploaded = offered.initial["import_file_name"] if offered else "missing-upload"
    return confirm | ({"import_file_name": uploaded} if confirm.get("import_file_name") == "UPLOADED" else {})


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_sales_import(staff_client, fresh, make_distributor, make_partner, product, today):
    distributor = make_distributor("ost")
    climber = make_partner("Climber AG", postcode="8004")
    good_row = st.builds(
        lambda reference, quantity: [
            f"INV-{reference}",
            today.isoformat(),
            climber.number,
            "",
            "",
            "",
            "KAV-WS",
            str(quantity),
            "1000",
        ],
        st.uuids().map(lambda value: value.hex[:10]),
        st.integers(-3, 50),
    )

    @FORMS
    @given(
        spreadsheets(SALES_HEADER, good_row),
        posts({"distributor": st.sampled_from([str(distributor.pk), ""]), "format": st.sampled_from(["", "0", "1"])}),
        confirms(distributor=st.sampled_from([str(distributor.pk), "0", "x"])),
    )
    def upload(sheet, data, confirm):
        name, content = sheet
        dry_run = fresh(
            staff_client,
            reverse("admin:partners_purchase_import"),
            data | {"import_file": SimpleUploadedFile(name, content)},
        )
        fresh(staff_client, reverse("admin:partners_purchase_process_import"), confirmed(confirm, dry_run))

    upload()


def test_partner_import(staff_client, fresh, tiers):
    good_row = st.builds(
        lambda name, tier: [f"Firma {name}", "", "Bahnhofstrasse 1", "8001", "Zürich", "ZH", tier, "", ""],
        st.uuids().map(lambda value: value.hex[:10]),
        st.sampled_from(["accredited", "certified", "enterprise", "gold"]),
    )

    @FORMS
    @given(
        spreadsheets(PARTNER_HEADER, good_row),
        posts({"format": st.sampled_from(["", "0", "1"]), "send_invitations": st.sampled_from(["", "on"])}),
        confirms(send_invitations=st.sampled_from(["", "on"])),
    )
    def upload(sheet, data, confirm):
        name, content = sheet
        dry_run = fresh(
            staff_client,
            reverse("admin:partners_partner_import"),
            data | {"import_file": SimpleUploadedFile(name, content)},
        )
        fresh(staff_client, reverse("admin:partners_partner_process_import"), confirmed(confirm, dry_run))

    upload()


# NUL ----------------------------------------------------------------------------------------

NUL_POSTS = {
    "partners:apply": {"name": NUL, "city": NUL, "applicant_email": NUL, "language": NUL, "languages": [NUL]},
    "partners:team-invite": {"email": NUL, "role": NUL, "language": NUL},
    "partners:profile": {"description": NUL, "website": NUL, "phone": NUL, "services": [NUL]},
    "partners:settings": {"language": NUL},
    "nfr:licence-request": {"product": NUL, "purpose": NUL},
    "admin:partners_purchase_process_import": {"import_file_name": NUL, "format": NUL, "original_file_name": NUL},
}


@pytest.mark.parametrize("name", sorted(NUL_POSTS))
def test_nul_bytes_are_refused_cleanly(name, fresh, owner, staff_user, make_partner):
    """PostgreSQL text cannot hold NUL: a form must refuse it before any query, never pass it on."""
    client = Client()
    client.force_login(staff_user) if name.startswith("admin:") else reauthenticated(client, owner.user)
    response = fresh(client, reverse(name), NUL_POSTS[name])
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}


def test_nul_bytes_in_public_forms(fresh, owner, make_partner):
    partner = make_partner("Säntis IT AG", tier="certified", directory_consent=True)
    invitation = Invitation.objects.create(partner=owner.partner, email="nul@example.com", invited_by=owner.user)
    contact = {"name": NUL, "email": NUL, "company": NUL, "message": NUL * 3}
    accept = {"first_name": NUL, "last_name": NUL, "password1": NUL, "password2": NUL, "language": NUL}

    for url, data in [
        (reverse("directory:partner-contact", args=[partner.slug]), contact),
        (reverse("partners:invitation-accept", args=[invitation.token]), accept),
    ]:
        response = fresh(Client(), url, data)
        assert response.status_code == HTTPStatus.OK, url
        assert "Null characters are not allowed." in response.content.decode(), url


# What the fuzzing found, pinned ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["purchase", "partner"])
@pytest.mark.parametrize(
    "tampered",
    [
        {"format": "7"},
        {"format": "csv"},
        {"resource": "3"},
        {"import_file_name": "a" * 300},
        {"import_file_name": ".."},
        {"import_file_name": ""},
    ],
)
def test_a_tampered_confirmation_goes_back_to_the_upload_page(staff_client, model, tampered):
    confirm = {"import_file_name": "tmpabcdefgh", "original_file_name": "r.csv", "format": "0", "resource": ""}

    response = staff_client.post(reverse(f"admin:partners_{model}_process_import"), confirm | tampered, follow=True)

    assert response.redirect_chain[-1][0] == reverse(f"admin:partners_{model}_import")
    assert "This upload was imported already or has expired." in response.content.decode()


def test_an_id_beyond_64_bits_is_an_invalid_choice(client, owner):
    reauthenticated(client, owner.user)

    response = client.post(reverse("partners:profile"), {"languages": [str(2**70)], "description": "IT"})

    assert response.status_code == HTTPStatus.OK
    assert f"“{2**70}” is not a valid value." in response.content.decode()
