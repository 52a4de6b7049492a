"""Page builders shared by the home tests; they go through the same services as the portal."""

import datetime as dt

from home.models import AwardProgrammePage, HomePage, NoticePage
from home.services import create_programme_page
from tests import clock
from tests.factories import ProgrammeFactory


def paragraph(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def add_programme_page(home: HomePage, programme=None, body=None) -> AwardProgrammePage:
    return create_programme_page(
        home=home, programme=programme or ProgrammeFactory(), body=body or []
    )


def add_notice(
    parent: AwardProgrammePage,
    *,
    title: str,
    date: dt.date | None = None,
    summary: str = "",
    body=None,
    publish: bool = True,
) -> NoticePage:
    """A notice under ``parent``, dated today unless told; with ``publish=False`` it stays a
    draft (not live)."""
    notice = NoticePage(
        title=title, date=date or clock.today(), summary=summary, body=body or [], live=publish
    )
    parent.add_child(instance=notice)
    revision = notice.save_revision()
    if publish:
        revision.publish()
    return notice
