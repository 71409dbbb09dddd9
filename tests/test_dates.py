"""Dates: relative and partial mentions resolved against the publication date."""

import datetime as dt

import pytest
from claims_support import enrich

from sourcetrace.claims.dates import published_from_text, resolve

WEDNESDAY = dt.date(2024, 3, 13)


@pytest.mark.parametrize(
    "text, resolved, granularity",
    [
        ("on Friday", "2024-03-08", "day"),
        ("on Wednesday", "2024-03-13", "day"),
        ("last week", "2024-03-04/2024-03-10", "week"),
        ("in August", "2023-08-01/2023-08-31", "month"),
        ("in February", "2024-02-01/2024-02-29", "month"),
        ("earlier this year", "2024-01-01/2024-03-13", "year"),
        ("in early summer", "2023-06-01/2023-06-30", "season"),
        ("last month", "2024-02-01/2024-02-29", "month"),
        ("yesterday", "2024-03-12", "day"),
        ("March 3", "2024-03-03", "day"),
        ("in 2022", "2022-01-01/2022-12-31", "year"),
        ("late 2021", "2021-09-01/2021-12-31", "range"),
        ("on 5 May 2020", "2020-05-05", "day"),
        ("three weeks ago", "2024-02-21", "week"),
        ("at the end of October", "2023-10-21/2023-10-31", "month"),
        ("the beginning of 2022", "2022-01-01/2022-04-30", "range"),
    ],
)
def test_resolves_against_publication_date(text, resolved, granularity):
    assert resolve(text, WEDNESDAY) == (resolved, granularity)


def test_future_sentences_look_forward():
    assert resolve("on Friday", WEDNESDAY, future=True) == ("2024-03-15", "day")
    art = enrich("The summit will open on Friday.", [], published=WEDNESDAY)
    assert art.dates[0].resolved == "2024-03-15"


def test_relative_dates_stay_unresolved_without_a_publication_date():
    art = enrich("The talks ended on Friday.", [])
    assert art.published is None
    assert art.dates[0].span.text == "on Friday" and art.dates[0].resolved is None


@pytest.mark.parametrize(
    "head, expected",
    [
        ("Sunday, 24 November 2024\n\nHeadline here\n\nBody.", dt.date(2024, 11, 24)),
        ("By Jane Doe\nNov. 24, 2024\nBody text.", dt.date(2024, 11, 24)),
        ("Published 2023-05-02 09:00\nBody.", dt.date(2023, 5, 2)),
        ("Markets rose.\n" + "Filler text. " * 60 + "On 3 January 2020 a deal was signed.", None),
        ("On 3 January 2020 the treaty was signed in Paris, ending a long dispute over fishing rights.", None),
        ("By Jane Doe | Updated 14:05, March 9, 2024\nBody.", dt.date(2024, 3, 9)),
    ],
)
def test_publication_date_from_a_date_line(head, expected):
    assert published_from_text(head) == expected


def test_enrich_reads_a_date_line_only_when_metadata_is_missing():
    text = "Friday, 8 March 2024\n\nThe port reopened on Tuesday."
    assert enrich(text, []).published == dt.date(2024, 3, 8)
    given = enrich(text, [], published="2024-03-09")
    assert given.published == dt.date(2024, 3, 9)
    tuesday = next(d for d in given.dates if d.span.text == "on Tuesday")
    assert tuesday.resolved == "2024-03-05"


def test_weekend():
    assert resolve("over the weekend", WEDNESDAY) == ("2024-03-09/2024-03-10", "week")


def test_modal_future_looks_forward():
    art = enrich("A ruling could come by June.", [], published=WEDNESDAY)
    assert art.dates[0].resolved == "2024-06-01/2024-06-30"


@pytest.mark.parametrize(
    "text, resolved, granularity",
    [
        ("since January", "2024-01-01/2024-03-13", "range"),
        ("since last week", "2024-03-04/2024-03-13", "range"),
        ("a decade ago", "2014", "year"),
        ("about five years ago", "2019", "year"),
        ("in the first quarter", "2024-01-01/2024-03-31", "quarter"),
        ("in the fourth quarter", "2023-10-01/2023-12-31", "quarter"),
        ("in the third quarter of 2022", "2022-07-01/2022-09-30", "quarter"),
        ("by the end of the year", "2024-09-01/2024-12-31", "year"),
        ("on Friday night", "2024-03-08", "day"),
    ],
)
def test_spans_since_decades_quarters_and_ends(text, resolved, granularity):
    assert resolve(text, WEDNESDAY) == (resolved, granularity)


def test_days_earlier_counts_from_another_event_not_publication():
    assert resolve("two days earlier", WEDNESDAY) == (None, None)


def test_a_night_named_by_its_weekday_is_a_date_but_a_clock_time_is_not():
    art = enrich("The attack happened on Friday night. Troops left at 3pm.", [], published=WEDNESDAY)
    assert [(d.span.text, d.resolved) for d in art.dates] == [("on Friday night", "2024-03-08")]


@pytest.mark.parametrize(
    "text, resolved",
    [
        ("in November last year", "2023-11-01/2023-11-30"),
        ("in May next year", "2025-05-01/2025-05-31"),
        ("the spring of last year", "2023-03-01/2023-05-31"),
    ],
)
def test_a_month_or_season_in_a_year_named_relatively(text, resolved):
    assert resolve(text, WEDNESDAY)[0] == resolved


def test_a_season_of_a_year_cut_in_two_by_the_tagger_is_one_date():
    art = enrich("The offensive began in the summer of 2022.", [], published=WEDNESDAY)
    assert [(d.span.text, d.resolved) for d in art.dates] == [("in the summer of 2022", "2022-06-01/2022-08-31")]


def test_a_date_something_is_set_for_lies_ahead():
    art = enrich("The vote is set for December 5.", [], published=WEDNESDAY)
    assert art.dates[0].resolved == "2024-12-05"


def test_a_possessive_date_resolves_like_the_date():
    assert resolve("last year's", WEDNESDAY) == ("2023-01-01/2023-12-31", "year")


@pytest.mark.parametrize(
    "text, resolved",
    [
        ("in recent weeks", "2024-02-21/2024-03-13"),
        ("over the past few months", "2023-12-13/2024-03-13"),
        ("in the coming days", "2024-03-13/2024-03-16"),
    ],
)
def test_vague_spans_around_publication(text, resolved):
    assert resolve(text, WEDNESDAY) == (resolved, "range")
