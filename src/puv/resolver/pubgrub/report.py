"""Explaining a failure in uv's words.

`NoSolution` carries the derivation tree and the versions each package has; `render()` reduces
the tree (`reduce.py`) and walks it into sentences, one per derivation:

    Because <cause> and <cause>, we can conclude that <conclusion>.
    And because <cause>, we can conclude that <conclusion>.

A chain of derivations each using the previous one reads as one paragraph ("And because ...").
When both causes of a step are themselves derived, the first is explained, numbered ("(1)"),
and referred to later ("And because we know from (1) that ..."); a derivation shared by two
steps is explained once and numbered the same way.

How things are named (all uv's):

- a set of versions against the versions that exist: "all versions of a", "a<=1.0.0",
  "only b==1.0.0 is available", "only the following versions of a are available: ...";
- the root: "you require a and b", "your requirements are unsatisfiable";
- a dependency: "a>=2.0 depends on b==1.0", "all versions of a depend on b and c";
- unavailable versions with the provider's reason: "b==1.0.0 was yanked";
- `Python`: "the current Python version (3.9.18) does not satisfy Python>=3.10".

Hints (`hint:` lines) come after the explanation: the provider's, from the `Unavailable`
values the explanation cites, and the report's own (pre-releases, `requires-python`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from puv.core.ranges import Bound, Ranges
from puv.errors import PuvError
from puv.resolver.pubgrub.package import Package, PackageKind, PythonKind
from puv.resolver.pubgrub.provider import UnavailableKind
from puv.resolver.pubgrub.reduce import reduce_tree
from puv.resolver.pubgrub.term import Term
from puv.resolver.pubgrub.tree import (
    DerivationTree,
    Derived,
    FromDependency,
    NotRoot,
    NoVersions,
    UnavailableVersions,
    packages_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from packaging.version import Version

    from puv.resolver.pubgrub.tree import External

__all__ = ["NoSolution", "PythonSource", "ReportContext", "render_tree"]

HEADER = "No solution found when resolving dependencies"
_CAUSE = "  cause: "


class PythonSource(enum.Enum):
    """Where the Python version resolved for came from (it picks the `requires-python` hint)."""

    INTERPRETER = "interpreter"
    PYTHON_VERSION = "python-version"  # `--python-version`
    REQUIRES_PYTHON = "requires-python"  # a project's `requires-python`


def _never(name: str) -> bool:
    return False


@dataclass(frozen=True)
class ReportContext:
    """What the report needs beyond the tree.

    `python` is how the `Python` packages' versions are shown ("3.9.18" for the interpreter,
    ">=3.9" for a target range); `python_source` picks the `requires-python` hint.
    `workspace_members` switches the root's name to "your project" / "your workspace".
    `prereleases_disallowed(name)` says `--prerelease=disallow` applies to a package (then a
    hint suggests allowing them); `prerelease_package_option` names the package-level option in
    that hint instead of the global one.
    """

    python: str = ""
    python_source: PythonSource = PythonSource.INTERPRETER
    workspace_members: frozenset[str] = frozenset()
    prereleases_disallowed: Callable[[str], bool] = _never
    prerelease_package_option: frozenset[str] = frozenset()
    header: str = HEADER


class _Kind(enum.Enum):
    DEPENDENCY = 1
    COMPATIBILITY = 2
    AVAILABLE = 3


def _padded(left: str, content: str, right: str) -> str:
    """`content` with `left`/`right` added where it does not start/end with whitespace."""
    if not content:
        return content
    return (left if not content[0].isspace() else "") + content + (
        right if not content[-1].isspace() else "")


def _prefix(lower: Bound, upper: Bound) -> str | None:
    """`==2.4.*` for the interval `>=2.4.dev0,<2.5.dev0`."""
    low, high = lower.version, upper.version
    if not lower.inclusive or upper.inclusive:
        return None
    for version in (low, high):
        if version.pre is not None or version.post is not None or version.local is not None:
            return None
        if version.dev != 0:
            return None
    if len(low.release) != len(high.release) or low.epoch != high.epoch:
        return None
    if low.release[:-1] != high.release[:-1] or low.release[-1] + 1 != high.release[-1]:
        return None
    epoch = f"{low.epoch}!" if low.epoch else ""
    return f"=={epoch}{'.'.join(map(str, low.release))}.*"


class _Formatter:
    """uv's `PubGrubReportFormatter`: how packages, ranges and externals read."""

    def __init__(self, context: ReportContext, known: Mapping[str, Sequence[Version]]) -> None:
        self.context = context
        self.known = known
        self.members = context.workspace_members

    # -- names ------------------------------------------------------------------------------

    def root_requires(self, package: Package) -> str | None:
        if not package.is_root:
            return None
        if self.members:
            return "your project requires" if len(self.members) == 1 else (
                "your workspace requires")
        return f"{package.name} depends on" if package.name else "you require"

    def root(self, package: Package) -> str | None:
        if not package.is_root:
            return None
        if self.members:
            return "your project's requirements" if len(self.members) == 1 else (
                "your workspace's requirements")
        return "your requirements"

    def member(self, package: Package) -> str | None:
        if package.distribution not in self.members:
            return None
        if len(self.members) == 1 and package.kind is PackageKind.NAME:
            return "your project"
        return str(package)

    # -- ranges -----------------------------------------------------------------------------

    def plural(self, package: Package, ranges: Ranges, kind: _Kind) -> bool:
        if self.member(package) is not None:
            return False
        segments = list(ranges.segments())
        if not segments:
            return False
        first = segments[0]
        if kind is _Kind.COMPATIBILITY and first.lower is None and first.upper is None:
            return True
        return len(segments) > 1

    def range(self, package: Package, ranges: Ranges, kind: _Kind, *,
              formatter: bool = True) -> str:
        if formatter:
            root = self.root(package)
            if root is not None:
                return root
            member = self.member(package)
            if member is not None:
                return member
        if ranges.is_empty():
            return f"{package} ∅"
        segments = list(ranges.segments())
        parts: list[str] = []
        if len(segments) > 1:
            parts.append({_Kind.DEPENDENCY: "one of:", _Kind.COMPATIBILITY: "all of:",
                          _Kind.AVAILABLE: "are available:"}[kind])
        for segment in segments:
            if len(segments) > 1:
                parts.append("\n    ")
            parts.append(self._segment(package, segment.lower, segment.upper, kind))
        if len(segments) > 1:
            parts.append("\n")
        return "".join(parts)

    @staticmethod
    def _segment(package: Package, lower: Bound | None, upper: Bound | None,
                 kind: _Kind) -> str:
        if lower is None and upper is None:
            return f"all versions of {package}" if kind is _Kind.COMPATIBILITY else str(package)
        if lower is None:
            assert upper is not None
            return f"{package}{'<=' if upper.inclusive else '<'}{upper.version}"
        if upper is None:
            return f"{package}{'>=' if lower.inclusive else '>'}{lower.version}"
        if lower.inclusive and upper.inclusive and lower.version == upper.version:
            return f"{package}=={lower.version}"
        if lower.inclusive and not upper.inclusive:
            prefix = _prefix(lower, upper)
            if prefix is not None:
                return f"{package}{prefix}"
        return (f"{package}{'>=' if lower.inclusive else '>'}{lower.version},"
                f"{'<=' if upper.inclusive else '<'}{upper.version}")

    def compatible(self, package: Package, ranges: Ranges) -> str:
        return self.range(package, ranges, _Kind.COMPATIBILITY)

    def depends_on(self, package: Package, ranges: Ranges,
                   dependencies: Sequence[tuple[Package, Ranges]]) -> str:
        text = _padded("", self.compatible(package, ranges), " ")
        text += "depend on " if self.plural(package, ranges, _Kind.COMPATIBILITY) else (
            "depends on ")
        first = self.range(dependencies[0][0], dependencies[0][1], _Kind.DEPENDENCY)
        if len(dependencies) == 1:
            return text + first
        second = self.range(dependencies[1][0], dependencies[1][1], _Kind.DEPENDENCY)
        return text + _padded("", first, " ") + "and" + _padded(" ", second, "")

    def availability(self, package: Package, ranges: Ranges) -> Ranges:
        """A set of available versions read against the versions that exist."""
        versions = self.known.get(package.distribution or "")
        return ranges if versions is None else ranges.availability(versions)

    # -- externals --------------------------------------------------------------------------

    def external(self, leaf: External) -> str:
        if isinstance(leaf, NotRoot):
            return f"we are solving dependencies of {leaf.package} {leaf.version}"
        if isinstance(leaf, NoVersions):
            return self._no_versions(leaf.package, leaf.ranges)
        if isinstance(leaf, UnavailableVersions):
            requires = self.root_requires(leaf.package)
            if leaf.reason.kind is UnavailableKind.UNSATISFIABLE_DEPENDENCY and (
                    requires is not None):
                return f"{requires} {leaf.reason.detail}"
            root = self.root(leaf.package)
            if root is not None:
                return f"{root} cannot be used because {leaf.reason}"
            if leaf.reason.is_package_level:
                return f"{leaf.package}{_padded(' ', leaf.reason.message(), '')}"
            text = self.compatible(leaf.package, leaf.ranges)
            plural = self.plural(leaf.package, leaf.ranges, _Kind.COMPATIBILITY)
            return text + _padded(" ", leaf.reason.message(plural=plural), "")
        return self._dependency(leaf.package, leaf.ranges, leaf.dependency,
                                leaf.dependency_ranges)

    def _no_versions(self, package: Package, ranges: Ranges) -> str:
        if package.is_python:
            which = "requested" if package.python is PythonKind.TARGET else "current"
            return (f"the {which} {package} version ({self.context.python}) does not satisfy "
                    f"{self.compatible(package, ranges)}")
        if ranges.is_full():
            return f"there are no versions of {package}"
        exact = ranges.pinned_version()
        if exact is not None:
            return f"there is no version of {package}=={exact}"
        available = self.availability(package, ranges.complement())
        if available.is_empty():
            return f"there are no versions of {package}"
        shown = self.range(package, available, _Kind.AVAILABLE)
        if len(list(available.segments())) == 1:
            return f"only {shown} is available"
        return f"only the following versions of {package} {shown}"

    def _dependency(self, package: Package, ranges: Ranges, dependency: Package,
                    allowed: Ranges) -> str:
        if package.distribution is not None and package.distribution == dependency.distribution:
            member = self.member(package)
            if member is not None:
                shown = self.range(dependency, allowed, _Kind.DEPENDENCY, formatter=False)
                return f"{member} depends on itself at an incompatible version ({shown})"
        if package == dependency and not package.is_root:
            if self.plural(package, ranges, _Kind.COMPATIBILITY):
                return (f"{self.compatible(package, ranges)} have incompatible dependencies on "
                        "themselves")
            return f"{self.compatible(package, ranges)} has an incompatible dependency on itself"
        if allowed.is_empty():
            root = self.root(package)
            if root is not None:
                return f"{root} for {dependency} cannot be satisfied"
        requires = self.root_requires(package)
        if requires is not None:
            return f"{requires} {self.range(dependency, allowed, _Kind.DEPENDENCY)}"
        return self.depends_on(package, ranges, [(dependency, allowed)])

    def both_external(self, first: External, second: External) -> str:
        if (isinstance(first, FromDependency) and isinstance(second, FromDependency)
                and first.package == second.package and first.ranges == second.ranges):
            requires = self.root_requires(first.package)
            one = self.range(first.dependency, first.dependency_ranges, _Kind.DEPENDENCY)
            # The project requiring itself goes without saying ("your project requires
            # demo:dev", not "... requires your project and demo:dev").
            if self._root_on_project(first):
                return self.external(second)
            if self._root_on_project(second):
                return self.external(first)
            if requires is not None:
                two = self.range(second.dependency, second.dependency_ranges, _Kind.DEPENDENCY)
                return f"{requires} {_padded('', one, ' ')}and {two}"
            return self.depends_on(first.package, first.ranges, [
                (first.dependency, first.dependency_ranges),
                (second.dependency, second.dependency_ranges)])
        if self._root_on_project(second):
            return self.external(first)
        if self._root_on_project(first):
            return self.external(second)
        return f"{_padded('', self.external(first), ' ')}and {self.external(second)}"

    def _root_on_project(self, leaf: External) -> bool:
        return (isinstance(leaf, FromDependency) and leaf.package.is_root
                and len(self.members) == 1 and leaf.dependency.kind is PackageKind.NAME
                and leaf.dependency.name in self.members)

    # -- terms ------------------------------------------------------------------------------

    def terms(self, terms: Sequence[tuple[Package, Term]]) -> str:
        ordered = sorted(terms, key=lambda item: item[0].sort_key())
        if not ordered:
            return "the requirements are unsatisfiable"
        if len(ordered) == 1:
            package, term = ordered[0]
            if package.is_root:
                return f"{self.root(package)} are unsatisfiable"
            if package.kind in (PackageKind.NAME, PackageKind.EXTRA, PackageKind.GROUP):
                if term.positive:
                    member = self.member(package)
                    if member is not None:
                        return f"{member}'s requirements are unsatisfiable"
                    return f"{self.compatible(package, term.ranges)} cannot be used"
                return f"{self.compatible(package, term.ranges)} must be used"
        if len(ordered) == 2:
            (p1, t1), (p2, t2) = ordered
            if t1.positive and not t2.positive:
                return self._dependency(p1, t1.ranges, p2, t2.ranges)
            if not t1.positive and t2.positive:
                return self._dependency(p2, t2.ranges, p1, t1.ranges)
        shown = [self._term(package, term) for package, term in ordered]
        text = f"{shown[0]} and {shown[1]}" if len(shown) == 2 else ", ".join(shown)
        return text + (" cannot be used" if len(shown) == 1 else " are incompatible")

    def _term(self, package: Package, term: Term) -> str:
        if term.positive:
            return self.compatible(package, term.ranges)
        version = term.ranges.as_singleton()
        if version is not None:
            return f"{package}!={version}"
        return self.compatible(package, term.ranges.complement())

    # -- sentences --------------------------------------------------------------------------

    def both_external_sentence(self, first: External, second: External,
                               terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"Because {_padded('', self.both_external(first, second), ', ')}"
                f"we can conclude that {_padded('', self.terms(terms), '.')}")

    def both_ref_sentence(self, ref1: int, derived1: Derived, ref2: int, derived2: Derived,
                          terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"Because we know from ({ref1}) that {_padded('', self.terms(derived1.terms), ' ')}"
                f"and we know from ({ref2}) that "
                f"{_padded('', self.terms(derived2.terms), ', ')}"
                f"{_padded('', self.terms(terms), '.')}")

    def ref_and_external_sentence(self, ref: int, derived: Derived, external: External,
                                  terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"Because we know from ({ref}) that {_padded('', self.terms(derived.terms), ' ')}"
                f"and {_padded('', self.external(external), ', ')}"
                f"we can conclude that {_padded('', self.terms(terms), '.')}")

    def and_external_sentence(self, external: External,
                              terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"And because {_padded('', self.external(external), ', ')}"
                f"we can conclude that {_padded('', self.terms(terms), '.')}")

    def and_ref_sentence(self, ref: int, derived: Derived,
                         terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"And because we know from ({ref}) that "
                f"{_padded('', self.terms(derived.terms), ', ')}"
                f"we can conclude that {_padded('', self.terms(terms), '.')}")

    def and_prior_and_external_sentence(self, prior: External, external: External,
                                        terms: Sequence[tuple[Package, Term]]) -> str:
        return (f"And because {_padded('', self.both_external(prior, external), ', ')}"
                f"we can conclude that {_padded('', self.terms(terms), '.')}")


