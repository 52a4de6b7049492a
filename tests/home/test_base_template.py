from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from tests.factories import ApplicantFactory, OfficialFactory, UserFactory


def header_of(client) -> str:
    """The search page has no account links of its own, so what is found is the header's."""
    response = client.get(reverse("search"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_get_login_and_register_links(client, db):
    html = header_of(client)

    assert '<html lang="zh-hans">' in html
    assertInHTML(
        '<a class="site-name" href="/"><span class="site-emblem" aria-hidden="true">质</span>'
        "<span>政府质量奖门户</span></a>",
        html,
    )
    assertInHTML(f'<a href="{reverse("login")}">登录</a>', html)
    assertInHTML(f'<a class="nav-cta" href="{reverse("register")}">注册</a>', html)
    assert "我的工作台" not in html
    assert "退出登录" not in html
    assert "管理后台" not in html


def test_signed_in_applicants_get_dashboard_and_logout_but_no_admin(client, db):
    client.force_login(ApplicantFactory())

    html = header_of(client)

    assertInHTML(f'<a href="{reverse("awards:dashboard")}">我的工作台</a>', html)
    assert f'<form class="logout-form" method="post" action="{reverse("logout")}">' in html
    assertInHTML('<button type="submit" class="link-button">退出登录</button>', html)
    assert 'name="csrfmiddlewaretoken"' in html
    assert "管理后台" not in html
    assert f'href="{reverse("login")}"' not in html


def test_officials_and_superusers_get_the_admin_link(client, db):
    for user in (OfficialFactory(), UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(user)
        assertInHTML('<a href="/admin/">管理后台</a>', header_of(client))


def test_language_switcher_posts_to_set_language_and_switches_lang(client, db):
    html = header_of(client)
    assert (
        f'<form class="language-switcher" method="post" action="{reverse("set_language")}">' in html
    )
    assertInHTML(
        '<button type="submit" name="language" value="zh-hans" lang="zh-hans" aria-current="true"'
        ' class="is-current">简体中文</button>',
        html,
    )
    assertInHTML(
        '<button type="submit" name="language" value="en" lang="en">English</button>', html
    )

    response = client.post(reverse("set_language"), {"language": "en", "next": "/search/"})

    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert '<html lang="en">' in header_of(client)


def test_messages_are_shown_escaped(rf, db):
    request = rf.get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    messages.success(request, "申报材料已提交<script>")

    html = render_to_string("base.html", request=request)

    assertInHTML('<p class="message message-success">申报材料已提交&lt;script&gt;</p>', html)
