"""A small results world for the publication tests: an authority, its programme page, a cycle
under review and an approved snapshot proposing two awards (and one application without)."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import CycleStatus
from awards.models import Application, Cycle, User
from home.models import AwardProgrammePage, HomePage
from home.services import create_programme_page
from scoring.results.models import ResultEntry, ResultSnapshot
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    ProgrammeFactory,
)
from tests.scoring.factories import (
    ApprovedSnapshotFactory,
    EligibleApplicationFactory,
    ResultEntryFactory,
)

#: The smallest file ``inspect_upload`` accepts as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def pdf_upload(name: str = "证明材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def html_named_pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, HTML_BYTES, content_type="application/pdf")


@dataclass
class ResultsWorld:
    official: User
    cycle: Cycle
    snapshot: ResultSnapshot
    winner: ResultEntry
    nominee: ResultEntry
    unplaced: ResultEntry
    programme_page: AwardProgrammePage | None
    #: A second official: under the four-eyes rule the one who approves the results pages.
    approver: User

    @property
    def applications(self) -> list[Application]:
        return [self.winner.application, self.nominee.application, self.unplaced.application]


def application_of(cycle: Cycle, name: str) -> Application:
    region = cycle.programme.authority.region_code
    applicant = ApplicantFactory(organization__name=name, organization__region_code=region)
    return EligibleApplicationFactory(cycle=cycle, organization=applicant.organization)


def build_results_world(
    home: HomePage | None,
    *,
    authority_name: str = "天门市人民政府",
    region_code: str = "429006",
    programme_name: str = "陆羽质量奖",
    slug: str = "luyu",
    official_username: str = "luyu-office",
) -> ResultsWorld:
    authority = AuthorityFactory(
        name=authority_name, region_code=region_code, region_prefix=region_code
    )
    programme = ProgrammeFactory(authority=authority, name=programme_name, slug=slug)
    programme_page = create_programme_page(home=home, programme=programme) if home else None
    cycle = CycleFactory(programme=programme, edition=5, status=CycleStatus.REVIEW)
    official = OfficialFactory(authority=authority, username=official_username, full_name="李主任")
    approver = OfficialFactory(
        authority=authority, username=f"{official_username}-approver", full_name="张科长"
    )
    snapshot = ApprovedSnapshotFactory(cycle=cycle, version=1, created_by=official)
    winner = ResultEntryFactory(
        snapshot=snapshot,
        application=application_of(cycle, "湖北天门纺织机械股份有限公司"),
        rank=1,
        total="712.40",
        level="质量奖",
    )
    nominee = ResultEntryFactory(
        snapshot=snapshot,
        application=application_of(cycle, "天门市华宇食品有限公司"),
        rank=2,
        total="655.10",
        level="提名奖",
    )
    unplaced = ResultEntryFactory(
        snapshot=snapshot,
        application=application_of(cycle, "天门市恒达建材有限公司"),
        rank=3,
        total="540.00",
        level="",
    )
    return ResultsWorld(
        official, cycle, snapshot, winner, nominee, unplaced, programme_page, approver
    )