@dataclass(frozen=True, slots=True)
class _Build:
    node: Derived


@dataclass(frozen=True, slots=True)
class _Finish:
    shared_id: int | None


@dataclass(frozen=True, slots=True)
class _AfterFirst:
    current: Derived
    first: Derived
    second: Derived


_Task = _Build | _Finish | _AfterFirst | str  # a str is a line to emit


class _Reporter:
    """PubGrub's default reporter, as uv runs it: iterative, with numbered shared lines."""

    def __init__(self, formatter: _Formatter) -> None:
        self.formatter = formatter
        self.lines: list[str] = []
        self.ref_count = 0
        self.refs: dict[int, int] = {}

    def _add_ref(self) -> int:
        self.ref_count += 1
        if self.lines:
            self.lines[-1] += f" ({self.ref_count})"
        return self.ref_count

    def _ref_of(self, shared_id: int | None) -> int | None:
        return None if shared_id is None else self.refs.get(shared_id)

    def build(self, root: Derived) -> list[str]:
        fmt = self.formatter
        tasks: list[_Task] = [_Build(root)]  # a stack: pushed in reverse order of execution
        while tasks:
            task = tasks.pop()
            if isinstance(task, str):
                self.lines.append(task)
            elif isinstance(task, _Finish):
                if task.shared_id is not None and task.shared_id not in self.refs:
                    self.refs[task.shared_id] = self._add_ref()
            elif isinstance(task, _AfterFirst):
                if task.first.shared_id is not None:
                    self.lines.append("")
                    tasks.append(_Build(task.current))
                else:
                    ref = self._add_ref()
                    self.lines.append("")
                    tasks.append(fmt.and_ref_sentence(ref, task.first, task.current.terms))
                    tasks.append(_Build(task.second))
            else:
                self._build(task.node, tasks)
        return self.lines

    def _build(self, current: Derived, tasks: list[_Task]) -> None:
        fmt = self.formatter
        tasks.append(_Finish(current.shared_id))
        cause1, cause2 = current.cause1, current.cause2
        if not isinstance(cause1, Derived) and not isinstance(cause2, Derived):
            self.lines.append(fmt.both_external_sentence(cause1, cause2, current.terms))
            return
        if isinstance(cause1, Derived) and isinstance(cause2, Derived):
            ref1, ref2 = self._ref_of(cause1.shared_id), self._ref_of(cause2.shared_id)
            if ref1 is not None and ref2 is not None:
                self.lines.append(fmt.both_ref_sentence(ref1, cause1, ref2, cause2,
                                                        current.terms))
            elif ref1 is not None:
                tasks.append(fmt.and_ref_sentence(ref1, cause1, current.terms))
                tasks.append(_Build(cause2))
            elif ref2 is not None:
                tasks.append(fmt.and_ref_sentence(ref2, cause2, current.terms))
                tasks.append(_Build(cause1))
            else:
                tasks.append(_AfterFirst(current, cause1, cause2))
                tasks.append(_Build(cause1))
            return
        derived = cause1 if isinstance(cause1, Derived) else cause2
        external = cause2 if isinstance(cause1, Derived) else cause1
        assert isinstance(derived, Derived) and not isinstance(external, Derived)
        ref = self._ref_of(derived.shared_id)
        if ref is not None:
            self.lines.append(fmt.ref_and_external_sentence(ref, derived, external,
                                                            current.terms))
            return
        inner1, inner2 = derived.cause1, derived.cause2
        if isinstance(inner1, Derived) != isinstance(inner2, Derived):
            prior_derived = inner1 if isinstance(inner1, Derived) else inner2
            prior_external = inner2 if isinstance(inner1, Derived) else inner1
            assert isinstance(prior_derived, Derived) and not isinstance(prior_external, Derived)
            tasks.append(fmt.and_prior_and_external_sentence(prior_external, external,
                                                             current.terms))
            tasks.append(_Build(prior_derived))
        else:
            tasks.append(fmt.and_external_sentence(external, current.terms))
            tasks.append(_Build(derived))


