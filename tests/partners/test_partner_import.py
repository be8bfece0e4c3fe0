"""Importing existing partners in bulk: the file's checks, idempotent re-imports, owner invitations, the command."""

import csv
import datetime
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from partners.imports.formats import iter_datasets
from partners.imports.partners import partners_import
from partners.models import Invitation, Language, Membership, Partner, TierChange
from partners.services import invitation_accept_new_account

HEADER = ["company name", "UID", "street", "postcode", "city", "canton", "tier", "account manager", "owner email"]
UID = "CHE-109.322.551"  # a valid check digit (CHE-109.322.55x)


@pytest.fixture
def channel(make_territory, make_distributor, make_user, tiers):
    """German- and French-speaking Switzerland, one distributor each, and a channel account manager."""
    german = make_territory("ch-de", name="German-speaking Switzerland", regions="ZH, BE, LU, ZG")
    french = make_territory("ch-fr", name="French-speaking Switzerland", regions="VD, GE, NE")
    german.languages.set([Language.objects.get_or_create(code="de", defaults={"name": "German"})[0]])
    french.languages.set([Language.objects.get_or_create(code="fr", defaults={"name": "French"})[0]])
    return {
        "german": german,
        "french": french,
        "alpsec": make_distributor("alpsec", territories=[german], name="AlpSec Distribution"),
        "leman": make_distributor("leman", territories=[french], name="Léman Distribution"),
        "manager": make_user("manager@vendor.example", is_staff=True),
        "tiers": tiers,
    }


@pytest.fixture
def staff(make_user):
    return make_user("importer@vendor.example", is_staff=True, is_superuser=True)


