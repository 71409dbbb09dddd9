import pytest

from sourcetrace.eval.polnear import parse_ann, read_split

TEXT = "The mayor said the bridge would reopen. Critics doubted it."


def write_split(root, stem, text, anns: dict[str, str]):
    (root / "text").mkdir(parents=True, exist_ok=True)
    (root / "attributions").mkdir(exist_ok=True)
    (root / "text" / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
    for annotator, ann in anns.items():
        (root / "attributions" / f"{stem}_{annotator}.ann").write_text(ann, encoding="utf-8")
    return root


CLEAN = (
    "T1\tSource 0 9\tThe mayor\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 38\tthe bridge would reopen\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
)


def test_parse_ann_reads_source_cue_content():
    (gold,) = parse_ann(CLEAN, len(TEXT))
    assert gold.id == "E1"
    assert [TEXT[s:e] for s, e in gold.source] == ["The mayor"]
    assert [TEXT[s:e] for s, e in gold.cue] == ["said"]
    assert [TEXT[s:e] for s, e in gold.content] == ["the bridge would reopen"]


def test_parse_ann_keeps_events_lacking_a_role():
    ann = (
        "T5\tCue 48 55\tdoubted\n"
        "T6\tContent 56 58\tit\n"
        "T7\tAttribution-no-source 48 55\tdoubted\n"
        "E2\tAttribution:T7 Cue:T5 Content:T6\n"
        "T8\tCue 10 14\tsaid\n"
        "E3\tAttribution:T8 Cue:T8\n"
    )
    no_source, no_content = parse_ann(ann, len(TEXT))
    assert no_source.source == [] and TEXT[slice(*no_source.content[0])] == "it"
    assert no_content.content == [] and no_content.cue == [(10, 14)]


def test_parse_ann_tolerates_truncated_and_spilled_lines():
    ann = (
        "T1\tSource 0 9\tThe mayor\n"
        "T2\tCue 10 14\tsa\n"
        "id\n"  # the text of T2 spilled onto its own line
        "T3\tContent 15 38\tthe bridge\n"
        " would reopen\n"
        "T9\tContent 40\n"  # truncated: no end offset
        "T4\tAttribution 10 14\tsaid\n"
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Content2:T9\n"
        "E2\tAttribution:T4 Cue:T2 Sour"  # truncated event
    )
    first, second = parse_ann(ann, len(TEXT))
    assert first.content == [(15, 38)]  # the broken T9 is ignored, not fatal
    assert first.source == [(0, 9)]
    assert second.cue == [(10, 14)] and second.source == []


def test_parse_ann_reads_discontinuous_spans_and_numbered_roles():
    text = '"Yes," he said, "and no."'
    ann = (
        "T1\tContent 0 6;16 25\t\"Yes,\" \"and no.\"\n"
        "T2\tCue 10 14\tsaid\n"
        "T3\tSource 7 9\the\n"
        "T4\tContent 16 25\t\"and no.\"\n"
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3\n"
        "E2\tAttribution:T2 Cue:T2 Content:T3 Content2:T4\n"
    )
    first, second = parse_ann(ann, len(text))
    assert first.content == [(0, 6), (16, 25)]
    assert second.content == [(7, 9), (16, 25)]


def test_parse_ann_clips_offsets_past_the_end_of_the_text():
    ann = "T1\tCue 10 14\tsaid\nT2\tContent 15 500\tx\nT3\tSource 400 410\ty\nE1\tAttribution:T1 Cue:T1 Content:T2 Source:T3\n"
    (gold,) = parse_ann(ann, len(TEXT))
    assert gold.content == [(15, len(TEXT))]
    assert gold.source == []


def test_read_split_uses_the_first_annotator_and_keeps_unannotated_texts(tmp_path):
    write_split(tmp_path, "a", TEXT, {"b2": CLEAN, "a1": CLEAN.replace("E1\t", "E7\t")})
    write_split(tmp_path, "b", "No annotations for this one.", {})
    docs = read_split(tmp_path)
    assert [d.name for d in docs] == ["a", "b"]
    assert docs[0].annotator == "a1" and docs[0].attributions[0].id == "E7"
    assert docs[1].attributions == [] and docs[1].annotator is None


def test_read_split_keeps_crlf_offsets_exact(tmp_path):
    text = "Intro.\r\nThe mayor said the bridge would reopen."
    ann = "T1\tCue 18 22\tsaid\nE1\tAttribution:T1 Cue:T1\n"
    write_split(tmp_path, "crlf", text, {"x": ann})
    (doc,) = read_split(tmp_path)
    assert doc.text[18:22] == "said"


def test_read_split_rejects_a_folder_that_is_not_a_split(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a PolNeAR split"):
        read_split(tmp_path)
