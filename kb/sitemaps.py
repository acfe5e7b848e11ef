from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kb.models import Article, Product


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().order_by("slug")

    def lastmod(self, article):
        # Always a date: the sitemap compares every item's lastmod to find the
        # latest, and a date never compares with a datetime.
        return article.updated_on or article.modified_at.date()


class ProductSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Product.objects.filter(articles__status=Article.Status.PUBLISHED).distinct()


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["kb:home", "kb:article_list", "kb:product_list"]

    def location(self, name):
        return reverse(name)


sitemaps = {"pages": PageSitemap, "articles": ArticleSitemap, "products": ProductSitemap}
