"""The OOXML package layer: the one zip writer, and a package patched part by part."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from pipeline.ooxml import Unpatchable
from pipeline.ooxml.package import Package
from pipeline.ooxml.rels import Rels, rels_part
from pipeline.ooxml.zip import EPOCH, Packed, pack, stored, unpack, write_zip

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')


def test_a_written_zip_reads_back_with_names_methods_and_times():
    xml = b"<a>" + b"<b/>" * 500 + b"</a>"
    noise = os.urandom(256)  # deflating cannot shrink it: stored as it is
    data = write_zip([("word/document.xml", pack(xml, 1), EPOCH),
                      ("media/图.bin", pack(noise, 9), (2027, 3, 5, 14, 30, 10))])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        first, second = z.infolist()
        assert (first.filename, first.compress_type, first.date_time) == (
            "word/document.xml", zipfile.ZIP_DEFLATED, EPOCH)
        assert (second.filename, second.compress_type, second.date_time) == (
            "media/图.bin", zipfile.ZIP_STORED, (2027, 3, 5, 14, 30, 10))
        assert second.flag_bits & 0x800  # a UTF-8 name says so
        assert z.read(first) == xml and z.read(second) == noise


def test_a_part_is_copied_still_compressed_and_checked_when_unpacked(tmp_path):
    src = tmp_path / "a.zip"
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.xml", b"<x>" * 1000)
    with open(src, "rb") as f, zipfile.ZipFile(f) as z:
        part = stored(f, z.infolist()[0])
    assert part.method == zipfile.ZIP_DEFLATED and len(part.data) < part.size
    assert unpack(part, "x.xml") == b"<x>" * 1000
    copy = write_zip([("x.xml", part, EPOCH)])
    assert zipfile.ZipFile(io.BytesIO(copy)).read("x.xml") == b"<x>" * 1000
    with pytest.raises(zipfile.BadZipFile):
        unpack(Packed(part.crc ^ 1, part.size, part.method, part.data), "x.xml")


def package(tmp_path, parts: dict[str, bytes]):
    path = tmp_path / "p.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_package_keeps_untouched_parts_and_takes_new_ones(tmp_path):
    path = package(tmp_path, {"xl/keep.xml": b"<keep/>" * 300, "xl/change.xml": b"<old/>", "xl/drop.xml": b"<d/>"})
    with Package(path) as pkg:
        pkg.put("xl/change.xml", b"<new/>")
        pkg.put("xl/big.xml", b"<big/>" * 20000, compress_later=True)
        pkg.remove("xl/drop.xml")
        name = pkg.new_name("xl/comments{}.xml")
        pkg.put(name, b"<comments/>")
        pkg.content_types.override(name, "application/test+xml")
        rels = Rels(pkg, rels_part("xl/change.xml"))
        rid = rels.add("http://example.com/rel", name)
        rels.save()
        assert pkg.read("xl/change.xml") == b"<new/>" and not pkg.has("xl/drop.xml")
        data = pkg.write()
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(path) as original:
        assert z.testzip() is None
        assert z.namelist() == ["[Content_Types].xml", "xl/keep.xml", "xl/change.xml", "xl/big.xml",
                                "xl/comments1.xml", "xl/_rels/change.xml.rels"]
        assert z.read("xl/keep.xml") == original.read("xl/keep.xml")
        assert z.read("xl/big.xml") == b"<big/>" * 20000
        assert b'<Override PartName="/xl/comments1.xml" ContentType="application/test+xml"/>' in z.read(
            "[Content_Types].xml")
        assert (b'<Relationship Id="%s" Type="http://example.com/rel" Target="comments1.xml"/>' % rid.encode()
                in z.read("xl/_rels/change.xml.rels"))


def test_a_part_twice_is_unpatchable(tmp_path):
    path = package(tmp_path, {"a.xml": b"<a/>"})
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("A.XML", b"<a/>")  # the same part, as a package compares names: ignoring case
    with pytest.raises(Unpatchable, match="twice"):
        Package(path)
