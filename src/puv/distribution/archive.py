"""Source archives (`.tar.gz`, `.zip`, and `.tar.bz2`/`.tar.xz`/`.tgz`/`.tar` read by
`tarfile`): reading `PKG-INFO`, and unpacking them safely.

`unpack_sdist` checks every member before anything is written, on every Python puv supports
(our own checks, not `tarfile`'s data filter, which 3.10 releases before 3.10.12 lack), and
refuses the archive (a `BuildError`; nothing written outside its target, the partial tree
removed) when one member:

- has an absolute name, a drive, a backslash, a NUL, or a `..` part;
- lies below a member that is a symbolic link (writing through a link could leave the tree);
- is a symbolic link whose target is absolute, passes through another link of the archive, or
  leaves the tree once normalized; links that stay inside are kept;
- is a hard link to anything but an earlier regular file of the archive (its content is
  copied, never linked to a file outside);
- is a device, a FIFO, or anything else that is neither a file, a directory nor a link.

Files are created with `O_EXCL | O_NOFOLLOW` in a fresh directory, with the permissions
`tarfile`'s data filter would give (owner read/write, executable bits kept, no set-id bits).
Member names are compared case-insensitively for the link checks, so a case-insensitive file
system gives no way around them. Zip members that claim to be symbolic links are written as
plain files holding the link's target (what `zipfile` does).
"""

from __future__ import annotations

import os
import posixpath
import tarfile
import zipfile

from puv.build.errors import BuildError

__all__ = ["read_pkg_info", "source_root", "unpack_sdist"]

_CHUNK = 1 << 20


def _open_tar(path: str) -> tarfile.TarFile:
    return tarfile.open(path, mode="r:*")


def read_pkg_info(path: str) -> bytes | None:
    """The top-level `PKG-INFO` of an sdist (`<name>-<version>/PKG-INFO`), or `None`."""
    try:
        if path.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist()
                         if n.count("/") == 1 and n.endswith("/PKG-INFO")]
                return archive.read(names[0]) if names else None
        with _open_tar(path) as archive:
            for member in archive:
                name = member.name.lstrip("./") if member.name.startswith("./") else member.name
                if member.isfile() and name.count("/") == 1 and name.endswith("/PKG-INFO"):
                    handle = archive.extractfile(member)
                    return handle.read() if handle is not None else None
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, KeyError):
        return None
    return None


def _refuse(archive: str, member: str, why: str) -> BuildError:
    return BuildError(f"The source distribution `{os.path.basename(archive)}` is unsafe: "
                      f"its member `{member}` {why}; nothing was extracted",
                      hint="the archive is broken or malicious; do not build it")


def _clean_name(archive: str, raw: str) -> str:
    """The member's name as a normalized relative path, or a refusal."""
    if "\x00" in raw or "\\" in raw:
        raise _refuse(archive, raw, "has a backslash or a NUL in its name")
    name = raw
    while name.startswith("./"):
        name = name[2:]
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _refuse(archive, raw, "has an absolute path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise _refuse(archive, raw, "has a `..` in its path, which would write outside the "
                      "target directory")
    return "/".join(parts)


def _under_link(name: str, links: set[str]) -> bool:
    parts = name.lower().split("/")
    return any("/".join(parts[:i]) in links for i in range(1, len(parts)))


def _check_link(archive: str, name: str, target: str, links: set[str]) -> None:
    """A symbolic link `name -> target` must stay inside the tree, through no other link."""
    if not target or target.startswith("/") or "\\" in target or "\x00" in target or (
            len(target) > 1 and target[1] == ":"):
        raise _refuse(archive, name, f"is a link to `{target}`, outside the target directory")
    base = posixpath.dirname(name)
    resolved = posixpath.normpath(posixpath.join(base, target))
    if resolved == ".." or resolved.startswith("../"):
        raise _refuse(archive, name, f"is a link to `{target}`, outside the target directory")
    # Every prefix of the path walked, before normalization, must not be a link: a link
    # through a link is how `a -> .` then `b -> a/a/../..` escapes a lexical check.
    walked: list[str] = [p for p in base.split("/") if p]
    for part in target.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if walked:
                walked.pop()
            continue
        walked.append(part)
        if "/".join(walked).lower() in links and "/".join(walked) != name:
            raise _refuse(archive, name, f"is a link to `{target}`, through another link")


