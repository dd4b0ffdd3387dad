"""A chart's PNG is copied into the PDF as it is, and reads back as the same pixels."""
from __future__ import annotations

import numpy as np
import PIL.Image
import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from csp.publish.pdf_png import PngImage


@pytest.mark.parametrize("shape, mode", [((37, 53, 3), "RGB"), ((37, 53), "L")], ids=["RGB", "greyscale"])
def test_a_png_reads_back_from_the_pdf_as_the_same_pixels(shape, mode, tmp_path):
    pixels = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    PIL.Image.fromarray(pixels).save(tmp_path / "chart.png")
    SimpleDocTemplate(str(tmp_path / "out.pdf")).build([PngImage(tmp_path / "chart.png", 200),
                                                         PngImage(tmp_path / "chart.png", 100)])
    images = PdfReader(tmp_path / "out.pdf").pages[0].images
    assert len(images) == 1   # drawn twice, stored once
    assert images[0].image.mode == mode
    assert (np.asarray(images[0].image) == pixels).all()


@pytest.mark.parametrize("image", [PIL.Image.new("RGBA", (4, 4)), PIL.Image.new("LA", (4, 4)),
                                   PIL.Image.new("P", (4, 4)), PIL.Image.new("I;16", (4, 4))],
                         ids=["RGBA", "grey with alpha", "palette", "16-bit grey"])
def test_only_8_bit_grey_or_rgb_pngs_are_copied(image, tmp_path):
    image.save(tmp_path / "other.png")
    with pytest.raises(ValueError, match="8-bit greyscale or RGB"):
        PngImage(tmp_path / "other.png", 100)
