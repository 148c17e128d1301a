from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casebook.base.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "データベースとアップロードされたファイルを1つのアーカイブ（.tar.gz）にバックアップします。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="保存先のフォルダ（既定: backups）")

    def handle(self, output, **options):
        try:
            archive = create_backup(Path(output))
        except (BackupError, OSError) as error:
            raise CommandError(f"バックアップできませんでした: {error}") from error
        self.stdout.write(f"バックアップを作成しました: {archive}")
