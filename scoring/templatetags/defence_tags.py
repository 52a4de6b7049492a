"""What the applicant's pages (in ``awards``, which cannot import ``scoring``) show about the
defence stage: the questions waiting for an answer."""

from django import template

from scoring.review.queries.defence import defence_summary, open_questions_for

register = template.Library()


@register.simple_tag
def defence_for_application(application):
    """The summary of questions sent for one application, or None."""
    return defence_summary(application)


@register.simple_tag
def open_defence_questions(user):
    """Per application of the applicant, the questions still open for a written answer."""
    return open_questions_for(user)
