from django.core.management.base import BaseCommand
from django.db import transaction

from awards.demo import build_demo_data


class Command(BaseCommand):
    help = "创建三个质量奖的演示数据（可重复运行，不会重复创建）。"

    def handle(self, *args, **options):
        from home.demo import build_demo_site
        from home.demo_history import build_demo_history
        from home.demo_recommendation import build_demo_recommendations

        with transaction.atomic():
            build_demo_data()
            build_demo_site()
            build_demo_history()
            build_demo_recommendations()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