def csv_file(tmp_path, rows, *, header=HEADER, encoding="utf-8", delimiter=",", name="partners.csv"):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def xlsx_file(tmp_path, rows, *, header=HEADER, name="partners.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def run(path, *, actor=None, **options):
    return partners_import(datasets=iter_datasets(path), actor=actor, **options)


GOOD = [
    ["Zürcher Informatik AG", UID, "Bahnhofstrasse 1", "8001", "Zürich", "ZH", "Accredited Reseller", "", ""],
    ["Sécurité Léman SA", "", "Rue du Lac 5", "1003", "Lausanne", "VD", "certified", "manager@vendor.example", ""],
]


def test_a_good_file_creates_active_partners_in_their_territory_with_an_admission(tmp_path, channel, staff, today):
    result = run(csv_file(tmp_path, GOOD), actor=staff)

    assert not result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    zurich = Partner.objects.get(uid=UID)
    assert zurich.status == Partner.Status.ACTIVE
    assert (zurich.tier.code, zurich.territory, zurich.distributor) == (
        "accredited",
        channel["german"],
        channel["alpsec"],
    )
    assert (zurich.slug, zurich.country, zurich.joined_on, zurich.region) == (
        "zurcher-informatik-ag",
        "CH",
        today,
        "ZH",
    )
    lausanne = Partner.objects.get(name="Sécurité Léman SA")
    assert (lausanne.tier.code, lausanne.distributor, lausanne.account_manager) == (
        "certified",
        channel["leman"],
        channel["manager"],
    )
    admission = TierChange.objects.get(partner=zurich)
    assert (admission.kind, admission.reason, admission.decided_by) == (
        TierChange.Kind.ADMISSION,
        "Migrated from the previous programme",
        staff,
    )
    assert zurich.history.get().history_user == staff


def test_xlsx_with_german_headers_excel_dates_and_numbers(tmp_path, channel):
    header = ["Firma", "UID-Nummer", "Adresse", "PLZ", "Ort", "Kanton", "Stufe", "Beitritt", "Telefon", "Land"]
    rows = [
        ["Berner Netz GmbH", "", "Marktgasse 2", 3011, "Bern", "be", "accredited", datetime.date(2019, 5, 1), "", ""],
        ["Luzern IT AG", "CHE109322551", "", 6003.0, "Luzern", "LU", "Certified Partner", 43831, 41411234567, "CH"],
    ]

    result = run(xlsx_file(tmp_path, rows, header=header))

    assert not result.errors
    bern, luzern = Partner.objects.order_by("name")
    assert (bern.postcode, bern.region, bern.joined_on) == ("3011", "BE", datetime.date(2019, 5, 1))
    assert (luzern.uid, luzern.postcode, luzern.joined_on, luzern.phone) == (
        UID,
        "6003",
        datetime.date(2020, 1, 1),
        "41411234567",
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", "\t")]
)
def test_encodings_and_separators(tmp_path, channel, encoding, delimiter):
    result = run(csv_file(tmp_path, GOOD, encoding=encoding, delimiter=delimiter))

    assert not result.errors
    assert set(Partner.objects.values_list("name", "city")) == {
        ("Zürcher Informatik AG", "Zürich"),
        ("Sécurité Léman SA", "Lausanne"),
    }


def row_with(column: str, value: str) -> list[str]:
    row = ["Neue Firma AG", "", "Weg 1", "8002", "Zürich", "ZH", "accredited", "", ""]
    headers = [*HEADER, "territory", "distributor", "joined on", "owner language", "country", "email", "website"]
    row += [""] * (len(headers) - len(row))
    row[headers.index(column)] = value
    return row


EXTENDED = [*HEADER, "territory", "distributor", "joined on", "owner language", "country", "email", "website"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("tier", "Gold", "No tier has the code or name “Gold”."),
        ("tier", "Enterprise Solution Partner", "is granted by nomination only: import the partner at the tier"),
        ("territory", "ch-xx", "No territory has the code or name “ch-xx”."),
        ("distributor", "nobody", "No active distributor has the code or name “nobody”."),
        ("distributor", "leman", "Léman Distribution does not serve German-speaking Switzerland."),
        ("account manager", "someone@example.com", "someone@example.com is not the email of an active staff member."),
        ("UID", "CHE-109.322.552", "is not a valid UID: its check digit does not match."),
        ("UID", "123", "Use the format CHE-123.456.788."),
        ("canton", "XY", "XY is not a Swiss canton; use its two-letter code, e.g. ZG."),
        ("email", "not-an-address", "“not-an-address” is not an email address."),
        ("owner email", "owner@", "“owner@” is not an email address."),
        ("website", "http://", "is not a web address."),
        ("joined on", "31.02.2020", "“31.02.2020” is not a date"),
        ("joined on", "2999-01-01", "2999-01-01 is in the future."),
        ("company name", "", "This value is required."),
        ("owner language", "Klingon", "“klingon” is not one of the languages"),
        ("country", "Narnia", "“Narnia” is not a country code such as CH, DE or AT."),
        ("postcode", "1" * 13, "Longer than 12 characters."),
        # Each column is measured against its database column, a website with the https:// added.
        ("website", "www." + "x" * 190 + ".ch", "Longer than 200 characters once https:// is added."),
        ("website", "https://" + "x" * 190 + ".ch", "Longer than 200 characters."),
        ("city", "Z" * 101, "Longer than 100 characters."),
        ("street", "S" * 201, "Longer than 200 characters."),
        ("email", "a" * 250 + "@x.ch", "Longer than 254 characters."),
        ("canton", "R" * 41, "Longer than 40 characters."),
    ],
)
def test_each_bad_row_is_reported_with_row_column_and_reason(tmp_path, channel, make_user, column, value, reason):
    make_user("someone@example.com")
    path = csv_file(tmp_path, [GOOD[0], row_with(column, value)], header=EXTENDED)

    result = run(path)

    assert [(error.row, error.column) for error in result.errors] == [(3, column)]
    assert reason in result.errors[0].reason
    assert str(result.errors[0]).startswith(f"row 3, {column}: ")
    assert not Partner.objects.exists()


def test_duplicates_within_the_file_are_errors(tmp_path, channel):
    rows = [GOOD[0], GOOD[1], [*GOOD[0][:1], "", *GOOD[0][2:]], ["Other AG", UID, "", "9000", "", "", "accredited"]]
    rows[3] += [""] * 2

    result = run(csv_file(tmp_path, rows))

    assert [(error.row, error.column, error.reason) for error in result.errors] == [
        (4, "company name", "The same partner as in row 2."),
        (5, "UID", "The same partner as in row 2."),
    ]
    assert not Partner.objects.exists()


def test_a_missing_column_names_the_accepted_headers(tmp_path, channel):
    result = run(csv_file(tmp_path, [["X AG"]], header=["Firma"]))

    assert len(result.errors) == 1
    assert result.errors[0].row == 1
    assert "The column “tier” is missing (accepted names: tier, level, partner level, Stufe" in result.errors[0].reason