def render_tree(tree: DerivationTree, known: Mapping[str, Sequence[Version]],
                context: ReportContext | None = None) -> str:
    """The explanation of an already reduced tree, as uv's report lines."""
    formatter = _Formatter(context or ReportContext(), known)
    if not isinstance(tree, Derived):
        return formatter.external(tree)
    return "\n".join(_Reporter(formatter).build(tree))


# -- hints ------------------------------------------------------------------------------------

_OFFLINE_HINT = ("Packages were unavailable because the network was disabled. When the network "
                 "is disabled, registry packages may only be read from the cache.")
_NO_INDEX_HINT = ("Packages were unavailable because index lookups were disabled and no "
                  "additional package locations were provided (try: `--find-links <uri>`)")


def _names_prerelease(ranges: Ranges) -> bool:
    """Whether a requested range names a pre-release (not `==2.4.*`'s or `~=`'s `.dev0`)."""
    for segment in ranges.segments():
        lower, upper = segment.lower, segment.upper
        if lower is not None and upper is not None and _prefix(lower, upper) is not None:
            continue
        if lower is not None and lower.version.is_prerelease:
            return True
        if upper is not None and upper.version.is_prerelease:
            version = upper.version
            compatible_release_end = (not upper.inclusive and version.dev == 0
                                      and version.pre is None and version.post is None
                                      and version.local is None)
            if not compatible_release_end:
                return True
    return False


