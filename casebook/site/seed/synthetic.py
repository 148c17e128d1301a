"""Synthetic cases for load and speed tests, built in bulk.

Every synthetic case is marked: its title starts with 【サンプル】 and it carries the tag サンプル.
The same seed gives the same cases. Pages are written with bulk inserts (tree paths computed
here) and indexed for search in bulk, instead of one add_child and one index update per page.

Two things keep 200,000 cases within minutes on two cores: the next batch is drawn and tokenized
on a thread while the database stores the last one (the driver lets go of the GIL while it waits),
and on PostgreSQL the search index's GIN index is built once at the end instead of row by row.
"""

import queue
import random
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from casebook.base.core.cache import invalidate_content
from casebook.base.search.backend import index_backend, token_columns
from casebook.base.search.documents import Document
from casebook.base.taxonomy.models import GrantProgram, Municipality
from cases.discovery.search import organization_text
from cases.models import CaseIndexPage, CaseOutcome, CasePage, CaseTag
from measures.models import MeasurePage

SAMPLE_TAG = "サンプル"
BATCH = 500

TOPICS = [
    "観光",
    "健康",
    "子育て",
    "防災",
    "教育",
    "農業",
    "交通",
    "福祉",
    "窓口",
    "税務",
    "介護",
    "移住",
    "図書館",
    "上下水道",
    "ごみ収集",
    "地域交通",
    "商店街",
    "医療",
    "財政",
    "広報",
]
TOOLS = [
    "電子申請",
    "チャットボット",
    "AI-OCR",
    "RPA",
    "オンライン会議",
    "ワーケーション",
    "VDI",
    "LGWAN",
    "マイナンバーカード",
    "キャッシュレス決済",
    "GIS",
    "センサー",
    "タブレット",
    "クラウド",
    "音声認識",
]
SENTENCES = [
    "{place}では{topic}の分野で{tool}を導入し、職員の事務作業を見直しました。",
    "きっかけは、住民から{topic}に関する手続きが分かりにくいという声が多く寄せられたことです。",
    "{tool}の導入にあたっては、近隣の自治体と情報共有の場を設け、共同利用の可能性を検討しました。",
    "導入前は{topic}の受付に平均{minutes}分かかっていましたが、導入後は{after}分に短縮されました。",
    "利用者アンケートでは{percent}%の住民が「便利になった」と回答しています。",
    "課題は、高齢者を中心としたデジタルデバイドへの対応と、担当職員の人材育成でした。",
    "説明会を{count}回開催し、窓口でも職員が操作を案内するなど、地道な普及活動を続けています。",
    "財源には{grant}を活用し、初年度の事業費を抑えることができました。",
    "今後は{topic}以外の分野にも{tool}の活用を広げ、他の自治体への横展開も目指しています。",
    "{place}の担当者は「小さく始めて、効果を見ながら広げることが大切だ」と話しています。",
    "セキュリティ対策として、LGWAN接続系とインターネット接続系の分離を維持したまま運用しています。",
    "システムの保守・運用は事業者と役割を分担し、障害時の連絡体制を事前に整えました。",
    "{topic}のデータを整理し、庁内の複数の部署で共有できるようにしたことも成果の一つです。",
    "視察に訪れた自治体からは、導入費用や職員の負担についての質問が多く寄せられています。",
]


@dataclass
class Pools:
    index: CaseIndexPage
    organizations: list[Municipality]
    measures: list[MeasurePage]
    grants: list[GrantProgram]


def load_pools() -> Pools:
    index = CaseIndexPage.objects.first()
    measures = list(MeasurePage.objects.order_by("path"))
    organizations = list(Municipality.objects.select_related("prefecture"))
    if index is None or not measures or not organizations:
        raise LookupError("先に python manage.py load_initial_content を実行してください。")
    return Pools(index, organizations, measures, list(GrantProgram.objects.all()))