def test_reimporting_creates_no_duplicates_and_updates_what_changed(tmp_path, channel, staff):
    path = csv_file(tmp_path, GOOD)
    run(path, actor=staff)

    again = run(path, actor=staff)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Partner.objects.count() == 2

    moved = [[*GOOD[0][:4], "Zürich-Oerlikon", *GOOD[0][5:6], "certified", "", ""], GOOD[1]]
    corrected = run(csv_file(tmp_path, moved, name="corrected.csv"), actor=staff)

    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 1)
    [outcome] = [o for o in corrected.outcomes if o.action == "updated"]
    assert outcome.changes == ["city"]
    assert "Tier kept at Accredited Reseller (the file says Certified Partner)" in outcome.notes[0]
    zurich = Partner.objects.get(uid=UID)
    assert (zurich.city, zurich.tier.code) == ("Zürich-Oerlikon", "accredited")
    assert zurich.history.first().history_user == staff
    assert TierChange.objects.count() == 2


def test_a_partner_without_uid_is_found_by_name_and_postcode_whatever_the_case(tmp_path, channel, make_partner):
    existing = make_partner("SÉCURITÉ LÉMAN SA", postcode="1003", city="Lausanne")

    result = run(csv_file(tmp_path, [GOOD[1]]))

    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.region, existing.street) == ("Sécurité Léman SA", "VD", "Rue du Lac 5")


def test_a_dry_run_writes_nothing(tmp_path, channel):
    result = run(csv_file(tmp_path, GOOD), dry_run=True)

    assert (result.created, result.errors) == (2, [])
    assert not Partner.objects.exists()


OWNED = [
    [*GOOD[0][:8], "Owner@Zuercher.example"],
    [*GOOD[1][:8], "patron@leman.example"],
]


def test_owner_invitations_only_when_asked(tmp_path, channel, staff, django_capture_on_commit_callbacks):
    path = csv_file(tmp_path, OWNED)
    with django_capture_on_commit_callbacks(execute=True):
        run(path, actor=staff)
    assert not Invitation.objects.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        result = run(path, actor=staff, invite=True)

    assert len(result.invitations) == 2
    zurich = Invitation.objects.get(email="owner@zuercher.example")
    assert (zurich.role, zurich.language, zurich.invited_by) == (Membership.Role.OWNER, "de", staff)
    assert Invitation.objects.get(email="patron@leman.example").language == "fr"
    assert sorted(message.to[0] for message in mail.outbox) == ["owner@zuercher.example", "patron@leman.example"]
    assert all(f"/invitations/{i.token}/" in m.body for i, m in zip(*_paired(mail.outbox), strict=True))

    with django_capture_on_commit_callbacks(execute=True):
        again = run(path, actor=staff, invite=True)
    assert again.invitations == []
    assert len(mail.outbox) == 2
    assert "An owner invitation is open already" in again.outcomes[0].notes[0]


def _paired(outbox):
    invitations = [Invitation.objects.get(email=message.to[0]) for message in outbox]
    return invitations, outbox


def test_partners_with_an_owner_are_not_invited_and_others_are_invited_later(
    tmp_path, channel, make_member, django_capture_on_commit_callbacks
):
    path = csv_file(tmp_path, OWNED)
    run(path)
    make_member(Partner.objects.get(uid=UID), role=Membership.Role.OWNER)

    with django_capture_on_commit_callbacks(execute=True):
        result = run(path, invite=True)

    assert [i.email for i in result.invitations] == ["patron@leman.example"]
    assert "Has an owner already" in result.outcomes[0].notes[0]
    assert [message.to for message in mail.outbox] == [["patron@leman.example"]]


def test_an_owner_who_belongs_to_another_partner_is_an_error(tmp_path, channel, make_partner, make_member):
    make_member(make_partner("Elsewhere AG"), email="patron@leman.example")

    result = run(csv_file(tmp_path, OWNED), invite=True)

    assert [(error.row, error.column) for error in result.errors] == [(3, "owner email")]
    assert "patron@leman.example is a member of Elsewhere AG already" in result.errors[0].reason