def _hints(tree: DerivationTree, formatter: _Formatter) -> list[str]:
    context = formatter.context
    hints: dict[tuple[str, ...], str] = {}

    def add(key: tuple[str, ...], text: str) -> None:
        hints.setdefault(key, text)

    requested: dict[str, list[Ranges]] = {}
    stack: list[DerivationTree] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Derived):
            stack.append(node.cause1)
            stack.append(node.cause2)
        elif isinstance(node, FromDependency) and node.dependency.distribution is not None:
            requested.setdefault(node.dependency.distribution, []).append(node.dependency_ranges)

    def prerelease(name: str, ranges: Ranges) -> None:
        if not context.prereleases_disallowed(name):
            return
        option = (f"--prerelease-package {name}=allow" if name in
                  context.prerelease_package_option else "--prerelease=allow")
        for wanted in requested.get(name, ()):
            if _names_prerelease(wanted):
                shown = formatter.range(Package.named(name), wanted, _Kind.COMPATIBILITY,
                                        formatter=False)
                add(("prerelease", name), f"`{name}` was requested with a pre-release marker "
                    f"(e.g., {shown}), but pre-releases weren't enabled (try: `{option}`)")
                return
        for version in reversed(formatter.known.get(name, ())):
            if version.is_prerelease and ranges.contains(version):
                add(("prerelease", name), f"Pre-releases are available for `{name}` in the "
                    f"requested range (e.g., {version}), but pre-releases weren't enabled "
                    f"(try: `{option}`)")
                return

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Derived):
            stack.append(node.cause2)
            stack.append(node.cause1)
            continue
        if isinstance(node, UnavailableVersions):
            if node.reason.kind is UnavailableKind.UNSATISFIABLE_DEPENDENCY:
                continue
            name = node.package.distribution
            if name is not None:
                prerelease(name, node.ranges)
            kind = node.reason.kind
            if kind in (UnavailableKind.NOT_CACHED, UnavailableKind.OFFLINE):
                add(("offline",), _OFFLINE_HINT)
            elif kind is UnavailableKind.NO_INDEX:
                add(("no-index",), _NO_INDEX_HINT)
            for text in node.reason.hints:
                add(("provider", text), text)
        elif isinstance(node, NoVersions):
            name = node.package.distribution
            if name is not None:
                prerelease(name, node.ranges)
        elif isinstance(node, FromDependency):
            dependency = node.dependency
            if (dependency.is_python and dependency.python is PythonKind.TARGET
                    and node.package.distribution is not None):
                add(("requires-python",), _requires_python_hint(
                    context, formatter, node.package, node.ranges, node.dependency_ranges))
    return list(hints.values())


