"""The Data Docs index builder (csp/publish/data_docs.py): GX's, listing the pages in a fixed order.
GX imports it by name when building a site; importing this module imports GX."""
from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder


class SortedSiteIndexBuilder(DefaultSiteIndexBuilder):
    """GX sorts the index's rows by run time only (a stable sort), so pages with the same run time stay in
    the order os.walk lists the site folder, which depends on how the folder was made: built at once or
    page by page on a copied site. Listed by key first, both give the same index."""

    def _build_validation_and_profiling_result_site_keys(self, skip_and_clean_missing: bool):
        return sorted(super()._build_validation_and_profiling_result_site_keys(skip_and_clean_missing),
                      key=lambda key: key.to_tuple())
