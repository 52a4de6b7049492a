from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "创建三个质量奖的演示数据（可重复运行，不会重复创建）。"

    def handle(self, *args, **options):
        from awards.demo import build_demo_data, demo_password_hashed_once
        from home.demo import build_demo_site
        from home.demo_history import build_demo_history
        from home.demo_individual import build_demo_individual
        from home.demo_recommendation import build_demo_recommendations
        from home.demo_review import build_demo_review

        # Each builder looks for what it would create first, so a second run changes nothing.
        # The order matters only where a builder needs another's rows: accounts, programmes and
        # open cycles first (with the recommending bodies and their recommenders, which must exist
        # before any application is submitted), then the page tree (results pages hang below the
        # programme pages).
        builders = [
            build_demo_data,
            build_demo_site,
            build_demo_history,
            build_demo_review,
            build_demo_individual,
            # Last: it makes 井冈质量奖 require recommendation once its earlier cycles stand.
            build_demo_recommendations,
        ]
        with transaction.atomic(), demo_password_hashed_once():
            for build in builders:
                build()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
