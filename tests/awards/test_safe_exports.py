"""No cell of any CSV or XLSX export runs as a formula: text users typed that starts with a formula
trigger (=, +, -, @, tab, carriage return) comes out behind an apostrophe; numbers stay numbers.

One test per export: the console listings (Wagtail's spreadsheet export, through
``SafeSpreadsheetExportMixin``), the reviewer pool, the ranking of a results snapshot and the
paper-score template.
"""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scoring.enums import StageKind
from scoring.results.services.computation import compute_cycle_results
from tests.factories import (
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ProgrammeFactory,
    ReviewerFactory,
)
from tests.scoring.factories import (
    AssignmentFactory,
    PanelFactory,
    ReviewerProfileFactory,
    ReviewStageFactory,
)
from tests.scoring.results_world import SCORES, add_application, build_world

pytestmark = pytest.mark.django_db

#: What a user might type, and the cell the export must hold for it.
HOSTILE = {
    '=HYPERLINK("http://evil.example","点我")': '\'=HYPERLINK("http://evil.example","点我")',
    "+86-27-1234": "'+86-27-1234",
    "-2+3": "'-2+3",
    "@SUM(A1:A9)": "'@SUM(A1:A9)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}
SAFE = set(HOSTILE.values())
#: XML reads a stored carriage return back as a line feed; the cell is still text behind "'".
SAFE_XLSX = {value.replace("\r", "\n") for value in SAFE}


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list[object]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(rows, index) -> set:
    return {row[index] for row in rows[1:]}


@pytest.fixture
def admin(client):
    user = get_user_model().objects.create_superuser("platform-admin", "a@example.com", "x")
    client.force_login(user)
    return user


def listing_exports(client, url):
    """The CSV's and the workbook's rows, each with the neutralized cells expected in it."""
    return (
        (csv_rows(client.get(url + "?export=csv")), SAFE),
        (xlsx_rows(client.get(url + "?export=xlsx")), SAFE_XLSX),
    )


def test_authorities_export(client, admin):
    for number, text in enumerate(HOSTILE):
        AuthorityFactory(name=text, region_code=f"{4201 + number:04d}00")
    for rows, expected in listing_exports(client, "/admin/authorities/"):
        assert column(rows, 0) == expected
        # Region codes are text of digits: unchanged.
        assert column(rows, 3) == {f"{4201 + n:04d}00" for n in range(len(HOSTILE))}


def test_programmes_export(client, admin):
    authority = AuthorityFactory(name="-天门市人民政府")
    for text in HOSTILE:
        ProgrammeFactory(authority=authority, name=text)
    for rows, expected in listing_exports(client, "/admin/programmes/"):
        assert column(rows, 0) == expected
        assert column(rows, 2) == {"'-天门市人民政府"}


def test_cycles_export_keeps_numbers(client, admin):
    for edition, text in enumerate(HOSTILE, start=1):
        CycleFactory(programme__name=text, edition=edition)
    (rows_csv, safe_csv), (rows_xlsx, safe_xlsx) = listing_exports(client, "/admin/cycles/")
    assert column(rows_csv, 0) == safe_csv
    assert column(rows_xlsx, 0) == safe_xlsx
    editions = set(range(1, len(HOSTILE) + 1))
    assert column(rows_csv, 1) == {str(edition) for edition in editions}
    assert column(rows_xlsx, 1) == editions
    assert {type(row[1]) for row in rows_xlsx[1:]} == {int}


def test_frameworks_export(client, admin):
    from awards.models import CriteriaFramework

    authority = AuthorityFactory()
    for number, text in enumerate(HOSTILE):
        CriteriaFramework.objects.create(
            authority=authority, code=f"=X{number}", version="1", name=text, total_points=1000
        )
    (rows_csv, safe_csv), (rows_xlsx, safe_xlsx) = listing_exports(client, "/admin/frameworks/")
    for rows, expected in ((rows_csv, safe_csv), (rows_xlsx, safe_xlsx)):
        hostile_rows = [row[1:] for row in rows if str(row[0]).startswith("'=X")]
        assert len(hostile_rows) == len(HOSTILE)
        assert {row[1] for row in hostile_rows} == expected
    assert {row[3] for row in rows_xlsx if str(row[0]).startswith("'=X")} == {1000}


def test_organizations_export(client, admin):
    for text in HOSTILE:
        OrganizationFactory(name=text, legal_representative="@张三")
    for rows, expected in listing_exports(client, "/admin/organizations/"):
        assert column(rows, 0) == expected
        assert column(rows, 7) == {"'@张三"}


def test_people_export(client, admin):
    for number, text in enumerate(HOSTILE):
        OfficialFactory(username=f"person{number}", full_name=text, phone="+8613800000000")
    for rows, expected in listing_exports(client, "/admin/people/"):
        hostile = [row for row in rows[1:] if str(row[0]).startswith("person")]
        assert {row[1] for row in hostile} == expected
        assert {row[6] for row in hostile} == {"'+8613800000000"}


def test_reviewer_pool_export_keeps_numbers(client):
    authority = AuthorityFactory()
    official = OfficialFactory(authority=authority)
    for text in HOSTILE:
        ReviewerProfileFactory(user__authority=authority, employer_name=text, max_load_per_cycle=7)
    client.force_login(official)
    (rows_csv, safe_csv), (rows_xlsx, safe_xlsx) = listing_exports(client, "/admin/reviewers/")
    assert column(rows_csv, 4) == safe_csv
    assert column(rows_xlsx, 4) == safe_xlsx
    assert column(rows_csv, 7) == {"7"}
    assert column(rows_xlsx, 7) == {7}


def test_ranking_csv_and_xlsx(client):
    world = build_world(names=())
    for text in HOSTILE:
        add_application(world, text, scores=SCORES["甲公司"])
    snapshot = compute_cycle_results(cycle=world.cycle, by=world.official)
    client.force_login(world.official)
    rows_csv = csv_rows(client.get(reverse("cycle_results:csv", args=[snapshot.pk])))
    rows_xlsx = xlsx_rows(client.get(reverse("cycle_results:xlsx", args=[snapshot.pk])))
    assert column(rows_csv, 1) == SAFE
    assert column(rows_xlsx, 1) == SAFE_XLSX
    # Totals stay numbers: "700.00" in the CSV, 700 in the workbook.
    assert column(rows_csv, 2) == {"700.00"}
    assert column(rows_xlsx, 2) == {700}


def test_score_template_and_its_import(client):
    from scoring.review.services.score_import import import_scores

    stage = ReviewStageFactory(kind=StageKind.ONSITE, order=2)
    authority = stage.cycle.programme.authority
    reviewer = ReviewerFactory(username="-li", authority=authority)
    panel = PanelFactory(stage=stage)
    AssignmentFactory(panel=panel, reviewer=reviewer)
    official = OfficialFactory(authority=authority)
    client.force_login(official)
    response = client.get(f"/admin/review/stages/{stage.pk}/score-template/")
    rows = csv_rows(response)
    assert column(rows, 1) == {"'-li"}
    assert column(rows, 0) == {str(panel.application_id)}
    # The filled template imports: the apostrophe is read back off.
    lines = [",".join(rows[0])] + [",".join([*row[:4], "75", "=现场核实", ""]) for row in rows[1:]]
    result = import_scores(cycle=stage.cycle, data=("\n".join(lines) + "\n").encode(), by=official)
    assert (result.ok, result.errors) == (True, [])