def narrative(rng: random.Random, place: str, topic: str, tool: str, grants) -> str:
    """2,000–4,000 characters of varied Japanese prose."""
    target = rng.randint(2000, 4000)
    paragraphs, length = [], 0
    while length < target:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            sentence = rng.choice(SENTENCES).format(
                place=place,
                topic=rng.choice([topic, topic, rng.choice(TOPICS)]),
                tool=rng.choice([tool, tool, rng.choice(TOOLS)]),
                minutes=rng.randint(10, 60),
                after=rng.randint(2, 9),
                percent=rng.randint(55, 95),
                count=rng.randint(3, 40),
                grant=rng.choice(grants).name if grants else "一般財源",
            )
            sentences.append(sentence)
        paragraph = "".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def next_child_paths(parent: Page, count: int) -> list[str]:
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    return [parent.path + Page._int2str(step + i).rjust(Page.steplen, "0") for i in range(1, count + 1)]


def insert_local_rows(model, objects) -> None:
    """Insert only the child-table rows of a multi-table-inherited model (bulk_create cannot)."""
    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows
        )


@dataclass
class Drawn:
    """One synthetic case as drawn, before it has a primary key."""

    case: CasePage
    columns: list[str]  # the search index's token columns
    topic: str
    other_measures: list[int] = field(default_factory=list)
    partners: list[int] = field(default_factory=list)
    grant: int | None = None
    outcomes: list[dict] = field(default_factory=list)


def drawn_batches(rng, pools: Pools, count: int, seed: int, start_number: int, paths, content_type_id):
    """Batches of BATCH drawn cases, in order; every random choice is made here, so a seed gives the same cases."""
    now = timezone.now()
    for batch_start in range(0, count, BATCH):
        batch = [
            build_case(rng, pools, start_number + batch_start + offset + 1, seed, path, now, content_type_id)
            for offset, path in enumerate(paths[batch_start : batch_start + BATCH])
        ]
        for drawn in batch:  # after the whole batch: the order of draws the earlier builds made
            draw_relations(rng, drawn, pools)
        yield batch


def ahead(batches, depth: int = 2):
    """The batches, drawn on a thread up to `depth` ahead of the one being stored."""
    waiting = queue.Queue(maxsize=depth)
    done = object()
    failure = []

    def draw():
        try:
            for batch in batches:
                waiting.put(batch)
        except BaseException as error:  # handed to the storing thread, which raises it
            failure.append(error)
        finally:
            waiting.put(done)

    thread = threading.Thread(target=draw, name="generate-cases-draw", daemon=True)
    thread.start()
    while (batch := waiting.get()) is not done:
        yield batch
    thread.join()
    if failure:
        raise failure[0]