def _requires_python_hint(context: ReportContext, formatter: _Formatter, package: Package,
                          versions: Ranges, requires: Ranges) -> str:
    base = Package.named(package.distribution or package.name)
    shown = formatter.range(base, versions, _Kind.COMPATIBILITY, formatter=False)
    supports = "support" if formatter.plural(base, versions, _Kind.COMPATIBILITY) else (
        "supports")
    example = f"(e.g., {shown} only {supports} {requires})"
    if context.python_source is PythonSource.REQUIRES_PYTHON:
        return (f"The `requires-python` value ({context.python}) includes Python versions that "
                f"are not supported by your dependencies {example}. Consider using a more "
                f"restrictive `requires-python` value (like {requires}).")
    if context.python_source is PythonSource.PYTHON_VERSION:
        return (f"The `--python-version` value ({context.python}) includes Python versions that "
                f"are not supported by your dependencies {example}. Consider using a higher "
                "`--python-version` value.")
    return ("The Python interpreter uses a Python version that is not supported by your "
            f"dependencies {example}. Consider passing a `--python-version` value to raise the "
            "minimum supported version.")


# -- the error --------------------------------------------------------------------------------

@dataclass
class _Rendered:
    report: str
    hints: list[str] = field(default_factory=list)


class NoSolution(PuvError):
    """Resolution failed: the derivation tree, and its explanation in uv's words.

    `str(error)` / `error.message` is what the CLI prints after `error: `: the header, then the
    report as uv indents it under `  cause: `; `error.hint` holds the hints (several are joined
    so that each prints as its own `hint:` paragraph).
    """

    def __init__(self, tree: DerivationTree, known: Mapping[str, Sequence[Version]],
                 context: ReportContext | None = None) -> None:
        self.tree = tree
        self.known = dict(known)
        self.context = context or ReportContext()
        rendered = self._render(self.context)
        super().__init__(_frame(self.context.header, rendered.report),
                         hint="\n\nhint: ".join(rendered.hints) or None)
        self.report = rendered.report
        self.hints = rendered.hints

    def _render(self, context: ReportContext) -> _Rendered:
        members = context.workspace_members
        reduced = reduce_tree(self.tree, self.known, members=members,
                              prereleases_disallowed=context.prereleases_disallowed)
        formatter = _Formatter(context, self.known)
        if isinstance(reduced, Derived):
            report = "\n".join(_Reporter(formatter).build(reduced))
        else:
            report = formatter.external(reduced)
        return _Rendered(report, _hints(reduced, formatter))

    def render(self, context: ReportContext | None = None) -> str:
        """The explanation ("Because ..."), lines joined, without header or hints."""
        if context is None or context == self.context:
            return self.report
        return self._render(context).report

    def packages(self) -> list[str]:
        """The distributions the explanation involves, in order of first mention."""
        names: dict[str, None] = {}
        for package in packages_of(self.tree):
            if package.distribution is not None:
                names.setdefault(package.distribution)
        return list(names)

    def render_hints(self, context: ReportContext | None = None) -> list[str]:
        """The hints, each one paragraph without its `hint: ` prefix."""
        if context is None or context == self.context:
            return list(self.hints)
        return self._render(context).hints


def _frame(header: str, report: str) -> str:
    """`header`, then the report under `  cause: ` with continuation lines aligned."""
    lines = report.split("\n")
    indent = " " * len(_CAUSE)
    body = "\n".join([_CAUSE + lines[0]] + [indent + line if line else line
                                             for line in lines[1:]])
    return f"{header}\n{body}"
