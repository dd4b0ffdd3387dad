"""A chart's PNG is copied into the PDF as it is, and reads back as the same pixels."""
from __future__ import annotations

import numpy as np
import PIL.Image
import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from csp.publish.pdf_png import PngImage


def test_a_png_reads_back_from_the_pdf_as_the_same_pixels(tmp_path):
    pixels = np.random.default_rng(1).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    PIL.Image.fromarray(pixels).save(tmp_path / "chart.png")
    SimpleDocTemplate(str(tmp_path / "out.pdf")).build([PngImage(tmp_path / "chart.png", 200),
                                                         PngImage(tmp_path / "chart.png", 100)])
    images = PdfReader(tmp_path / "out.pdf").pages[0].images
    assert len(images) == 1   # drawn twice, stored once
    assert (np.asarray(images[0].image.convert("RGB")) == pixels).all()


def test_only_rgb_pngs_are_copied(tmp_path):
    PIL.Image.new("RGBA", (4, 4)).save(tmp_path / "alpha.png")
    with pytest.raises(ValueError, match="8-bit RGB"):
        PngImage(tmp_path / "alpha.png", 100)