@contextmanager
def gin_built_at_end(table: str):
    """On PostgreSQL, drop `table`'s GIN indexes for the bulk insert and build them once afterwards
    (within the caller's transaction: a failure leaves the indexes as they were)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_am a ON a.oid = i.relam WHERE x.indrelid = %s::regclass AND a.amname = 'gin'",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # An index cannot be built on a table with deferred foreign-key checks pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def generate(count: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    pools = load_pools()
    sample_tag, _ = Tag.objects.get_or_create(name=SAMPLE_TAG, defaults={"slug": "sample"})
    topic_tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TOPICS}
    content_type_id = ContentType.objects.get_for_model(CasePage).pk
    created = 0
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # A bulk build can be redone if the machine fails mid-way; waiting on each fsync is not worth it.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic(), gin_built_at_end("casebook_search_searchentry"):
        index = Page.objects.select_for_update().get(pk=pools.index.pk)
        start_number = CasePage.objects.filter(slug__startswith=f"sample-{seed}-").count()
        paths = next_child_paths(index, count)
        for batch in ahead(drawn_batches(rng, pools, count, seed, start_number, paths, content_type_id)):
            cases = [drawn.case for drawn in batch]
            pages = Page.objects.bulk_create([Page(**page_fields(c)) for c in cases])
            for page, case in zip(pages, cases, strict=True):
                case.page_ptr_id = case.id = page.pk
            insert_local_rows(CasePage, cases)
            write_relations(batch, topic_tags, sample_tag)
            index_backend().store_many([(drawn.case.pk, "case", drawn.columns) for drawn in batch])
            created += len(cases)
        Page.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    if not connection.in_atomic_block:
        # Fresh statistics: with the old ones (a handful of pages) PostgreSQL's planner chose
        # nested loops and sequential scans for a table now 20,000 rows long.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    invalidate_content()
    return created


PAGE_FIELDS = [f.attname for f in Page._meta.concrete_fields if f.attname != "id"]


def page_fields(case: CasePage) -> dict:
    return {name: getattr(case, name) for name in PAGE_FIELDS}


def build_case(rng, pools: Pools, n: int, seed: int, path: str, now, content_type_id):
    lead = rng.choice(pools.organizations)
    measure = rng.choice(pools.measures)
    topic, tool = rng.choice(TOPICS), rng.choice(TOOLS)
    place = lead.full_name
    title = f"【サンプル】{place}の{topic}分野における{tool}活用事例 No.{n}"
    slug = f"sample-{seed}-{n:05d}"
    year = rng.randint(2015, 2025)
    cost = None if rng.random() < 0.2 else int(round(rng.lognormvariate(16.5, 1.2), -4))
    published = now - timezone.timedelta(minutes=n)
    body = narrative(rng, place, topic, tool, pools.grants)
    summary = f"{place}が{topic}の分野で{tool}を活用した取り組みです。（サンプルデータ）"
    case = CasePage(
        title=title,
        draft_title=title,
        slug=slug,
        path=path,
        depth=len(path) // Page.steplen,
        numchild=0,
        url_path=f"{pools.index.url_path}{slug}/",
        content_type_id=content_type_id,
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        live_revision=None,
        latest_revision_created_at=published,
        locale_id=pools.index.locale_id,
        translation_key=uuid.UUID(int=rng.getrandbits(128)),
        lead_organization=lead,
        primary_measure=measure,
        fiscal_year=year,
        project_cost_yen=cost,
        cost_fiscal_year=year if cost is not None else None,
        summary=summary,
        body=[{"type": "paragraph", "value": body, "id": str(uuid.UUID(int=rng.getrandbits(128)))}],
    )
    document = Document("case", title, organization_text(lead), f"{summary} {body} {topic} {tool} {SAMPLE_TAG}")
    return Drawn(case, token_columns(document), topic)


def draw_relations(rng, drawn: Drawn, pools: Pools) -> None:
    case = drawn.case
    extra = [m for m in pools.measures if m.pk != case.primary_measure_id]
    drawn.other_measures = [m.pk for m in rng.sample(extra, rng.choice([0, 0, 1, 2]))]
    if rng.random() < 0.3:
        drawn.partners = [
            p.pk for p in rng.sample(pools.organizations, rng.randint(1, 3)) if p.pk != case.lead_organization_id
        ]
    if pools.grants and rng.random() < 0.5:
        drawn.grant = rng.choice(pools.grants).pk
    drawn.outcomes = [
        {
            "sort_order": sort_order,
            "label": rng.choice(["利用者数", "処理時間", "削減時間", "満足度"]),
            "value": f"{rng.randint(10, 5000):,}",
            "unit": rng.choice(["人", "分", "時間", "%"]),
            "period": f"{case.fiscal_year}年度",
        }
        for sort_order in range(rng.randint(0, 3))
    ]


def write_relations(batch: list[Drawn], topic_tags: dict, sample_tag) -> None:
    Other = CasePage.other_measures.through
    Partner = CasePage.partner_organizations.through
    Grant = CasePage.grant_programs.through
    other_links, partner_links, grant_links, tags, outcomes = [], [], [], [], []
    for drawn in batch:
        pk = drawn.case.pk
        other_links += [Other(casepage_id=pk, measurepage_id=m) for m in drawn.other_measures]
        partner_links += [Partner(casepage_id=pk, municipality_id=m) for m in drawn.partners]
        if drawn.grant is not None:
            grant_links.append(Grant(casepage_id=pk, grantprogram_id=drawn.grant))
        tags += [
            CaseTag(content_object_id=pk, tag=sample_tag),
            CaseTag(content_object_id=pk, tag=topic_tags[drawn.topic]),
        ]
        outcomes += [CaseOutcome(page_id=pk, **outcome) for outcome in drawn.outcomes]
    Other.objects.bulk_create(other_links)
    Partner.objects.bulk_create(partner_links, ignore_conflicts=True)
    Grant.objects.bulk_create(grant_links)
    CaseTag.objects.bulk_create(tags)
    CaseOutcome.objects.bulk_create(outcomes)
