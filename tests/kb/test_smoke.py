from tests.factory import make_article


def test_markdown_fields_are_rendered_on_save(db):
    article = make_article(more_info="Some *emphasis*.")
    assert article.more_info_html == "<p>Some <em>emphasis</em>.</p>"
