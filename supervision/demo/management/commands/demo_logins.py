"""``python manage.py demo_logins``: print the demo log-ins that work on this database."""

from django.core.management.base import BaseCommand

from supervision.core.models import User
from supervision.demo import accounts


class Command(BaseCommand):
    help = "列出演示账号 / Print the demo log-ins."

    def handle(self, *args, **options):
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[a.username for a in accounts.DEMO_ACCOUNTS]
            ).select_related("operator")
        }
        results = [
            accounts.AccountResult(
                account=account,
                # Shown with the demo password only while the account still has it.
                created=users[account.username].check_password(accounts.DEMO_PASSWORD),
                role=account.role,
                operator_code=account.operator_code,
                operator_short=users[account.username].operator.short_zh
                if users[account.username].operator
                else "",
            )
            for account in accounts.DEMO_ACCOUNTS
            if account.username in users
        ]
        if not results:
            self.stdout.write("没有演示账号：运行 seed_demo。/ No demo accounts: run seed_demo.")
            return
        self.stdout.write(accounts.login_table(results))
        self.stdout.write(f"登录 Log in: {accounts.login_url()}")
