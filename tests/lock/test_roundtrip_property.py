"""Hypothesis: any model the writer can write reads back equal, and writing is idempotent."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from puv.lock import model
from puv.lock.reader import read_lock
from puv.lock.writer import package_sort_key, write_lock

names = st.from_regex(r"[a-z][a-z0-9]{0,4}(-[a-z0-9]{1,3})?", fullmatch=True)
# Any text TOML can carry: quotes, backslashes, control characters, non-ASCII.
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
versions = st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,2}(rc[0-9])?", fullmatch=True)
hashes = st.from_regex(r"sha256:[0-9a-f]{4,8}", fullmatch=True)
sizes = st.none() | st.integers(min_value=0, max_value=10**9)
optional_texts = st.none() | texts

sources = st.one_of(
    st.builds(model.RegistrySource, registry=texts),
    st.builds(model.GitSource, git=texts),
    st.builds(model.UrlSource, url=texts, subdirectory=optional_texts),
    st.builds(model.PathSource, path=texts),
    st.builds(model.DirectorySource, directory=texts),
    st.builds(model.EditableSource, editable=texts),
    st.builds(model.VirtualSource, virtual=texts),
)
conflict_items = st.one_of(
    st.builds(model.ConflictItem, package=names),
    st.builds(model.ConflictItem, package=names, extra=names),
    st.builds(model.ConflictItem, package=names, group=names),
)
requirement_sources = st.one_of(
    st.builds(
        model.RegistrySpecifier,
        specifier=optional_texts,
        index=optional_texts,
        conflict=st.none() | conflict_items,
    ),
    sources.filter(lambda source: not isinstance(source, model.RegistrySource)),
)
requirements = st.builds(
    model.LockRequirement,
    name=names,
    extras=st.tuples() | st.lists(names, max_size=2).map(tuple),
    groups=st.lists(names, max_size=2).map(tuple),
    marker=optional_texts,
    source=requirement_sources,
)
requirement_lists = st.lists(requirements, max_size=3).map(tuple)
wheels = st.builds(
    model.Wheel,
    hash=st.none() | hashes,
    size=sizes,
    upload_time=optional_texts,
    zstd=st.none() | st.builds(model.ZstdArtifact, hash=st.none() | hashes, size=sizes),
).flatmap(
    lambda wheel: st.sampled_from(["url", "path", "filename"]).flatmap(
        lambda key: texts.map(lambda value: dataclasses.replace(wheel, **{key: value}))
    )
)
sdists = st.builds(
    model.Sdist, hash=st.none() | hashes, size=sizes, upload_time=optional_texts
).flatmap(
    lambda sdist: st.sampled_from(["url", "path", None]).flatmap(
        lambda key: texts.map(
            lambda value: sdist if key is None else dataclasses.replace(sdist, **{key: value})
        )
    )
)
options = st.builds(
    model.LockOptions,
    resolution_mode=st.sampled_from([None, "lowest", "lowest-direct"]),
    prerelease_mode=st.sampled_from([None, "allow", "disallow", "explicit"]),
    fork_strategy=st.sampled_from([None, "fewest"]),
    exclude_newer=optional_texts,
    prerelease_package=st.dictionaries(names, st.sampled_from(["allow", "explicit"]), max_size=2),
    exclude_newer_package=st.dictionaries(
        names,
        texts | st.just(False) | st.builds(model.RelativeExcludeNewer, timestamp=texts, span=texts),
        max_size=2,
    ),
).flatmap(
    lambda options: (st.none() if options.exclude_newer is None else optional_texts).map(
        lambda span: dataclasses.replace(options, exclude_newer_span=span)
    )
)
manifests = st.builds(
    model.LockManifest,
    members=st.lists(names, max_size=3).map(tuple),
    requirements=requirement_lists,
    constraints=requirement_lists,
    overrides=requirement_lists,
    excludes=st.lists(names, max_size=3).map(tuple),
    build_constraints=requirement_lists,
    dependency_groups=st.dictionaries(names, requirement_lists.filter(bool), max_size=2),
    dependency_metadata=st.lists(
        st.builds(
            model.DependencyMetadata,
            name=names,
            version=st.none() | versions,
            requires_dist=st.lists(texts, max_size=2).map(tuple),
            requires_python=optional_texts,
            provides_extras=st.lists(names, max_size=2).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
)


@st.composite
def locks(draw: st.DrawFn) -> model.Lock:
    identities = draw(
        st.lists(st.tuples(names, versions, sources), max_size=5, unique_by=lambda i: i[:2])
    )
    bare = [
        model.LockPackage(name=name, version=version, source=source)
        for name, version, source in identities
    ]
    # Same-name entries differ in version, so (name, version, source) is a total order.
    bare.sort(key=package_sort_key)

    def edges() -> tuple[model.LockDependency, ...]:
        if not bare:
            return ()
        targets = draw(st.lists(st.sampled_from(bare), max_size=3))
        result = [
            model.LockDependency(
                name=target.name,
                version=target.version,
                source=target.source,
                extra=draw(st.lists(names, max_size=2).map(tuple)),
                marker=draw(optional_texts),
            )
            for target in sorted(targets, key=package_sort_key)
        ]
        return tuple(result)

    packages = []
    for package in bare:
        packages.append(
            dataclasses.replace(
                package,
                resolution_markers=draw(st.lists(texts, max_size=2).map(tuple)),
                dependencies=edges(),
                sdist=draw(st.none() | sdists),
                wheels=draw(st.lists(wheels, max_size=2).map(tuple)),
                optional_dependencies={
                    extra: group
                    for extra in draw(st.lists(names, max_size=2, unique=True))
                    if (group := edges())
                },
                dev_dependencies={
                    group: deps
                    for group in draw(st.lists(names, max_size=2, unique=True))
                    if (deps := edges())
                },
                metadata=draw(
                    st.builds(
                        model.PackageMetadata,
                        requires_dist=requirement_lists,
                        provides_extras=st.lists(names, max_size=2).map(tuple),
                        requires_dev=st.dictionaries(names, requirement_lists, max_size=2),
                    )
                ),
            )
        )
    return model.Lock(
        revision=draw(st.integers(min_value=1, max_value=model.CURRENT_REVISION)),
        requires_python=draw(texts),
        resolution_markers=draw(st.lists(texts, max_size=2).map(tuple)),
        supported_markers=draw(st.lists(texts, max_size=2).map(tuple)),
        required_markers=draw(st.lists(texts, max_size=2).map(tuple)),
        conflicts=draw(
            st.lists(st.lists(conflict_items, max_size=3).map(tuple), max_size=2).map(tuple)
        ),
        options=draw(options),
        manifest=draw(manifests),
        packages=tuple(packages),
    )


@settings(max_examples=100, deadline=None)
@given(locks())
def test_written_model_reads_back_equal(lock: model.Lock) -> None:
    text = write_lock(lock)
    assert read_lock(text) == lock
    assert write_lock(read_lock(text)) == text
