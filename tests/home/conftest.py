import pytest
from wagtail.models import Page, Site

from home.models import HomePage


@pytest.fixture
def home_page(db) -> HomePage:
    """A published HomePage as the default site's root, beside Wagtail's welcome page."""
    root = Page.get_first_root_node()
    home = HomePage(title="政府质量奖门户", slug="portal", intro="<p>欢迎访问本门户。</p>")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home
