"""An application as plain data for the application PDF (申报书).

The PDF is rendered from these frozen dataclasses, not from model instances, so that the
template never triggers a query, the rendering can be tested and benchmarked without a database,
and the submitted application is frozen into exactly what was printed. The service that submits
an application builds one ``ApplicationDocument`` from the database and passes it to
``awards.pdf.render.render_application_pdf``.

Every text field holds what the applicant typed, unescaped: the template escapes it. Display
labels (industry, size, eligibility answers) are already translated strings, because the PDF
shows words, not codes. Sequences may be tuples or lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

PROCESS = "process"
RESULTS = "results"


@dataclass(frozen=True, slots=True)
class OrganizationInfo:
    """The applying organization as registered (申报单位基本情况).

    ``region`` is the place name (e.g. "江西省南昌市"); ``industry`` and ``size`` are display
    labels such as "制造业" and "大型".
    """

    name: str
    credit_code: str
    region: str = ""
    industry: str = ""
    size: str = ""
    registration_date: date | None = None
    legal_representative: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """The person the quality office calls about this application (联系人)."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class FinancialYear:
    """One year of results; amounts in 万元 (ten thousand yuan), as the forms ask for them."""

    year: int
    revenue: Decimal | None = None
    profit: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CertificationEntry:
    """A management-system certification, e.g. "ISO 9001 质量管理体系"."""

    name: str
    certificate_no: str = ""
    first_certified: date | None = None


@dataclass(frozen=True, slots=True)
class BasicInfo:
    """The application form's figures (申报表). ``financials`` are oldest year first."""

    employees: int | None = None
    financials: Sequence[FinancialYear] = ()
    certifications: Sequence[CertificationEntry] = ()
    excellence_model_year: int | None = None


@dataclass(frozen=True, slots=True)
class EligibilityEntry:
    """One condition of the cycle and how the applicant met it (资格条件声明).

    ``condition`` is the rule as the applicant saw it ("注册经营满 3 年"), ``answer`` what they
    declared ("已注册 12 年"), ``passed`` the computed verdict and ``reason`` why it failed.
    """

    condition: str
    answer: str
    passed: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ItemEntry:
    """One criteria item with the applicant's self-assessment text and optional self-score.

    ``kind`` is ``"process"`` or ``"results"``; ``self_percent`` is 0–100 on the 5 % grid or
    ``None`` when the applicant did not score the item.
    """

    code: str
    name: str
    points: int
    kind: str
    text: str
    self_percent: int | None = None

    @property
    def self_score(self) -> Decimal | None:
        """Item points × percentage, exact; rounding happens only when printed."""
        if self.self_percent is None:
            return None
        return Decimal(self.points) * Decimal(self.self_percent) / Decimal(100)


@dataclass(frozen=True, slots=True)
class CategoryEntry:
    """A criteria category (e.g. 4.1 领导, 110 points) with its items in order."""

    code: str
    name: str
    points: int
    items: Sequence[ItemEntry] = ()

    @property
    def self_score(self) -> Decimal | None:
        """Sum of the scored items; ``None`` when none of them was scored."""
        return _sum_scores(item.self_score for item in self.items)


@dataclass(frozen=True, slots=True)
class AttachmentEntry:
    """One uploaded evidence file: its attachment type, stored (sanitized) name, size in bytes."""

    type_name: str
    file_name: str
    size: int


@dataclass(frozen=True, slots=True)
class ApplicationDocument:
    """Everything printed in the application PDF, in the order it is printed.

    ``programme_name`` "井冈质量奖"; ``cycle_title`` the edition, e.g. "第五届井冈质量奖（2025 年度）";
    ``authority_name`` the awarding authority ("江西省人民政府"); ``application_code`` the
    number officials quote ("JG-2025-0007"); ``recommending_unit`` empty when the programme
    needs none; ``overview`` the organization overview (组织概述); ``submitted_at`` an aware
    datetime, ``None`` for a draft preview (the cover then says so); ``framework_label`` the
    criteria version recorded at submission, e.g. "GB/T 19580-2012 卓越绩效评价准则".
    """

    programme_name: str
    cycle_title: str
    authority_name: str
    application_code: str
    organization: OrganizationInfo
    contact: ContactInfo
    basic: BasicInfo
    eligibility: Sequence[EligibilityEntry]
    overview: str
    categories: Sequence[CategoryEntry]
    attachments: Sequence[AttachmentEntry] = ()
    recommending_unit: str = ""
    submitted_at: datetime | None = None
    framework_label: str = ""
    total_points: int = 1000
    #: An individual application's candidate as (label, value) rows; the identity number is
    #: masked (``awards.id_numbers``). Empty for an organization's application.
    candidate_rows: list[tuple[str, str]] = field(default_factory=list)

    @property
    def self_score(self) -> Decimal | None:
        """The self-assessed total over all scored items (自评总分)."""
        return _sum_scores(category.self_score for category in self.categories)

    @property
    def unscored_items(self) -> int:
        """How many items carry no self-score, so a partial total is never read as complete."""
        return sum(1 for c in self.categories for item in c.items if item.self_percent is None)


def _sum_scores(scores: Iterable[Decimal | None]) -> Decimal | None:
    present = [score for score in scores if score is not None]
    return sum(present, Decimal(0)) if present else None
