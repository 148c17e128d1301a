from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from casebook.site.home.models import HomePage
from cases.models import CaseIndexPage, CasePage, InterviewPage
from measures.models import MeasureIndexPage, MeasurePage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_sits_at_the_root_and_holds_the_two_indexes(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {MeasureIndexPage, CaseIndexPage})

    def test_measures_live_only_under_the_measure_index(self):
        self.assertAllowedParentPageTypes(MeasurePage, {MeasureIndexPage})
        self.assertAllowedSubpageTypes(MeasureIndexPage, {MeasurePage})
        self.assertAllowedSubpageTypes(MeasurePage, set())

    def test_cases_live_under_the_case_index_and_hold_interviews(self):
        self.assertAllowedParentPageTypes(CasePage, {CaseIndexPage})
        self.assertAllowedSubpageTypes(CaseIndexPage, {CasePage})
        self.assertAllowedSubpageTypes(CasePage, {InterviewPage})
        self.assertAllowedParentPageTypes(InterviewPage, {CasePage})
        self.assertAllowedSubpageTypes(InterviewPage, set())

    def test_there_is_one_home_and_one_of_each_index(self):
        assert HomePage.max_count == MeasureIndexPage.max_count == CaseIndexPage.max_count == 1
