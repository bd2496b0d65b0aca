"""A company profile for the tests, with a logo file made in the test."""

from __future__ import annotations

from pathlib import Path

from images import png
from pipeline.company import Company, read_logo

FIELDS = dict(name_zh="明远精密仪器有限公司", name_en="Mingyuan Precision Instruments Co., Ltd.", short_name="明远",
              address_zh="上海市张江路 88 号", address_en="88 Zhangjiang Road, Shanghai", phone="021-5555 0000",
              website="www.mingyuan.example", desk_name="王敏", desk_phone="021-5555 0101",
              desk_email="desk@mingyuan.example")


def profile(folder: Path, logo: bytes | None = None, name: str = "logo.png", **fields) -> Company:
    """The profile of FIELDS (changed by `fields`), its logo `logo` (default: a 360×120
    PNG; None given as b"": none) written to `folder`/`name`."""
    data = png(360, 120) if logo is None else logo
    path = folder / name
    if data:
        path.write_bytes(data)
    return Company(logo=read_logo(path) if data else None, **{**FIELDS, **fields})