def _mode(mode: int) -> int:
    """The data filter's permissions: owner read/write; executable bits only when the owner's
    is set; no set-id, sticky, or group/other write bits."""
    if not mode & 0o100:
        mode &= ~0o111
    return (mode | 0o600) & 0o755


def _write(path: str, source: object, mode: int) -> None:
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            raise IsADirectoryError(path)
        os.unlink(path)  # a duplicate member: the later one wins, as with tar
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                 _mode(mode))
    with os.fdopen(fd, "wb") as out:
        while True:
            chunk = source.read(_CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            out.write(chunk)


def _mkdirs(root: str, relative: str) -> str:
    path = os.path.join(root, *relative.split("/")) if relative else root
    os.makedirs(path, exist_ok=True)
    return path


def _unpack_tar(path: str, target: str) -> None:
    with _open_tar(path) as archive:
        members = archive.getmembers()
        names: list[str] = []
        links: set[str] = set()
        files: set[str] = set()
        for member in members:  # check everything before writing anything
            name = _clean_name(path, member.name)
            names.append(name)
            if member.issym():
                links.add(name.lower())
        for member, name in zip(members, names, strict=True):
            if not name:
                continue
            if _under_link(name, links):
                raise _refuse(path, member.name, "lies below a symbolic link of the archive")
            if member.issym():
                _check_link(path, name, member.linkname, links)
            elif member.islnk():
                linked = _clean_name(path, member.linkname)
                if linked not in files:
                    raise _refuse(path, member.name, f"is a hard link to `{member.linkname}`, "
                                  "which is not a file of the archive before it")
            elif member.isfile():
                files.add(name)
            elif not member.isdir():
                raise _refuse(path, member.name, "is a device, FIFO or other special file")
        by_name = {n: m for m, n in zip(members, names, strict=True) if m.isfile()}
        for member, name in zip(members, names, strict=True):
            if not name:
                continue
            parent, _, _leaf = name.rpartition("/")
            destination = os.path.join(target, *name.split("/"))
            if member.isdir():
                _mkdirs(target, name)
                continue
            _mkdirs(target, parent)
            if member.issym():
                if os.path.lexists(destination):
                    os.unlink(destination)
                os.symlink(member.linkname, destination)
            elif member.islnk():
                source_member = by_name[_clean_name(path, member.linkname)]
                handle = archive.extractfile(source_member)
                assert handle is not None
                _write(destination, handle, source_member.mode)
            else:
                handle = archive.extractfile(member)
                assert handle is not None
                _write(destination, handle, member.mode)


def _unpack_zip(path: str, target: str) -> None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = [_clean_name(path, info.filename) for info in infos]
        for info, name in zip(infos, names, strict=True):
            if not name:
                continue
            if info.is_dir():
                _mkdirs(target, name)
                continue
            parent, _, _leaf = name.rpartition("/")
            _mkdirs(target, parent)
            mode = (info.external_attr >> 16) & 0o777 or 0o644
            with archive.open(info) as handle:
                _write(os.path.join(target, *name.split("/")), handle, mode)


def unpack_sdist(path: str, target: str) -> None:
    """Unpack the sdist at `path` into the new directory `target` (which must not exist),
    checking every member (see the module docstring). On failure nothing is left."""
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    os.mkdir(target)
    try:
        if path.endswith(".zip"):
            _unpack_zip(path, target)
        else:
            _unpack_tar(path, target)
    except BuildError:
        _remove(target)
        raise
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile, KeyError) as exc:
        _remove(target)
        raise BuildError(f"Failed to extract the source distribution "
                         f"`{os.path.basename(path)}`: {exc}",
                         hint="the archive is corrupt or truncated") from None
    except BaseException:
        _remove(target)
        raise


def _remove(path: str) -> None:
    from puv.fs import remove_tree

    try:
        remove_tree(path)
    except OSError:
        pass


def source_root(unpacked: str) -> str:
    """The source tree of an unpacked sdist: its single top-level directory (`a-1.0/`), or
    the unpacked directory itself when it holds more than that."""
    entries = [e for e in os.listdir(unpacked) if not e.startswith(".puv")]
    if len(entries) == 1:
        only = os.path.join(unpacked, entries[0])
        if os.path.isdir(only) and not os.path.islink(only):
            return only
    return unpacked

