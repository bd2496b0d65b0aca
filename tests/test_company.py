"""The company profile: names by language, the logo read and checked, the digest."""

from __future__ import annotations

import pytest

from images import jpeg_header, png, svg
from pipeline.company import MAX_LOGO_BYTES, NO_COMPANY, Company, LogoProblem, read_logo


def logo_file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_names_follow_the_language_and_fall_back():
    both = Company(name_zh="明远精密", name_en="Mingyuan Precision")
    assert (both.name("zh"), both.name("en")) == ("明远精密", "Mingyuan Precision")
    assert (both.other_name("zh"), both.other_name("en")) == ("Mingyuan Precision", "明远精密")
    only_zh = Company(name_zh="明远精密", address_zh="上海")
    assert only_zh.name("en") == "明远精密" and only_zh.other_name("en") == "" and only_zh.address("en") == "上海"
    assert Company(short_name="明远").name("en") == "明远" and Company(short_name="明远").named
    assert not NO_COMPANY and not NO_COMPANY.named and NO_COMPANY.name("zh") == ""
    assert Company(phone="021").named is False and bool(Company(phone="021"))


@pytest.mark.parametrize("name, data, size", [
    ("logo.png", png(240, 80), (240, 80)),
    ("logo.PNG", png(64, 64), (64, 64)),
    ("logo.jpg", jpeg_header(300, 100), (300, 100)),
    ("logo.jpeg", jpeg_header(120, 90), (120, 90)),
    ("logo.svg", svg("120", "40"), (120, 40)),
    ("logo.svg", svg(None, None, "0 0 300 100"), (300, 100)),
    ("logo.svg", svg("120px", "40px"), (120, 40)),
])
def test_a_logo_is_read_with_its_size(tmp_path, name, data, size):
    logo = read_logo(logo_file(tmp_path, name, data))
    assert (logo.width, logo.height) == size and logo.data == data
    assert logo.raster == (logo.kind != "svg")


@pytest.mark.parametrize("name, data, key", [
    ("logo.gif", b"GIF89a", "logo_type"),
    ("logo", png(), "logo_type"),
    ("logo.png", jpeg_header(), "logo_mismatch"),  # a JPEG named .png
    ("logo.jpg", png(), "logo_mismatch"),
    ("logo.png", b"<html>not a picture</html>", "logo_not_image"),
    ("logo.png", b"\x89PNG\r\n\x1a\n\x00", "logo_damaged"),
    ("logo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "logo_damaged"),
    ("logo.png", png(8, 8), "logo_pixels"),
    ("logo.png", png(400, 16), "logo_ratio"),
    ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg width="10" height="10">&a;</svg>',
     "logo_svg_dtd"),
    ("logo.svg", svg(None, None, None), "logo_svg_size"),
    ("logo.svg", b"<svg><unclosed></svg>", "logo_damaged"),
])
def test_a_logo_that_is_not_one_is_refused_with_a_reason(tmp_path, name, data, key):
    with pytest.raises(LogoProblem) as e:
        read_logo(logo_file(tmp_path, name, data))
    assert e.value.key == key


def test_a_missing_or_huge_logo_is_refused(tmp_path):
    with pytest.raises(LogoProblem) as e:
        read_logo(tmp_path / "missing.png")
    assert e.value.key == "logo_missing"
    with pytest.raises(LogoProblem) as e:
        read_logo(tmp_path)  # a folder
    assert e.value.key == "logo_type"
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(LogoProblem) as e:
        read_logo(tmp_path / "dir.png")
    assert e.value.key == "logo_missing"
    with pytest.raises(LogoProblem) as e:
        read_logo(logo_file(tmp_path, "big.png", png() + b"\0" * MAX_LOGO_BYTES))
    assert e.value.key == "logo_too_big"


def test_the_digest_changes_with_any_field_and_with_the_logos_bytes(tmp_path):
    first = read_logo(logo_file(tmp_path, "a.png", png(100, 40, (200, 0, 0))))
    second = read_logo(logo_file(tmp_path, "b.png", png(100, 40, (0, 0, 200))))
    base = Company(name_zh="明远", logo=first)
    assert base.digest == Company(name_zh="明远", logo=first).digest
    assert base.digest != Company(name_zh="明远", logo=second).digest  # same size, other bytes
    assert base.digest != Company(name_zh="明远", logo=first, desk_phone="1").digest
    assert base.digest != Company(name_zh="明远").digest
    assert "\\x" not in repr(first)  # the bytes are never printed
