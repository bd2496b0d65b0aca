"""An OOXML package opened for patching: parts read on demand, replaced, added or
removed, and written again with every untouched part's compressed bytes copied as
they are. Big parts are inflated and deflated in threads (zlib lets go of the GIL)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from . import Unpatchable
from .content_types import ContentTypes
from .zip import DateTime, Packed, pack, stored, unpack, write_zip

LEVEL = 6  # zlib's default: what a big sheet is packed at, in a thread while the next is patched
_BIG = 1 << 16  # a part this size or larger is packed in a thread when the package is written


class Package:
    """The zip package at `path`; a context manager (it holds the file and a thread pool)."""

    def __init__(self, path):
        self._file = open(path, "rb")
        self._zip = None
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1)))
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        self._zip = zipfile.ZipFile(self._file)
        self._infos: dict[str, zipfile.ZipInfo] = {}  # by lower-case name
        for info in self._zip.infolist():
            if info.flag_bits & 0x1:
                raise Unpatchable("an encrypted part")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unpatchable(f"{info.filename}: compression {info.compress_type}")
            if info.filename.lower() in self._infos:
                raise Unpatchable(f"{info.filename} twice in the package")
            self._infos[info.filename.lower()] = info
        self._new: dict[str, bytes] = {}  # by lower-case name
        self._packing: dict[str, Future[Packed]] = {}  # new parts already being packed
        self._inflating: dict[str, Future[bytes]] = {}
        self._names: dict[str, str] = {}  # lower-case -> as written, for added parts
        self._removed: set[str] = set()
        self.content_types = ContentTypes(self)

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._zip is not None:
            self._zip.close()
        self._file.close()

    def has(self, name: str) -> bool:
        key = name.lower()
        return key not in self._removed and (key in self._new or key in self._infos)

    def read(self, name: str) -> bytes:
        key = name.lower()
        if key in self._removed:
            raise Unpatchable(f"{name} was removed")
        if key in self._new:
            return self._new[key]
        if key not in self._infos:
            raise Unpatchable(f"{name} is not in the package")
        if key in self._inflating:
            return self._inflating.pop(key).result()
        return self._zip.read(self._infos[key])

    def prefetch(self, names: Iterable[str]) -> None:
        """Start inflating these parts in threads."""
        for name in names:
            key = name.lower()
            if key in self._infos and key not in self._new and key not in self._inflating:
                info = self._infos[key]
                self._inflating[key] = self._pool.submit(unpack, stored(self._file, info), info.filename)

    def put(self, name: str, data: bytes, compress_later: bool = False) -> None:
        """Replace or add a part; `compress_later`: a big one, packed in a thread at once
        while the next sheet is patched."""
        key = name.lower()
        self._removed.discard(key)
        if key not in self._infos:
            self._names[key] = name
        self._new[key] = data
        self._packing.pop(key, None)
        if compress_later:
            self._packing[key] = self._pool.submit(pack, data, LEVEL)

    def remove(self, name: str) -> None:
        key = name.lower()
        self._removed.add(key)
        self._new.pop(key, None)
        self._packing.pop(key, None)

    def names(self) -> list[str]:
        return [i.filename for k, i in self._infos.items() if k not in self._removed] + list(self._names.values())

    def new_name(self, pattern: str) -> str:
        """The first unused part name of `pattern` with a number from 1."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    def write(self) -> bytes:
        """The package as zip bytes: parts in their order, added ones at the end; an added
        part gets the workbook's (or the first part's) modification time."""
        self.content_types.save()
        for key, data in self._new.items():
            if key not in self._packing and len(data) >= _BIG:
                self._packing[key] = self._pool.submit(pack, data, LEVEL)
        return write_zip(self._entries())

    def _entries(self) -> Iterator[tuple[str, Packed, DateTime]]:
        default_time = self._infos.get("xl/workbook.xml", next(iter(self._infos.values()))).date_time
        for key, info in [*self._infos.items(), *((k, None) for k in self._names)]:
            if key in self._removed:
                continue
            name = info.filename if info is not None else self._names[key]
            date_time = info.date_time if info is not None else default_time
            if key in self._new:
                job = self._packing.get(key)
                packed = job.result() if job is not None else pack(self._new[key], LEVEL)
            else:
                packed = stored(self._file, info)
            yield name, packed, date_time
