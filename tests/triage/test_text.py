from hypothesis import given
from hypothesis import strategies as st

from triage.text import normalise

# Text that looks like pastes: words, punctuation, every kind of space and line
# break, quote markers, entities and typographic characters.
paste_alphabet = st.sampled_from(
    list("abcXYZ019 _.:;-()[]{}>*&#'\"")
    + ["\n", "\r\n", "\t", "\xa0", "\u2019", "\u201c", "\u2014", "\u2026", "\u0130", "\u200b"]
    + ["&quot;", "&amp;", "&#39;", "&#x27;", "&lt;", "&nbsp;", "<br>", "\n> ", "\n> > ", "\n  - "]
)
pastes = st.lists(paste_alphabet, max_size=60).map("".join) | st.text(max_size=80)
# Text copied from a console window: lines cut at 80 columns, then a shorter tail.
console_lines = st.lists(st.text(alphabet="ab Z9_.:(", min_size=80, max_size=80), min_size=2)
console_pastes = st.tuples(console_lines, st.text(alphabet="ab Z9_.", max_size=20)).map(
    lambda parts: "\n".join([*parts[0], parts[1]])
)
pastes = pastes | console_pastes


def test_line_wrapped_message_reads_as_one_line():
    n = normalise("Operating system error {WIN32:231(All pipe\n  instances are busy.)}")
    assert "all pipe instances are busy" in n.text


def test_whitespace_case_quotes_and_dashes_are_unified():
    n = normalise("It\u2019s   \u201cBUSY\u201d \u2014\tnow")
    assert n.text == 'it\'s "busy" - now'


def test_html_entities_are_decoded():
    n = normalise("&quot;Port is Busy&quot; &amp; &#39;x&#x27; &lt;tag&gt;")
    assert n.text == "\"port is busy\" & 'x' <tag>"


def test_quote_markers_list_markers_and_indentation_at_line_starts_are_dropped():
    n = normalise("> > All pipe\n> > instances are busy\n  - second\n* third\n1. fourth")
    assert n.text == "all pipe instances are busy second third fourth"


def test_markers_inside_a_line_are_kept():
    n = normalise("a ---> b > c - d")
    assert n.text == "a ---> b > c - d"


def test_hyphenated_words_match_their_spaced_form():
    assert normalise("port-sharing service").text == normalise("port sharing service").text


def test_span_of_a_wrapped_phrase_maps_to_the_exact_original_text():
    original = "x {WIN32:231(All pipe\n\t  instances are busy.)} y"
    n = normalise(original)
    i = n.text.index("all pipe instances are busy")
    start, end = n.orig_span(i, i + len("all pipe instances are busy"))
    assert original[start:end] == "All pipe\n\t  instances are busy"


CONSOLE_CUT = (
    "2017-03-02 23:32:25|ASF-3348|ERROR|ASF|HandleCommand() System.ServiceModel.Commu\n"
    "nicationException: The maximum message size quota for incoming messages (65536)\n"
    "has been exceeded. To increase the quota, use the MaxReceivedMessageSize propert\n"
    "y on the appropriate binding element. ---> System.ServiceModel.QuotaExceededExce\n"
    "ption: The maximum message size quota for incoming messages (65536) has been exc\n"
    "eeded.\n"
)


def test_a_console_windows_cuts_inside_words_are_undone():
    n = normalise(CONSOLE_CUT)
    for words in (
        "system.servicemodel.communicationexception:",
        "maxreceivedmessagesize property on",
        "system.servicemodel.quotaexceededexception:",
        "has been exceeded.",
        "(65536) has been exceeded",
    ):
        assert words in n.text, words
    i = n.text.index("quotaexceededexception")
    start, end = n.orig_span(i, i + len("quotaexceededexception"))
    assert CONSOLE_CUT[start:end] == "QuotaExceededExce\nption"


def test_lines_of_one_length_that_are_whole_records_are_not_joined():
    line = "2024-05-02 08:00:0{} [net tcp] bind failed: Only one usage of each socket address"
    assert len(line.format(0)) == 80
    records = "\n".join(line.format(i) for i in range(3)) + "\nend"
    assert normalise(records).text.count("address 2024 05 02") == 2
    prose = "word " * 15 + "words\n" + "more " * 15 + "words\nshort"
    assert "words more" in normalise(prose).text  # both cut lines are 80 long, but end whole


def test_span_of_a_decoded_entity_covers_the_whole_entity():
    original = "say &quot;hi&quot;"
    n = normalise(original)
    start, end = n.orig_span(n.text.index('"'), n.text.index('"') + 1)
    assert original[start:end] == "&quot;"


@given(pastes)
def test_normalise_never_raises_and_is_deterministic(text):
    first, second = normalise(text), normalise(text)
    assert first.text == second.text
    assert first.text == first.text.lower() or "\u0130" not in text


@given(pastes, st.data())
def test_every_span_maps_inside_the_original(text, data):
    n = normalise(text)
    if not n.text:
        return
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    start, end = n.orig_span(i, j)
    assert 0 <= start < end <= len(text)


@given(pastes)
def test_mapping_is_monotone(text):
    n = normalise(text)
    spans = [n.orig_span(i, i + 1) for i in range(len(n.text))]
    for (s1, e1), (s2, e2) in zip(spans, spans[1:], strict=False):
        assert s1 <= s2 and e1 <= e2


@given(pastes)
def test_copied_characters_map_to_themselves(text):
    n = normalise(text)
    for i, c in enumerate(n.text):
        start, end = n.orig_span(i, i + 1)
        if end - start == 1 and c.isalnum():
            assert text[start].lower() == c or text[start] == "\u0130"
