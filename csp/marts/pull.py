"""`csp marts pull`: copy one district's mart out, checked file by file against its manifest."""
from __future__ import annotations

import datetime as dt
import errno
import json
import shutil
from pathlib import Path, PurePosixPath

from csp import InputError
from csp.checksums import sha256
from csp.config import Settings
from csp.marts.districts import District, find_district, reference_districts
from csp.marts.publish import MARTS_FOLDER
from csp.publish.manifest import MANIFEST
from csp.publish.release import RELEASES, staged_release
from csp.runs import new_run_id


class MartRefused(InputError):
    """The mart cannot be handed over as it is: what is wrong, in words."""


def pull_mart(settings: Settings, name: str, to: Path) -> tuple[District, Path, int]:
    """Copy the mart of the district `name` means into `to`/<district>/, all at once, and only if
    every file matches the manifest (no file missing, changed or added). Returns the district,
    where the copy is and how many files it holds besides the manifest."""
    district = find_district(name, *reference_districts(settings.reference_dir))
    source = settings.marts_dir / MARTS_FOLDER / district.slug
    if not (source / MANIFEST).is_file():
        raise MartRefused(f"no mart for {district.name} in {source.parent}: run the refresh first")
    # the release this link points to now: a refresh may swap in another while the files are copied (the
    # one it replaces is kept until the refresh after), and every file must come from the same one
    source = source.resolve()
    if Path(to).exists() and not Path(to).is_dir():
        raise MartRefused(f"{to} is a file: give the folder to copy the mart into")
    destination = Path(to) / district.slug
    if destination.resolve() == source:
        raise MartRefused(f"{destination} is the published mart itself: pull it to another folder")
    # into another district's published mart, or anywhere in the published outputs: refused
    if destination.resolve().is_relative_to(settings.marts_dir.resolve()):
        raise MartRefused(f"{destination} is inside the published outputs ({settings.marts_dir}): pull the mart to a "
                          "folder outside them")
    # into a mart pulled earlier (its manifest would not list the new folder, so its check fails), or into
    # other published outputs (another refresh's, with a release of its own): refused
    for folder in destination.resolve().parents:
        if (folder / MANIFEST).is_file():
            held = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("district", {}).get("name")
            raise MartRefused(f"{destination} is inside {folder}, which holds "
                              + (f"{held}'s mart" if held else "published outputs")
                              + f" ({MANIFEST}): pull the mart to a folder outside it")
        if folder.name == RELEASES or (folder / RELEASES).is_dir():
            raise MartRefused(f"{destination} is inside published outputs ({folder}): pull the mart to a folder "
                              "outside them")
    _replaceable(destination, district)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("district", {}).get("lad_code") != district.lad_code:
        raise MartRefused(f"the mart in {source} is not {district.name}'s (its manifest names "
                          f"{manifest.get('district', {}).get('name')!r}): refused")
    outputs = {_inside(entry["file"]): entry["sha256"] for entry in manifest["outputs"]}
    entries = list(source.rglob("*"))
    # anything but files and folders (a link, say, to another district's mart) is not the published mart
    odd = sorted(p.relative_to(source).as_posix() for p in entries if p.is_symlink() or not (p.is_file() or p.is_dir()))
    if odd:
        raise MartRefused(f"the {district.name} mart holds {odd}, which are not files: refused")
    present = {p.relative_to(source).as_posix() for p in entries if p.is_file()} - {MANIFEST}
    if present != set(outputs):
        raise MartRefused(f"the {district.name} mart does not match its manifest: "
                          f"missing {sorted(set(outputs) - present)}, not listed {sorted(present - set(outputs))}: refused")
    try:
        with staged_release(destination, new_run_id(dt.datetime.now())) as staging:
            for file, checksum in outputs.items():
                copy = staging / file
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / file, copy)
                if sha256(copy) != checksum:
                    raise MartRefused(f"{file} in the {district.name} mart does not match its checksum in {MANIFEST} "
                                      "(changed since it was published): refused, nothing copied")
            shutil.copyfile(source / MANIFEST, staging / MANIFEST)
    except OSError as exc:   # a folder given that this user cannot write in, or that cannot be made: theirs to change
        if exc.errno not in UNWRITABLE or not str(exc.filename or "").startswith(str(Path(to))):
            raise
        raise MartRefused(f"cannot copy the mart into {to}: {exc.strerror} ({exc.filename}); nothing was copied: "
                          "give a folder this user can write in") from exc
    return district, destination, len(outputs)


# what an OSError says of a destination the mart cannot be copied into
UNWRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT, errno.ENOTDIR)


def _replaceable(destination: Path, district: District) -> None:
    """The pull replaces `destination` as a whole: only a new or empty folder, or the same district's mart
    pulled there before, holding nothing else, is replaced (anything else would be deleted with it)."""
    if not destination.exists():
        return
    if not destination.is_dir():
        raise MartRefused(f"{destination} is a file: pull the mart to a folder")
    manifest = destination / MANIFEST
    if not manifest.is_file():
        if any(destination.iterdir()):
            raise MartRefused(f"{destination} already holds files and is not a mart pulled there: pull the mart to "
                              "a new or empty folder (the pull replaces the folder, and would delete them)")
        return
    held = json.loads(manifest.read_text(encoding="utf-8"))
    if held.get("district", {}).get("lad_code") != district.lad_code:
        raise MartRefused(f"{destination} holds {held.get('district', {}).get('name', 'another')}'s mart: pull "
                          f"{district.name}'s to another folder")
    listed = {_inside(entry["file"]) for entry in held.get("outputs", [])} | {MANIFEST}
    others = sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*")
                    if not p.is_dir() and p.relative_to(destination).as_posix() not in listed)
    if others:
        raise MartRefused(f"{destination} holds files besides the {district.name} mart pulled there before "
                          f"({', '.join(others[:3])}{' …' if len(others) > 3 else ''}): move them out first (the "
                          "pull replaces the folder, and would delete them)")
    # a file of the earlier copy changed since (a workbook saved with the reader's own work) would be lost too
    changed = sorted(entry["file"] for entry in held.get("outputs", []) if (destination / entry["file"]).is_file()
                     and sha256(destination / entry["file"]) != entry.get("sha256"))
    if changed:
        raise MartRefused(f"{destination} holds the {district.name} mart pulled there before, changed since "
                          f"({', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}): move them out first (the "
                          "pull replaces the folder, and would overwrite them)")


def _inside(file: str) -> str:
    """A manifest entry must name a file inside the mart: no absolute path, no '..'."""
    path = PurePosixPath(file)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise MartRefused(f"the manifest lists {file!r}, which is not a file inside the mart: refused")
    return path.as_posix()
