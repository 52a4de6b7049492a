"""Every URL, requested by every role, answers with exactly the expected status.

Objects belong to the "owner" authority; ``other_official`` belongs to a second authority and
must get a 404 for every owner object (hidden means 404). The last test makes sure that no URL
pattern of ours is missing from the table.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from awards.models import CriteriaFramework, Notification
from awards.services.frameworks import copy_as_new_version
from home.demo import build_demo_site
from home.models import AwardProgrammePage, NoticePage
from tests.factories import (
    ApplicantFactory,
    AuthorityFactory,
    CycleFactory,
    OfficialFactory,
    OrganizationFactory,
    ReviewerFactory,
    UserFactory,
    national_framework,
)

#: "superuser" is a platform administrator: every authority's rows, nobody's reviewer or applicant.
ROLES = ("anonymous", "applicant", "reviewer", "official", "other_official", "superuser")

PUBLIC = dict.fromkeys(ROLES, 200)
ANONYMOUS_ONLY = {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}
SIGNED_IN = {"anonymous": 302, **dict.fromkeys(ROLES[1:], 200)}
# Wagtail sends people without admin access to its login page; officials see their own rows.
ADMIN_LISTING = {
    "anonymous": 302,
    "applicant": 302,
    "reviewer": 302,
    "official": 200,
    "other_official": 200,
    "superuser": 200,
}
ADMIN_OWN_OBJECT = {**ADMIN_LISTING, "other_official": 404}
OFFICIAL_REDIRECT_TO_OWN = {**ADMIN_LISTING}
# The reviewer's pages (/review/): only reviewers; "reviewer" leads the panel of the review world.
REVIEWER_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": 302, "reviewer": 200}
REVIEWER_POST_ONLY = {**REVIEWER_ONLY, "reviewer": 405}
# Review actions answer POST only: GET is 405 for the owner's officials, 404 for the others.
ADMIN_POST_ONLY = {**ADMIN_LISTING, "official": 405, "other_official": 404, "superuser": 405}
# An award's certificate and an application's feedback report: its organization and its authority.
RESULT_DOCUMENT = {**SIGNED_IN, "reviewer": 404, "other_official": 404}
# An application's page and files: its organization and the officials of its cycle's authority.
APPLICATION_FILE = {**SIGNED_IN, "reviewer": 404, "other_official": 404}
# The wizard: only the applying organization; "step/" without a step redirects to where it stopped.
APPLICANT_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": 302, "applicant": 200}
APPLICANT_REDIRECT = {**APPLICANT_ONLY, "applicant": 302}
AUTOSAVE = {**APPLICANT_ONLY, "anonymous": 401, "applicant": 405}  # save12
REVIEW_AUTOSAVE = {**REVIEWER_ONLY, "anonymous": 401, "reviewer": 405}  # score12
# Account security: POST-only pages of every signed-in user; lifting an address lockout.
SIGNED_POST_ONLY = {"anonymous": 302, **dict.fromkeys(ROLES[1:], 405)}
PLATFORM_ADMIN_POST_ONLY = {
    **ADMIN_LISTING,
    "official": 404,
    "other_official": 404,
    "superuser": 405,
}

# issue 10: the recommender's pages answer recommenders only (none in this world: see
# RECOMMENDATION_TABLE below), the region list officials and recommenders of a city or county.
RECOMMENDER_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": 302}
# A recommending body's stamped scan: the awarding authority's officials (and the applicant).
RECOMMENDATION_SCAN = {**APPLICATION_FILE, "applicant": 404}

#: (url template, expected statuses). Placeholders are filled from the world fixture.
TABLE = [
    ("/", PUBLIC),
    ("/healthz", PUBLIC),
    ("/{programme_slug}/", PUBLIC),
    ("/{programme_slug}/{notice_slug}/", PUBLIC),
    ("/search/?q=质量", PUBLIC),
    ("/accounts/login/", ANONYMOUS_ONLY),
    ("/accounts/register/", ANONYMOUS_ONLY),
    ("/accounts/register/sent/", PUBLIC),
    ("/accounts/password-reset/", PUBLIC),
    ("/accounts/password-reset/sent/", PUBLIC),
    ("/accounts/reset/done/", PUBLIC),
    ("/accounts/two-factor/", SIGNED_IN),
    ("/accounts/profile/", SIGNED_IN),
    ("/accounts/password/", SIGNED_IN),
    # An invitation link: anyone not signed in; signed-in people are sent to their dashboard;
    # an unknown token is a 404, a used one 410 (with the reason).
    ("/accounts/invitation/{invitation_token}/", {**dict.fromkeys(ROLES, 302), "anonymous": 200}),
    ("/accounts/invitation/no-such-token/", {**dict.fromkeys(ROLES, 302), "anonymous": 404}),
    (
        "/accounts/invitation/{used_invitation_token}/",
        {**dict.fromkeys(ROLES, 302), "anonymous": 410},
    ),
    # 单位用户: the applicant's own organization only; revoking answers POST only.
    ("/portal/colleagues/", APPLICANT_ONLY),
    ("/portal/colleagues/invitations/{invitation}/revoke/", {**APPLICANT_ONLY, "applicant": 405}),
    (
        "/portal/colleagues/invitations/{other_invitation}/revoke/",
        APPLICANT_ONLY | {"applicant": 404},
    ),
    ("/accounts/two-factor/setup/", SIGNED_IN),
    # Nobody here has a second factor: the verification step sends them on.
    ("/accounts/two-factor/verify/", dict.fromkeys(ROLES, 302)),
    ("/accounts/two-factor/recovery-codes/", SIGNED_POST_ONLY),
    ("/accounts/two-factor/disable/", SIGNED_POST_ONLY),
    ("/admin/lockouts/", ADMIN_LISTING),
    ("/admin/lockouts/people/{reviewer}/unlock/", ADMIN_POST_ONLY),
    ("/admin/lockouts/addresses/unlock/", PLATFORM_ADMIN_POST_ONLY),
    ("/portal/", SIGNED_IN),
    ("/portal/notices/", SIGNED_IN),
    ("/portal/notices/read/", SIGNED_POST_ONLY),
    ("/admin/notifications/", ADMIN_LISTING),
    ("/admin/notifications/{notification}/", ADMIN_OWN_OBJECT),
    ("/admin/notifications/{notification}/retry/", ADMIN_POST_ONLY),
    ("/admin/notifications/templates/", ADMIN_LISTING),
    ("/admin/notifications/templates/{authority}/{event_code}/", ADMIN_OWN_OBJECT),
    ("/review/", REVIEWER_ONLY),
    ("/review/cycles/{scoring_cycle}/commitment/", REVIEWER_ONLY),
    ("/review/cycles/{scoring_cycle}/conflicts/", REVIEWER_ONLY),
    ("/review/cycles/{scoring_cycle}/conflicts/finish/", REVIEWER_POST_ONLY),
    ("/review/assignments/{scoring_assignment}/", REVIEWER_ONLY),
    ("/review/assignments/{scoring_assignment}/items/{item_code}/", REVIEWER_ONLY),
    # score12: a scorecard item's background save (POST only; JSON 401 once signed out).
    ("/review/assignments/{scoring_assignment}/items/{item_code}/autosave/", REVIEW_AUTOSAVE),
    ("/review/assignments/{scoring_assignment}/sheet/", REVIEWER_ONLY),
    ("/review/assignments/{scoring_assignment}/sheet/autosave/", REVIEW_AUTOSAVE),  # sheet12
    ("/review/assignments/{scoring_assignment}/submit/", REVIEWER_ONLY),
    ("/review/assignments/{scoring_assignment}/recuse/", REVIEWER_ONLY),
    (
        "/review/assignments/{scoring_assignment}/attachments/{scoring_attachment}/",
        REVIEWER_ONLY,
    ),
    ("/review/panels/{scoring_panel}/consensus/", REVIEWER_ONLY),
    ("/review/panels/{scoring_panel}/consensus/finalize/", REVIEWER_POST_ONLY),
    ("/review/panels/{scoring_panel}/consensus/comments/", REVIEWER_POST_ONLY),
    # The defence stage: the panel's page, the applicant's page, the officials' pages.
    ("/review/panels/{scoring_panel}/consensus/site-issues/", REVIEWER_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/", REVIEWER_ONLY),
    ("/review/panels/{defence_panel}/defence/questions/", REVIEWER_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/send/", REVIEWER_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/files/{defence_file}/", REVIEWER_ONLY),
    ("/portal/applications/{defence_application}/defence/", APPLICANT_ONLY),
    (
        "/portal/applications/{defence_application}/defence/questions/{defence_question}/answer/",
        {**APPLICANT_ONLY, "applicant": 405},
    ),
    (
        "/portal/applications/{defence_application}/defence/files/{defence_answer_file}/",
        APPLICANT_ONLY,
    ),
    ("/admin/review/stages/{defence_stage}/defence/", ADMIN_OWN_OBJECT),
    ("/admin/review/panels/{defence_panel}/defence/", ADMIN_OWN_OBJECT),
    ("/admin/review/defence-files/{defence_file}/", ADMIN_OWN_OBJECT),
    ("/portal/awards/{award}/certificate/", RESULT_DOCUMENT),
    ("/portal/applications/{feedback_application}/feedback/", RESULT_DOCUMENT),
    ("/portal/applications/{feedback_application}/feedback/pdf/", RESULT_DOCUMENT),
    ("/portal/cycles/{apply_cycle}/apply/", APPLICANT_ONLY),
    ("/portal/cycles/{cycle}/apply/", APPLICANT_REDIRECT),
    ("/portal/cycles/{apply_cycle}/apply/individual/", SIGNED_POST_ONLY),
    ("/portal/applications/{draft_application}/", APPLICATION_FILE),
    ("/portal/applications/{draft_application}/step/", APPLICANT_REDIRECT),
    ("/portal/applications/{draft_application}/step/{wizard_step}/", APPLICANT_ONLY),
    ("/portal/applications/{draft_application}/step/sa-4-7/", APPLICANT_ONLY),
    ("/portal/applications/{draft_application}/step/evidence/", APPLICANT_ONLY),
    ("/portal/applications/{draft_application}/step/review/", APPLICANT_ONLY),
    ("/portal/applications/{draft_application}/pdf/", APPLICATION_FILE),
    # save12: the wizard's background save (POST only; JSON 401 once signed out).
    ("/portal/applications/{draft_application}/step/{wizard_step}/autosave/", AUTOSAVE),
    (
        "/portal/applications/{draft_application}/attachments/{draft_attachment}/",
        APPLICATION_FILE,
    ),
    # Reading the application in the browser (inline PDF and images), as the downloads.
    ("/portal/applications/{draft_application}/pdf/view/", APPLICATION_FILE),
    (
        "/portal/applications/{draft_application}/attachments/{draft_attachment}/view/",
        APPLICATION_FILE,
    ),
    ("/portal/recommendations/", RECOMMENDER_ONLY),
    ("/portal/recommendations/{recommendation}/", RECOMMENDER_ONLY),
    ("/portal/recommendations/{recommendation}/withdraw/", RECOMMENDER_ONLY),
    ("/portal/region/applications/", RECOMMENDER_ONLY),
    # A recommending body files an individual application itself: recommenders only.
    ("/portal/recommendations/individual/", RECOMMENDER_ONLY),
    ("/portal/recommendations/cycles/{cycle}/individual/", RECOMMENDER_ONLY),
    ("/portal/recommendations/cycles/{cycle}/individual/{organization}/", RECOMMENDER_ONLY),
    ("/portal/applications/{recommended_application}/recommendation-scan/", RECOMMENDATION_SCAN),
    ("/review/assignments/{scoring_assignment}/pdf/", REVIEWER_ONLY),
    ("/review/assignments/{scoring_assignment}/pdf/view/", REVIEWER_ONLY),
    (
        "/review/assignments/{scoring_assignment}/attachments/{scoring_attachment}/view/",
        REVIEWER_ONLY,
    ),
    ("/admin/", ADMIN_LISTING),
    ("/admin/certificates/", ADMIN_LISTING),
    ("/admin/certificates/cycles/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/certificates/cycles/{cycle}/progress/", ADMIN_OWN_OBJECT),
    ("/admin/certificates/cycles/{cycle}/zip/", ADMIN_OWN_OBJECT),
    ("/admin/certificates/{certificate}/download/", ADMIN_OWN_OBJECT),
    ("/admin/programmes/", ADMIN_LISTING),
    ("/admin/programmes/new/", ADMIN_LISTING),
    ("/admin/programmes/edit/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/programmes/inspect/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/programmes/history/{programme}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/", ADMIN_LISTING),
    ("/admin/cycles/new/", ADMIN_LISTING),
    ("/admin/cycles/edit/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/inspect/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/cycles/{cycle}/status/", ADMIN_OWN_OBJECT),
    ("/admin/frameworks/", ADMIN_LISTING),
    ("/admin/frameworks/new/", ADMIN_LISTING),
    ("/admin/frameworks/edit/{own_framework}/", ADMIN_OWN_OBJECT),
    ("/admin/frameworks/inspect/{national_framework}/", ADMIN_LISTING),
    ("/admin/organizations/", ADMIN_LISTING),
    ("/admin/organizations/new/", ADMIN_LISTING),
    ("/admin/organizations/edit/{organization}/", ADMIN_OWN_OBJECT),
    ("/admin/screening/", ADMIN_LISTING),
    ("/admin/audit/", ADMIN_LISTING),
    ("/admin/screening/{snapshot_application}/", ADMIN_OWN_OBJECT),
    ("/admin/people/", ADMIN_LISTING),
    ("/admin/people/new/", ADMIN_LISTING),
    ("/admin/people/edit/{reviewer}/", ADMIN_OWN_OBJECT),
    ("/admin/people/inspect/{reviewer}/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/edit/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/edit/preview/", ADMIN_OWN_OBJECT),
    # Officials may not delete their programme page (it has notices): Wagtail's own refusal.
    ("/admin/pages/{programme_page}/delete/", {**ADMIN_OWN_OBJECT, "official": 302}),
    ("/admin/pages/{programme_page}/move/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/copy/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/unpublish/", ADMIN_OWN_OBJECT),
    ("/admin/pages/{programme_page}/history/", ADMIN_OWN_OBJECT),
    (
        "/admin/pages/{programme_page}/revisions/",
        {**ADMIN_OWN_OBJECT, "official": 302, "superuser": 302},
    ),
    ("/admin/pages/{programme_page}/workflow_history/", ADMIN_OWN_OBJECT),
    # Wagtail's page chooser offers every official the live public pages; bulk actions own only.
    ("/admin/choose-page/", ADMIN_LISTING),
    ("/admin/choose-page/{programme_page}/", ADMIN_LISTING),
    ("/admin/choose-page/search/?q=质量", ADMIN_LISTING),
    ("/admin/choose-page/chosen-multiple/?id={programme_page}", ADMIN_LISTING),
    ("/admin/bulk/wagtailcore/page/publish/?id={programme_page}", ADMIN_OWN_OBJECT),
    ("/admin/bulk/wagtailcore/page/unpublish/?id={programme_page}", ADMIN_OWN_OBJECT),
    ("/admin/bulk/wagtailcore/page/delete/?id={programme_page}", ADMIN_OWN_OBJECT),
    ("/admin/bulk/wagtailcore/page/move/?id={programme_page}", ADMIN_OWN_OBJECT),
    ("/admin/reviewers/", ADMIN_LISTING),
    ("/admin/reviewers/new/", ADMIN_LISTING),
    ("/admin/reviewers/edit/{reviewer_profile}/", ADMIN_OWN_OBJECT),
    ("/admin/reviewers/inspect/{reviewer_profile}/", ADMIN_OWN_OBJECT),
    ("/admin/review/", ADMIN_LISTING),
    ("/admin/review/cycles/{review_cycle}/stages/", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/stages/defaults/", ADMIN_POST_ONLY),
    ("/admin/review/cycles/{review_cycle}/import/", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/conflicts/", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/conflicts.csv", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/conflicts.xlsx", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/audit/", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/audit.csv", ADMIN_OWN_OBJECT),
    ("/admin/review/cycles/{review_cycle}/audit.xlsx", ADMIN_OWN_OBJECT),
    ("/admin/review/stages/{stage}/panels/", ADMIN_OWN_OBJECT),
    ("/admin/review/stages/{stage}/auto-assign/", ADMIN_POST_ONLY),
    ("/admin/review/stages/{stage}/assign/", ADMIN_POST_ONLY),
    ("/admin/review/stages/{stage}/advancement/", ADMIN_OWN_OBJECT),
    ("/admin/review/stages/{stage}/progress/", ADMIN_OWN_OBJECT),
    ("/admin/review/stages/{stage}/reminders/", ADMIN_POST_ONLY),
    ("/admin/review/stages/{stage}/score-template/", ADMIN_OWN_OBJECT),
    ("/admin/review/assignments/{assignment}/remove/", ADMIN_POST_ONLY),
    ("/admin/review/assignments/{assignment}/leader/", ADMIN_POST_ONLY),
    ("/admin/review/scorecards/{scorecard}/reopen/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/", ADMIN_LISTING),
    ("/admin/cycle-results/cycles/{cycle}/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/cycles/{cycle}/progress/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/cycles/{cycle}/settings/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/", ADMIN_OWN_OBJECT),
    (
        "/admin/cycle-results/snapshots/{snapshot}/applications/{snapshot_application}/",
        ADMIN_OWN_OBJECT,
    ),
    ("/admin/cycle-results/snapshots/{snapshot}/changes/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/approve/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/ranking.csv", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/ranking.xlsx", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/cycles/{cycle}/committee/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/decision/", ADMIN_OWN_OBJECT),
    ("/admin/cycle-results/snapshots/{snapshot}/minutes.pdf", ADMIN_OWN_OBJECT),
    ("/{programme_slug}/{results_notice_slug}/", PUBLIC),
    ("/{programme_slug}/{winners_slug}/", PUBLIC),
    ("/verify/", PUBLIC),
    ("/verify/?serial=LUYU-5-2026-0000-0000-0000-0000", PUBLIC),
    ("/verify/{serial}/", PUBLIC),
    ("/admin/publication/", ADMIN_LISTING),
    ("/admin/publication/snapshots/{publication_snapshot}/notice/", ADMIN_OWN_OBJECT),
    ("/admin/publication/notices/{publication_notice}/", ADMIN_OWN_OBJECT),
    ("/admin/publication/notices/{publication_notice}/announce/", ADMIN_OWN_OBJECT),
    ("/admin/publication/objections/{objection}/", ADMIN_OWN_OBJECT),
    ("/admin/publication/objections/{objection}/evidence/", ADMIN_OWN_OBJECT),
    ("/admin/publication/awards/{publication_award}/revoke/", ADMIN_OWN_OBJECT),
    # hardening: Wagtail's page-types report, scoped (home.views)
    ("/admin/reports/page-types-usage/", ADMIN_LISTING),
    ("/admin/reports/page-types-usage/results/", ADMIN_LISTING),
    # The authorities' listing (its index view exports safely): platform admins only.
    ("/admin/authorities/", {**dict.fromkeys(ROLES, 302), "superuser": 200}),
]


def _results_snapshot(cycle, official):
    """A computed (unapproved) result of ``cycle``: one document-stage panel, one reviewer."""
    from scoring.results.services.computation import compute_cycle_results
    from scoring.review.models import Panel
    from tests.scoring.factories import (
        AssignmentFactory,
        EligibleApplicationFactory,
        ReviewStageFactory,
        submitted_scorecard,
    )

    stage = ReviewStageFactory(cycle=cycle, weight="1")
    application = EligibleApplicationFactory(cycle=cycle)
    assignment = AssignmentFactory(panel=Panel.objects.create(stage=stage, application=application))
    submitted_scorecard(assignment, 60)
    return compute_cycle_results(cycle=cycle, by=official), application


def _review_world(programme, official) -> dict[str, int]:
    """Officials' review pages: a separate cycle of the owner with default stages, a panel of
    two (one submitted scorecard) and a reviewer profile."""
    from scoring.review.services.stages import ensure_default_stages
    from tests.scoring.factories import (
        AssignmentFactory,
        PanelFactory,
        ReviewerProfileFactory,
        submitted_scorecard,
    )

    cycle = CycleFactory(programme=programme)
    document, _onsite = ensure_default_stages(cycle=cycle, by=official)
    assignment = AssignmentFactory(panel=PanelFactory(stage=document))
    scorecard = submitted_scorecard(AssignmentFactory(panel=assignment.panel), 60)
    return {
        "review_cycle": cycle.pk,
        "stage": document.pk,
        "assignment": assignment.pk,
        "scorecard": scorecard.pk,
        "reviewer_profile": ReviewerProfileFactory(user__authority=programme.authority).pk,
    }


def _application_world(programme, applicant) -> dict:
    """The applicant's draft to another open cycle of the owner, with one attachment and a
    (stand-in) PDF, and a third open cycle the applicant has not started."""
    from django.core.files.base import ContentFile

    from awards.models import Attachment
    from tests.factories import open_cycle, pdf_bytes, started_application

    application, _user = started_application(cycle=open_cycle(programme=programme), user=applicant)
    attachment = Attachment(
        application=application,
        requirement_code="commitment",
        original_name="承诺书.pdf",
        size=len(pdf_bytes()),
        content_type="application/pdf",
        uploaded_by=applicant,
    )
    attachment.file.save("承诺书.pdf", ContentFile(pdf_bytes()), save=True)
    application.pdf.save("application.pdf", ContentFile(pdf_bytes()), save=True)
    return {
        "draft_application": application.pk,
        "draft_attachment": attachment.pk,
        "wizard_step": "basic",
        "apply_cycle": open_cycle(programme=programme).pk,
    }


@pytest.fixture
def world(db):
    owner = AuthorityFactory(name="天门市人民政府", region_code="429006", region_prefix="429006")
    other = AuthorityFactory(name="江西省人民政府", region_code="360000", region_prefix="36")
    cycle = CycleFactory(programme__authority=owner, programme__slug="luyu")
    CycleFactory(programme__authority=other, programme__slug="jinggang")
    build_demo_site()
    official = OfficialFactory(authority=owner, username="official")
    programme_page = AwardProgrammePage.objects.get(programme=cycle.programme)
    notice = NoticePage.objects.child_of(programme_page).first()
    people = {
        "applicant": ApplicantFactory(username="applicant", organization__region_code="429006"),
        "reviewer": ReviewerFactory(authority=owner, username="reviewer"),
        "official": official,
        "other_official": OfficialFactory(authority=other, username="other_official"),
        "superuser": UserFactory(username="superuser", is_superuser=True),
    }
    own_framework = copy_as_new_version(
        framework=national_framework(), version="2012-TM", authority=owner, by=official
    )
    snapshot, snapshot_application = _results_snapshot(cycle, official)
    from tests.scoring.committee_helpers import record_unanimous_decision

    record_unanimous_decision(snapshot)  # so that its minutes exist
    values = {
        "snapshot": snapshot.pk,
        "snapshot_application": snapshot_application.pk,
        "programme_slug": "luyu",
        "notice_slug": notice.slug,
        "programme": cycle.programme_id,
        "cycle": cycle.pk,
        "own_framework": own_framework.pk,
        "national_framework": CriteriaFramework.objects.get(authority=None, code="GB/T 19580").pk,
        "organization": OrganizationFactory(region_code="429006").pk,
        "reviewer": people["reviewer"].pk,
        "programme_page": programme_page.pk,
        "authority": owner.pk,
        "event_code": "application.submitted",
        "notification": _notification(owner, people["applicant"]),
    }
    from tests.scoring.certificate_world import permission_world

    values.update(
        permission_world(cycle, applicant=people["applicant"], reviewer=people["reviewer"])
    )
    values.update(_review_world(cycle.programme, official))
    values.update(_publication_world(programme_page, official))
    values.update(_reviewer_values(cycle.programme, people["reviewer"]))
    values.update(_application_world(cycle.programme, people["applicant"]))
    values.update(_defence_world(values, cycle.programme, people["applicant"], official))
    values.update(_invitation_world(people["applicant"]))
    values.update(_recommendation_values(owner))
    return people, values


def _invitation_world(applicant) -> dict:
    """A pending invitation of the applicant's organization, one of another organization, and
    a used one. Their links' tokens are only in the e-mails, so these rows get known tokens."""
    import hashlib

    from django.utils import timezone

    from awards.models import OrganizationInvitation
    from awards.services.invitations import INVITATION_VALID_FOR

    now = timezone.now()

    def invitation(token, organization, **extra):
        return OrganizationInvitation.objects.create(
            organization=organization,
            full_name="同事",
            email=f"{token}@example.com",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
            **extra,
        )

    own = invitation("own-token", applicant.organization)
    other = invitation("other-token", OrganizationFactory())
    invitation("used-token", applicant.organization, accepted_at=now)
    return {
        "invitation": own.pk,
        "other_invitation": other.pk,
        "invitation_token": "own-token",
        "used_invitation_token": "used-token",
    }


