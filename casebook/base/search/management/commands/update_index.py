from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from casebook.base.search.index import rebuild


class Command(WagtailUpdateIndex):
    help = "Wagtail の検索索引と、日本語検索の索引（事例・重点取組事項・インタビュー）を作り直します。"

    def handle(self, **options):
        super().handle(**options)
        rebuild(stdout=self.stdout)