def test_five_hundred_partners_cost_a_bounded_number_of_queries(
    tmp_path, channel, staff, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    rows = [
        [f"Partner {n} AG", "", f"Weg {n}", str(8000 + n % 900), "Zürich", "ZH", "accredited", "", f"o{n}@example.com"]
        for n in range(500)
    ]
    path = csv_file(tmp_path, rows)

    with django_assert_max_num_queries(40), django_capture_on_commit_callbacks(execute=False):
        result = run(path, actor=staff, invite=True)

    assert (result.created, len(result.invitations), result.errors) == (500, 500, [])
    assert Partner.objects.count() == 500
    assert TierChange.objects.count() == 500
    with django_assert_max_num_queries(15):
        assert run(path, actor=staff, invite=True).unchanged == 500


def test_the_command_dry_run_import_and_errors(tmp_path, channel):
    out = io.StringIO()
    path = csv_file(tmp_path, GOOD)

    call_command("import_partners", str(path), "--dry-run", stdout=out)
    assert "Would import partners.csv: 2 new, 0 updated, 0 unchanged." in out.getvalue()
    assert not Partner.objects.exists()

    call_command("import_partners", str(path), stdout=out)
    assert "Imported partners.csv: 2 new, 0 updated, 0 unchanged." in out.getvalue()
    assert Partner.objects.count() == 2

    bad = csv_file(tmp_path, [row_with("tier", "Gold")], header=EXTENDED, name="bad.csv")
    with pytest.raises(CommandError, match=r"(?s)Nothing imported: 1 error in bad.csv.*row 2, tier: No tier has"):
        call_command("import_partners", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_partners", str(tmp_path / "missing.csv"))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="Cannot read broken.xlsx"):
        call_command("import_partners", str(broken))


# The admin ---------------------------------------------------------------------------


def upload(client, path, **fields):
    with path.open("rb") as handle:
        # The format is left empty, as a person leaves it: the file's extension decides.
        return client.post(reverse("admin:partners_partner_import"), {"import_file": handle, "format": "", **fields})


def test_admin_dry_run_then_confirm(client, staff, tmp_path, channel, django_capture_on_commit_callbacks):
    client.force_login(staff)
    assert client.get(reverse("admin:partners_partner_import")).status_code == HTTPStatus.OK

    dry = upload(client, csv_file(tmp_path, OWNED), send_invitations="on")

    assert dry.status_code == HTTPStatus.OK
    page = dry.content.decode()
    assert "2 new, 0 updated, 0 unchanged." in page
    assert "2 owner invitations will be emailed." in page
    assert "Zürcher Informatik AG" in page
    assert "German-speaking Switzerland" in page
    assert not Partner.objects.exists()
    confirm = dry.context["confirm_form"].initial
    assert confirm["send_invitations"] is True

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("admin:partners_partner_process_import"),
            {**confirm, "send_invitations": "True"},
            follow=True,
        )

    assert done.redirect_chain[-1][0] == reverse("admin:partners_partner_changelist")
    assert "Partners imported: 2 new, 0 updated, 0 unchanged. 2 owner invitations sent." in done.content.decode()
    assert Partner.objects.count() == 2
    assert len(mail.outbox) == 2
    assert LogEntry.objects.filter(user=staff, action_flag=ADDITION).count() == 2


def test_admin_upload_lists_each_columns_names_and_has_the_admin_breadcrumbs(client, staff, tmp_path, channel):
    client.force_login(staff)

    page = client.get(reverse("admin:partners_partner_import")).content.decode()
    dry = upload(client, csv_file(tmp_path, GOOD)).content.decode()

    assert '<dl class="import-columns">' in page
    assert "<dt>company name</dt><dd>company name, company, name, Firma, Firmenname, Name der Firma</dd>" in page
    assert "<dt>tier</dt><dd>tier, level, partner level, Stufe, Partnerstufe</dd>" in page
    assert '<ol class="breadcrumbs">' in page
    assert f'<li><a href="{reverse("admin:partners_partner_changelist")}">Partners</a></li>' in page
    assert '<div class="admin-scroll">' in dry
    assert 'class="closelink">Cancel</a>' in dry


def test_admin_without_invitations_and_xlsx_by_extension(client, staff, tmp_path, channel):
    client.force_login(staff)
    dry = upload(client, xlsx_file(tmp_path, OWNED))

    assert "No owner invitations will be sent." in dry.content.decode()
    client.post(reverse("admin:partners_partner_process_import"), dry.context["confirm_form"].initial)

    assert Partner.objects.count() == 2
    assert not Invitation.objects.exists()


def test_admin_lists_every_bad_row_and_offers_no_confirmation(client, staff, tmp_path, channel):
    client.force_login(staff)
    rows = [row_with("tier", "Gold"), row_with("canton", "XY")]
    rows[1][0] = "Other AG"

    response = upload(client, csv_file(tmp_path, rows, header=EXTENDED))

    page = response.content.decode()
    assert "Nothing was imported: 2 problems." in page
    assert "No tier has the code or name “Gold”." in page
    assert "XY is not a Swiss canton" in page
    assert "confirm_form" not in response.context
    assert "process_import" not in page
    assert not Partner.objects.exists()


def test_a_staff_member_without_add_partner_cannot_import(client, make_user, tmp_path, channel):
    viewer = make_user("viewer@vendor.example", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(viewer)

    changelist = client.get(reverse("admin:partners_partner_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    assert reverse("admin:partners_partner_import") not in changelist.content.decode()
    assert client.get(reverse("admin:partners_partner_import")).status_code == HTTPStatus.FORBIDDEN
    assert upload(client, csv_file(tmp_path, GOOD)).status_code == HTTPStatus.FORBIDDEN
    assert not Partner.objects.exists()


def test_staff_who_may_add_but_not_change_partners_cannot_import(client, make_user, tmp_path, channel):
    """An import updates the partners it finds again and sends invitations: adding alone is not enough."""
    clerk = make_user("clerk@vendor.example", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_partner", "add_partner"]))
    client.force_login(clerk)

    assert client.get(reverse("admin:partners_partner_import")).status_code == HTTPStatus.FORBIDDEN
    assert upload(client, csv_file(tmp_path, GOOD)).status_code == HTTPStatus.FORBIDDEN
    clerk.user_permissions.add(Permission.objects.get(codename="change_partner"))
    assert client.get(reverse("admin:partners_partner_import")).status_code == HTTPStatus.OK


def test_a_failing_invitation_email_is_logged_and_the_import_stands(
    tmp_path, channel, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("partners.imports.partner_write.email_message_for_user", broken)

    with django_capture_on_commit_callbacks(execute=True):
        result = run(csv_file(tmp_path, OWNED), invite=True)

    assert (result.created, len(result.invitations)) == (2, 2)
    assert Invitation.objects.count() == 2
    assert "Could not send 2 owner invitation emails" in caplog.text
    assert mail.outbox == []


def test_the_command_reads_a_dos_encoded_file(tmp_path, channel):
    """cp850 writes "ü" as 0x81, which Windows-1252 leaves undefined: the file is read, the letter replaced."""
    path = tmp_path / "dos.csv"
    path.write_bytes("Firma;PLZ;Ort;Stufe\r\nMüller AG;8004;Zürich;accredited\r\n".encode("cp850"))
    out = io.StringIO()

    call_command("import_partners", str(path), stdout=out)

    assert "Imported dos.csv: 1 new, 0 updated, 0 unchanged." in out.getvalue()
    assert Partner.objects.get().name == "M\ufffdller AG"


def test_the_invited_owner_joins_as_owner(tmp_path, channel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_file(tmp_path, OWNED[:1]), invite=True)
    invitation = Invitation.objects.get()

    membership = invitation_accept_new_account(
        invitation=invitation, first_name="Urs", last_name="Meier", password="a-long-enough-pass", language="de"
    )

    assert (membership.partner.uid, membership.role) == (UID, Membership.Role.OWNER)


def test_partners_not_active_are_not_invited(tmp_path, channel, make_partner):
    make_partner("Sécurité Léman SA", postcode="1003", status=Partner.Status.ENDED)

    result = run(csv_file(tmp_path, OWNED), invite=True)

    assert [i.email for i in result.invitations] == ["owner@zuercher.example"]
    assert "Not active: no invitation." in result.outcomes[1].notes


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(tmp_path, channel):
    path = tmp_path / "gaps.csv"
    lines = [",".join(HEADER), ",".join(GOOD[0]), "", ",".join(row_with("tier", "Gold")[: len(HEADER)])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run(path)

    assert [(error.row, error.column) for error in result.errors] == [(4, "tier")]
