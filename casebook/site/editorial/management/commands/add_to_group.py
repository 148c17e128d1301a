from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from casebook.site.editorial.roles import ADMINS, ROLE_ALIASES, ROLES


class Command(BaseCommand):
    help = (
        "ユーザーを役割のグループに加えます（編集者 / 承認者 / 管理者、または editor / moderator / admin）。"
        "管理者に加えたユーザーはスーパーユーザーになります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ユーザー名")
        parser.add_argument("group", help="編集者、承認者、管理者（editor、moderator、admin でも可）")
        parser.add_argument("--remove", action="store_true", help="グループから外します")

    def handle(self, username, group, remove=False, **options):
        name = ROLE_ALIASES.get(group.strip().lower(), group.strip())
        if name not in ROLES:
            raise CommandError(f"グループ「{group[:40]}」はありません。使えるのは {'、'.join(ROLES)} です。")
        try:
            role = Group.objects.get(name=name)
        except DatabaseError as error:
            raise CommandError("データベースがまだ作られていません。先に migrate を実行してください。") from error
        except Group.DoesNotExist as error:
            raise CommandError(
                f"グループ「{name}」がまだ作られていません。先に migrate を実行してください。"
            ) from error
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except (User.DoesNotExist, ValueError) as error:
            raise CommandError(
                f"ユーザー「{username[:40]}」は存在しません。管理画面か createsuperuser で先に作成してください。"
            ) from error

        if remove:
            if name == ADMINS and user.is_superuser and not User.objects.filter(is_superuser=True).exclude(pk=user.pk):
                raise CommandError(f"{username} は最後の管理者です。先にほかの管理者を作ってください。")
            user.groups.remove(role)
            if name == ADMINS and user.is_superuser:
                user.is_superuser = False
                user.save(update_fields=["is_superuser"])
            self.stdout.write(f"{username} を「{name}」から外しました。")
            return
        user.groups.add(role)
        if name == ADMINS and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        self.stdout.write(f"{username} を「{name}」に加えました。")
