"""A message in other wording: its fixed words found near each other."""

from triage.engine import ArticleSpec, Index

from .kbs import top

SSPI = ArticleSpec(
    slug="sspi",
    title="Cannot generate SSPI context",
    products=("SQL Server",),
    error_texts=("The target principal name is incorrect. Cannot generate SSPI context.",),
)
OTHER = ArticleSpec(
    slug="other",
    title="Login failed",
    error_texts=("Login failed for user 'sa'.",),
)


def test_another_drivers_wording_counts_below_high():
    index = Index.build([SSPI, OTHER], [])
    result = index.triage(
        "Microsoft.Data.SqlClient.SqlException (0x80131904): Failed to generate SSPI context."
    )
    assert top(result)[0][0] == "sspi"
    assert result.candidates[0].confidence != "high"
    assert result.candidates[0].decided("loose")
    # The exact wording is stronger than the loose one.
    exact = index.triage("Cannot generate SSPI context.")
    assert exact.candidates[0].score > result.candidates[0].score


def test_scattered_or_reordered_words_are_not_the_message():
    index = Index.build([SSPI, OTHER], [])
    scattered = "generate the report. " + "Nothing to see. " * 20 + "SSPI context menu"
    for text in (scattered, "context SSPI generate"):
        assert not any(c.decided("loose") for c in index.triage(text).candidates), text