def _notification(authority, user) -> int:
    from awards.services.notifications.outbox import notify

    notify(
        event="account.registered",
        key="permissions",
        recipients=[user],
        authority_id=authority.pk,
        context={"organization": "甲公司", "username": user.username},
    )
    return Notification.objects.get(channel="email").pk


def _recommendation_values(owner) -> dict:
    """A department of the owner recommending (with a stamped scan) an application to a
    programme of the owner that requires recommendation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.enums import AuthorityKind
    from awards.services.applications import submit_application
    from awards.services.recommendations import recommend
    from tests.factories import fill_application, open_cycle, pdf_bytes, started_application

    body = AuthorityFactory(
        name="天门市市场监督管理局",
        region_code="429006",
        region_prefix="429006",
        parent=owner,
        kind=AuthorityKind.DEPARTMENT,
    )
    cycle = open_cycle(programme__authority=owner, programme__requires_recommendation=True)
    user = ApplicantFactory(organization__region_code="429006")
    application, _user = started_application(cycle=cycle, user=user)
    fill_application(application, user)
    submit_application(application=application, by=user, recommending_body=body)
    recommendation = recommend(
        recommendation=application.recommendation,
        opinion="同意推荐。",
        scan=SimpleUploadedFile("推荐意见.pdf", pdf_bytes("stamp")),
        by=None,
    )
    return {"recommendation": recommendation.pk, "recommended_application": application.pk}


def _defence_world(values, programme, applicant, official) -> dict:
    from tests.scoring.defence_world import applicant_defence, mirrored_defence_panel

    return {
        **mirrored_defence_panel(values["scoring_panel"]),
        **applicant_defence(programme, applicant, official),
    }


def _publication_world(programme_page, official) -> dict:
    """A cycle of the owner whose notice (with an objection and its evidence) is announced,
    with its live notice and winners pages, and a newer approved snapshot not yet noticed."""
    from django.core.files.base import ContentFile

    from home.models import ResultsNoticePage, WinnersPage
    from scoring.publication.services.notices import announce_results, open_public_notice
    from tests import clock
    from tests.scoring.factories import (
        ApprovedSnapshotFactory,
        EligibleApplicationFactory,
        ObjectionFactory,
        ResultEntryFactory,
    )

    cycle = CycleFactory(programme=programme_page.programme)
    application = EligibleApplicationFactory(cycle=cycle)
    snapshot = ApprovedSnapshotFactory(cycle=cycle, version=1, created_by=official)
    ResultEntryFactory(snapshot=snapshot, application=application, rank=1, level="质量奖")
    notice = open_public_notice(
        snapshot=snapshot,
        starts_on=clock.days_from_today(-30),
        by=official,
        now=clock.at(clock.days_from_today(-31)),
    )
    objection = ObjectionFactory(notice=notice, outcome="rejected", resolution="不成立。")
    objection.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    award = announce_results(notice=notice, by=official)[0]
    pages = {}
    for key, page in (
        ("results_notice_slug", ResultsNoticePage(title="公示", slug="notice-x", notice=notice)),
        ("winners_slug", WinnersPage(title="获奖名单", slug="winners-x", notice=notice)),
    ):
        programme_page.add_child(instance=page)
        page.save_revision().publish()
        pages[key] = page.slug
    newer = ApprovedSnapshotFactory(cycle=cycle, version=2, created_by=official)
    return {
        **pages,
        "serial": "LUYU-5-2026-0000-0000-0000-0000",
        "publication_snapshot": newer.pk,
        "publication_notice": notice.pk,
        "objection": objection.pk,
        "publication_award": award.pk,
    }


def test_every_role_gets_the_expected_status(client, world):
    """One world for the whole table (building it takes seconds); every mismatch is listed."""
    people, values = world
    mismatches = {}
    for template, expected in TABLE:
        url = template.format(**values)
        observed = {}
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(people[role])
            observed[role] = client.get(url).status_code
        if observed != expected:
            mismatches[template] = {"expected": expected, "observed": observed}
    assert mismatches == {}


def _our_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _our_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            view_class = getattr(entry.callback, "view_class", None)
            if view_class is not None:
                module = view_class.__module__
            if module.startswith(("awards.", "home.", "scoring.", "portal.")):
                found.append(prefix + str(entry.pattern))
    return found


def test_the_table_covers_every_url_pattern_of_our_apps():
    covered = {template.split("?")[0] for template, _ in TABLE}
    ours = _our_patterns(get_resolver())
    normalised = {re.sub(r"<(?:int|str|path):\w+>", "{x}", pattern) for pattern in ours}
    table_shapes = set()
    for template in covered:
        shape = template.lstrip("/")
        for key in (
            "programme",
            "cycle",
            "own_framework",
            "national_framework",
            "organization",
            "reviewer",
            "programme_page",
            "award",
            "certificate",
            "feedback_application",
            "snapshot",
            "snapshot_application",
            "review_cycle",
            "stage",
            "assignment",
            "scorecard",
            "reviewer_profile",
            "serial",
            "publication_snapshot",
            "publication_notice",
            "objection",
            "publication_award",
            "scoring_cycle",
            "scoring_assignment",
            "item_code",
            "scoring_attachment",
            "scoring_panel",
            "apply_cycle",
            "draft_application",
            "draft_attachment",
            "wizard_step",
            "defence_stage",
            "defence_panel",
            "defence_file",
            "defence_application",
            "defence_question",
            "defence_answer_file",
            "invitation",
            "other_invitation",
            "invitation_token",
            "used_invitation_token",
            "notification",
            "authority",
            "event_code",
            "recommendation",
            "recommended_application",
        ):
            shape = shape.replace("{" + key + "}", "{x}")
        table_shapes.add(shape)
    missing = sorted(
        shape for shape in normalised if shape not in table_shapes and "{x}" not in shape[:0]
    )
    viewset_ops = {"delete", "usage", "history", "inspect", "history-results", "results", "reorder"}
    missing = [m for m in missing if not any(f"/{op}/" in f"/{m}" for op in viewset_ops)]
    assert missing == []


# The reviewer's pages, role by role -------------------------------------------------------


def _reviewer_values(programme, reviewer) -> dict:
    from tests.scoring.factories import reviewer_permission_world

    values = reviewer_permission_world(programme=programme, reviewer=reviewer)
    values.pop("review_roles")
    return values


REVIEW_ROLES = ("assigned", "leader", "unassigned", "conflicted", "uncommitted", "other_authority")
#: ``{own}`` is the requesting reviewer's own assignment; reviewers without one in the panel
#: (unassigned, other authority) request the member's.
OWN_WORK = {
    "assigned": 200,
    "leader": 200,
    "unassigned": 404,
    "conflicted": 404,
    "uncommitted": 302,
    "other_authority": 404,
}
OWN_POST_ONLY = {**OWN_WORK, "assigned": 405, "leader": 405, "uncommitted": 405}
OWN_CYCLE = {**dict.fromkeys(REVIEW_ROLES, 200), "other_authority": 404}

REVIEW_TABLE = [
    ("/review/", dict.fromkeys(REVIEW_ROLES, 200)),
    ("/review/cycles/{scoring_cycle}/commitment/", OWN_CYCLE),
    ("/review/cycles/{scoring_cycle}/conflicts/", {**OWN_CYCLE, "uncommitted": 302}),
    (
        "/review/cycles/{scoring_cycle}/conflicts/finish/",
        {**OWN_CYCLE, **dict.fromkeys(REVIEW_ROLES[:5], 405)},
    ),
    ("/review/assignments/{own}/", OWN_WORK),
    ("/review/assignments/{own}/items/4.7.1/", OWN_WORK),
    ("/review/assignments/{own}/items/9.9.9/", {**OWN_WORK, "assigned": 404, "leader": 404}),
    ("/review/assignments/{own}/items/4.7.1/autosave/", OWN_POST_ONLY),
    (
        "/review/assignments/{own}/items/9.9.9/autosave/",
        {**OWN_POST_ONLY, "assigned": 404, "leader": 404, "uncommitted": 404},
    ),
    ("/review/assignments/{own}/sheet/", OWN_WORK),
    ("/review/assignments/{own}/sheet/autosave/", OWN_POST_ONLY),
    ("/review/assignments/{own}/submit/", OWN_WORK),
    ("/review/assignments/{own}/recuse/", OWN_WORK),
    ("/review/assignments/{own}/attachments/{scoring_attachment}/", OWN_WORK),
    ("/review/assignments/{own}/attachments/{scoring_attachment}/view/", OWN_WORK),
    ("/review/assignments/{own}/pdf/", OWN_WORK),
    ("/review/assignments/{own}/pdf/view/", OWN_WORK),
    ("/review/panels/{scoring_panel}/consensus/", OWN_WORK),
    ("/review/panels/{scoring_panel}/consensus/finalize/", OWN_POST_ONLY),
    ("/review/panels/{scoring_panel}/consensus/comments/", OWN_POST_ONLY),
    ("/review/panels/{scoring_panel}/consensus/site-issues/", OWN_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/", OWN_WORK),
    ("/review/panels/{defence_panel}/defence/questions/", OWN_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/send/", OWN_POST_ONLY),
    ("/review/panels/{defence_panel}/defence/files/{defence_file}/", OWN_WORK),
]


@pytest.fixture
def review_world(db):
    from tests.scoring.factories import reviewer_permission_world

    owner = AuthorityFactory(name="天门市人民政府", region_code="429006", region_prefix="429006")
    leader = ReviewerFactory(authority=owner, username="leader")
    cycle = CycleFactory(programme__authority=owner)
    world = reviewer_permission_world(programme=cycle.programme, reviewer=leader)
    from tests.scoring.defence_world import mirrored_defence_panel

    return {**world, **mirrored_defence_panel(world["scoring_panel"])}


def test_every_reviewer_role_gets_the_expected_status(client, review_world):
    mismatches = {}
    for template, expected in REVIEW_TABLE:
        observed = {}
        for role, (person, own) in review_world["review_roles"].items():
            client.logout()
            client.force_login(person)
            observed[role] = client.get(template.format(own=own, **review_world)).status_code
        if observed != expected:
            mismatches[template] = {"expected": expected, "observed": observed}
    assert mismatches == {}


# The recommender's pages, role by role (issue 10) -------------------------------------------

RECOMMENDATION_ROLES = (
    "recommender",
    "other_department",
    "other_city_recommender",
    "awarding_official",
    "city_official",
    "applicant",
)
OWN_BODY = {**dict.fromkeys(RECOMMENDATION_ROLES, 404), "recommender": 200}
ANY_RECOMMENDER = {
    **dict.fromkeys(RECOMMENDATION_ROLES, 200),
    "awarding_official": 404,
    "city_official": 404,
    "applicant": 404,
}
APPLICATION_READERS = {
    **dict.fromkeys(RECOMMENDATION_ROLES, 404),
    "recommender": 200,
    "awarding_official": 200,
    "applicant": 200,
}
#: The filed individual application's wizard: the filing body's staff only (not its employer).
FILING_BODY = OWN_BODY
#: Its page and files: the filing body, the employer and the awarding authority.
FILED_READERS = APPLICATION_READERS
RECOMMENDATION_TABLE = [
    ("/portal/recommendations/", ANY_RECOMMENDER),
    ("/portal/recommendations/individual/", ANY_RECOMMENDER),
    # A cycle whose programme names only 南昌市人民政府 as a recommending body.
    ("/portal/recommendations/cycles/{named_cycle}/individual/", OWN_BODY),
    (
        "/portal/recommendations/cycles/{named_cycle}/individual/{employer}/",
        {**OWN_BODY, "recommender": 405},
    ),
    # Another city's organization: nobody, not even the named body.
    (
        "/portal/recommendations/cycles/{named_cycle}/individual/{other_city_employer}/",
        OWN_BODY | {"recommender": 404},
    ),
    ("/portal/applications/{filed}/step/", {**FILING_BODY, "recommender": 302}),
    ("/portal/applications/{filed}/step/candidate/", FILING_BODY),
    ("/portal/applications/{filed}/step/review/", FILING_BODY),
    ("/portal/applications/{filed}/", FILED_READERS),
    ("/portal/recommendations/{recommendation}/", OWN_BODY),
    ("/portal/recommendations/{recommendation}/withdraw/", {**OWN_BODY, "recommender": 405}),
    (
        "/portal/region/applications/",
        {**ANY_RECOMMENDER, "city_official": 200},
    ),
    ("/portal/applications/{application}/", APPLICATION_READERS),
    ("/portal/applications/{application}/attachments/{attachment}/", APPLICATION_READERS),
    ("/portal/applications/{application}/attachments/{attachment}/view/", APPLICATION_READERS),
    ("/portal/applications/{application}/recommendation-scan/", APPLICATION_READERS),
]


def test_recommenders_of_another_body_or_region_get_404(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.services.recommendations import recommend
    from tests.awards.recommendation_world import build_world
    from tests.factories import pdf_bytes

    world = build_world()
    application = world.submitted()
    recommend(
        recommendation=application.recommendation,
        opinion="同意推荐。",
        scan=SimpleUploadedFile("推荐意见.pdf", pdf_bytes("stamp")),
        by=world.nanchang_recommender,
    )
    people = {
        "recommender": world.nanchang_recommender,
        "other_department": world.market_recommender,
        "other_city_recommender": world.jiujiang_recommender,
        "awarding_official": world.official,
        "city_official": world.nanchang_official,
        "applicant": application.created_by,
    }
    values = {
        "recommendation": application.recommendation.pk,
        "application": application.pk,
        "attachment": application.attachments.first().pk,
        **_filing_values(world, application.organization),
    }
    mismatches = {}
    for template, expected in RECOMMENDATION_TABLE:
        url = template.format(**values)
        observed = {}
        for role in RECOMMENDATION_ROLES:
            client.force_login(people[role])
            observed[role] = client.get(url).status_code
        if observed != expected:
            mismatches[template] = {"expected": expected, "observed": observed}
    assert mismatches == {}


def _filing_values(world, employer) -> dict:
    """A cycle with an individual track whose programme names only 南昌市人民政府, and an
    individual application that body filed for ``employer`` (the table's applicant)."""
    from awards.enums import RecommenderScope
    from awards.services.individuals import start_individual_application
    from tests.factories import open_cycle
    from tests.individual_world import with_individual_track

    cycle = with_individual_track(
        open_cycle(
            programme__authority=world.province,
            programme__requires_recommendation=True,
            programme__recommender_scope=RecommenderScope.NAMED,
        )
    )
    cycle.programme.recommending_bodies.set([world.nanchang])
    filed = start_individual_application(
        cycle=cycle, organization=employer, by=world.nanchang_recommender
    )
    return {
        "named_cycle": cycle.pk,
        "employer": employer.pk,
        "other_city_employer": world.applicant("jiujiang").organization_id,
        "filed": filed.pk,
    }
