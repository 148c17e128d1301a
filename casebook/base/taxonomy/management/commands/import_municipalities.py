from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casebook.base.taxonomy.national_list import MUNICIPALITIES_FILE, PREFECTURES_FILE, ListError, merge, read_files


class Command(BaseCommand):
    help = (
        "全国地方公共団体の一覧（localgovjp 形式の CSV）を取り込みます。団体コードで照合し、新しい団体を作成、"
        "編集されていない項目だけを更新します。団体を削除することはありません。"
        "誤りのある行が1つでもあれば、その一覧を表示して何も書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(MUNICIPALITIES_FILE), help="市区町村の CSV")
        parser.add_argument("--prefectures", default=str(PREFECTURES_FILE), help="都道府県の CSV")

    def handle(self, *args, file, prefectures, **options):
        try:
            national = read_files(Path(file), Path(prefectures))
            report = merge(national)
        except ListError as error:
            lines = error.problems[:50]
            more = len(error.problems) - len(lines)
            if more > 0:
                lines.append(f"ほか{more}件")
            raise CommandError("一覧を取り込めませんでした（何も書き込んでいません）:\n" + "\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(f"全国の団体: {report}"))
