"""``python manage.py seed_demo``: three years of demo data and one log-in per role.

seed_demo                      about 45,000 complaints (seconds)
seed_demo --if-empty           nothing when monthly reports exist (``make run`` calls this)
seed_demo --size large         over 1,000,000 complaints (benchmarks; a few minutes)
seed_demo --complaints 100000  about that many complaints
seed_demo --seed 7             another, equally reproducible, data set
"""

from django.core.management.base import BaseCommand, CommandError

from supervision.demo import accounts, seeding
from supervision.reporting.models import MonthlySubmission

SIZES = {"default": seeding.DEFAULT_COMPLAINTS, "large": seeding.LARGE_COMPLAINTS}


class Command(BaseCommand):
    help = "生成演示数据（三年的月报、投诉台账、执法案件、会商会和演示账号）/ Fill an empty database with demo data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有月报时什么也不做 / Do nothing when the database already holds monthly reports.",
        )
        volume = parser.add_mutually_exclusive_group()
        volume.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="default",
            help="default：约4.5万件投诉；large：100万件以上 / default: about 45,000 complaints; large: over 1,000,000.",
        )
        volume.add_argument(
            "--complaints",
            type=int,
            metavar="N",
            help="投诉台账约N行 / About N complaint rows in total.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=seeding.DEFAULT_SEED,
            help=f"随机数种子，相同种子同一天生成相同数据 / Random seed (default {seeding.DEFAULT_SEED}).",
        )

    def handle(self, *args, **options):
        if MonthlySubmission.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "数据库中已有月报数据，未添加演示数据。/ The database already holds monthly reports; "
                    f"no demo data added. 登录 Log in: {accounts.login_url()}"
                )
                return
            raise CommandError(
                "数据库中已有月报数据，演示数据只能写入空数据库（或使用 --if-empty）。/ "
                "The database already holds monthly reports: demo data go into an empty database only "
                "(or pass --if-empty)."
            )
        complaints = options["complaints"] if options["complaints"] is not None else SIZES[options["size"]]
        if complaints < 0:
            raise CommandError("--complaints 不能为负数 / --complaints cannot be negative.")

        def progress(message):
            if options["verbosity"] >= 1:
                self.stdout.write(message)

        result = seeding.seed(seed=options["seed"], complaints=complaints, progress=progress)
        self.stdout.write("")
        self.stdout.write(accounts.login_table(result.accounts))
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成，用时 {result.seconds:.1f} 秒。/ Demo data stored in {result.seconds:.1f} s."
            )
        )
