"""The marker algebra: uv's canonical text, its semantics and the boolean-algebra laws."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker

from puv.core.marker_algebra import FALSE, TRUE, MarkerTree
from puv.core.ranges import Ranges

# (as written, as uv 0.13.8 wrote it in `uv.lock`): dependency markers of projects with
# `requires-python = ">=3.8"` (then ">=3.9"), locked against a local index with
# `uv lock` (docs/markers.md says how).
UV_RENDERING = [
    ("sys_platform == 'linux' and python_version >= '3.9'",
     "python_full_version >= '3.9' and sys_platform == 'linux'"),
    ("python_version >= '3.9' and sys_platform == 'linux'",
     "python_full_version >= '3.9' and sys_platform == 'linux'"),
    ("sys_platform != 'linux' and sys_platform != 'darwin'",
     "sys_platform != 'darwin' and sys_platform != 'linux'"),
    ("python_version < '3.10'", "python_full_version < '3.10'"),
    ("sys_platform == 'linux' and platform_machine == 'x86_64'",
     "platform_machine == 'x86_64' and sys_platform == 'linux'"),
    ("python_version > '3.9'", "python_full_version >= '3.10'"),
    ("python_version == '3.9'", "python_full_version == '3.9.*'"),
    ("python_version != '3.9'", "python_full_version != '3.9.*'"),
    ("python_version <= '3.9' or sys_platform == 'win32'",
     "python_full_version < '3.10' or sys_platform == 'win32'"),
    ("platform_system == 'Windows'", "sys_platform == 'win32'"),
    ("'nux' in sys_platform and os_name in 'posix'",
     "os_name in 'posix' and 'nux' in sys_platform"),
    ("python_full_version != '3.9.1'", "python_full_version != '3.9.1'"),
    ("(sys_platform == 'linux' or sys_platform == 'darwin') and python_version < '3.12'",
     "(python_full_version < '3.12' and sys_platform == 'darwin') or "
     "(python_full_version < '3.12' and sys_platform == 'linux')"),
    ("sys_platform == 'win32' or sys_platform == 'linux' or python_version >= '3.11'",
     "python_full_version >= '3.11' or sys_platform == 'linux' or sys_platform == 'win32'"),
    ("os_name == 'nt' or platform_machine == 'arm64' and implementation_name == 'cpython'",
     "(implementation_name == 'cpython' and platform_machine == 'arm64') or os_name == 'nt'"),
    ("python_version >= '3.9' and python_version < '3.11' or sys_platform == 'darwin'",
     "(python_full_version >= '3.9' and python_full_version < '3.11') or "
     "sys_platform == 'darwin'"),
    ("python_version < '3.9' or python_version >= '3.11'",
     "python_full_version < '3.9' or python_full_version >= '3.11'"),
    ("sys_platform == 'darwin' and platform_machine == 'arm64' or "
     "sys_platform == 'linux' and platform_machine == 'aarch64'",
     "(platform_machine == 'arm64' and sys_platform == 'darwin') or "
     "(platform_machine == 'aarch64' and sys_platform == 'linux')"),
    ("implementation_version >= '3.9' and python_version < '3.13'",
     "implementation_version >= '3.9' and python_full_version < '3.13'"),
    ("python_version ~= '3.9'", "python_full_version >= '3.9' and python_full_version < '4'"),
    ("python_full_version > '3.9.1' and python_full_version <= '3.11.4'",
     "python_full_version > '3.9.1' and python_full_version <= '3.11.4'"),
    ("sys_platform != 'win32' or python_version < '3.10'",
     "python_full_version < '3.10' or sys_platform != 'win32'"),
    # requires-python >= 3.9 (no dependency marker here touches the lower bound)
    ("sys_platform == 'linux' or sys_platform == 'darwin'",
     "sys_platform == 'darwin' or sys_platform == 'linux'"),
    ("sys_platform == 'linux' or sys_platform == 'darwin' or sys_platform == 'win32'",
     "sys_platform == 'darwin' or sys_platform == 'linux' or sys_platform == 'win32'"),
    ("python_version == '3.10' or python_version == '3.12'",
     "python_full_version == '3.10.*' or python_full_version == '3.12.*'"),
    ("(python_version < '3.11' and sys_platform == 'linux') or "
     "(python_version >= '3.11' and sys_platform == 'darwin')",
     "(python_full_version >= '3.11' and sys_platform == 'darwin') or "
     "(python_full_version < '3.11' and sys_platform == 'linux')"),
    ("platform_machine == 'x86_64' or platform_machine == 'AMD64'",
     "platform_machine == 'AMD64' or platform_machine == 'x86_64'"),
    ("implementation_name == 'pypy' or platform_python_implementation == 'PyPy'",
     "implementation_name == 'pypy' or platform_python_implementation == 'PyPy'"),
    ("python_version != '3.10' and python_version != '3.11'",
     "python_full_version < '3.10' or python_full_version >= '3.12'"),
    ("python_version < '3.10' or python_version > '3.10'", "python_full_version != '3.10.*'"),
    ("(sys_platform == 'linux' and platform_machine == 'x86_64') or sys_platform == 'darwin' "
     "or (sys_platform == 'win32' and python_version >= '3.12')",
     "(python_full_version >= '3.12' and sys_platform == 'win32') or "
     "(platform_machine == 'x86_64' and sys_platform == 'linux') or sys_platform == 'darwin'"),
    ("os_name == 'nt' and platform_machine == 'x86_64' or "
     "os_name == 'posix' and platform_machine == 'arm64'",
     "(os_name == 'nt' and platform_machine == 'x86_64') or "
     "(os_name == 'posix' and platform_machine == 'arm64')"),
    ("python_full_version >= '3.9.2' and python_full_version < '3.10'",
     "python_full_version >= '3.9.2' and python_full_version < '3.10'"),
]

# `requires-dist` markers uv wrote in `[package.metadata]` (normalized, not simplified).
UV_REQUIRES_DIST = [
    ("sys_platform == 'darwin' and python_version >= '3.11' and extra == 'opt'",
     "python_full_version >= '3.11' and sys_platform == 'darwin' and extra == 'opt'"),
    ("(platform_machine == 'arm64' or os_name == 'nt') and extra == 'opt'",
     "(os_name == 'nt' and extra == 'opt') or (platform_machine == 'arm64' and extra == 'opt')"),
    ("python_version >= '3.9' and sys_platform != 'win32'",
     "python_full_version >= '3.9' and sys_platform != 'win32'"),
    ("platform_system == 'Linux' and platform_machine == 'x86_64'",
     "platform_machine == 'x86_64' and sys_platform == 'linux'"),
    ("extra == 'x' and sys_platform == 'linux'", "sys_platform == 'linux' and extra == 'x'"),
    # `[tool.uv] environments` as `supported-markers`
    ("sys_platform == 'linux' and python_version >= '3.10'",
     "python_full_version >= '3.10' and sys_platform == 'linux'"),
    ("sys_platform == 'darwin' or platform_system == 'Windows' and platform_machine == 'AMD64'",
     "(platform_machine == 'AMD64' and sys_platform == 'win32') or sys_platform == 'darwin'"),
    ("python_version < '3.10' and implementation_name == 'cpython' and sys_platform == 'linux'",
     "python_full_version < '3.10' and implementation_name == 'cpython' and "
     "sys_platform == 'linux'"),
]

# Random markers (the property tests' generator) and the `requires-dist` markers uv 0.13.8
# wrote for them: they pin the variable order, the order of the clauses and the reduction.
UV_RANDOM = [
    ("(((sys_platform == 'win32') or (platform_system != 'Windows')) and (os_name == 'nt')) or "
     "((os_name == 'java') and ((platform_machine == 'x86_64') and (python_full_version != "
     "'3.9.1')))",
     "(python_full_version != '3.9.1' and os_name == 'java' and platform_machine == 'x86_64') "
     "or os_name == 'nt'"),
    ("(sys_platform != 'win32') or ((python_version >= '3.9') or ((os_name == 'posix') or "
     "(sys_platform == 'linux')))",
     "python_full_version >= '3.9' or os_name == 'posix' or sys_platform != 'win32'"),
    ("(platform_python_implementation == 'PyPy') or (sys_platform == 'darwin')",
     "platform_python_implementation == 'PyPy' or sys_platform == 'darwin'"),
    ("(os_name == 'nt') and ((platform_system == 'Linux') and ((platform_machine != 'arm64') or "
     "(python_version < '3.11')))",
     "python_version < '0'"),
    ("(python_full_version != '3.9.1') or (sys_platform == 'darwin')",
     "python_full_version != '3.9.1' or sys_platform == 'darwin'"),
    ("('nux' in sys_platform) and ((sys_platform == 'linux') or ((implementation_name == "
     "'cpython') and (implementation_name == 'cpython')))",
     "(implementation_name == 'cpython' and 'nux' in sys_platform) or (sys_platform == 'linux' "
     "and 'nux' in sys_platform)"),
    ("(python_full_version != '3.9.1') and (((platform_system == 'FreeBSD') or "
     "(platform_machine != 'arm64')) and (platform_machine == 'x86_64'))",
     "python_full_version != '3.9.1' and platform_machine == 'x86_64'"),
    ("(python_version == '3.10') or (((sys_platform == 'linux') or (python_full_version != "
     "'3.9.1')) and ((platform_machine != 'arm64') and (python_full_version != '3.9.1')))",
     "python_full_version == '3.10.*' or (python_full_version > '3.9.1' and "
     "python_full_version < '3.10' and platform_machine != 'arm64') or (python_full_version < "
     "'3.9.1' and platform_machine != 'arm64') or (python_full_version >= '3.11' and "
     "platform_machine != 'arm64')"),
    ("(((sys_platform == 'darwin') or (platform_machine == 'x86_64')) or (platform_machine == "
     "'x86_64')) and ((python_version == '3.10') and ((python_version < '3.11') or "
     "(sys_platform in 'linux darwin')))",
     "(python_full_version == '3.10.*' and platform_machine == 'x86_64') or "
     "(python_full_version == '3.10.*' and sys_platform == 'darwin')"),
    ("((sys_platform in 'linux darwin') or (platform_machine == 'x86_64')) or "
     "((python_full_version > '3.12.0') and ((platform_machine == 'x86_64') and (os_name == "
     "'nt')))",
     "platform_machine == 'x86_64' or sys_platform in 'linux darwin'"),
    ("((platform_system == 'Linux') or ((sys_platform == 'darwin') or (platform_system != "
     "'Windows'))) and (((platform_machine != 'arm64') and (python_version < '3.11')) and "
     "(python_full_version > '3.12.0'))",
     "python_version < '0'"),
    ("(python_full_version != '3.9.1') and ((python_version <= '3.12') and ((platform_machine "
     "!= 'arm64') or (os_name == 'nt')))",
     "(python_full_version > '3.9.1' and python_full_version < '3.13' and os_name == 'nt') or "
     "(python_full_version > '3.9.1' and python_full_version < '3.13' and platform_machine != "
     "'arm64') or (python_full_version < '3.9.1' and os_name == 'nt') or (python_full_version "
     "< '3.9.1' and platform_machine != 'arm64')"),
    ("(implementation_name == 'cpython') or ((os_name == 'posix') and ((sys_platform in 'linux "
     "darwin') or (os_name == 'nt')))",
     "implementation_name == 'cpython' or (os_name == 'posix' and sys_platform in 'linux darwin')"),
    ("(python_version == '3.10') or ((sys_platform != 'win32') or "
     "(platform_python_implementation == 'PyPy'))",
     "python_full_version == '3.10.*' or platform_python_implementation == 'PyPy' or "
     "sys_platform != 'win32'"),
    ("(platform_system == 'Linux') or (((python_version < '3.11') and (sys_platform in 'linux "
     "darwin')) or (('nux' in sys_platform) or (implementation_name == 'cpython')))",
     "(python_full_version < '3.11' and sys_platform in 'linux darwin') or implementation_name "
     "== 'cpython' or sys_platform == 'linux' or 'nux' in sys_platform"),
    ("(platform_system != 'Windows') and ((sys_platform == 'linux') and ((python_version > "
     "'3.8') or (implementation_name == 'cpython')))",
     "(python_full_version >= '3.9' and sys_platform == 'linux') or (implementation_name == "
     "'cpython' and sys_platform == 'linux')"),
    ("((platform_system == 'Linux') or ((platform_machine == 'x86_64') or (python_version <= "
     "'3.12'))) and (((os_name == 'posix') or (sys_platform == 'win32')) or "
     "((python_full_version != '3.9.1') and (python_full_version > '3.12.0')))",
     "(python_full_version > '3.12' and python_full_version < '3.13') or (python_full_version "
     "<= '3.12' and os_name == 'posix') or (python_full_version >= '3.13' and platform_machine "
     "== 'x86_64') or (python_full_version >= '3.13' and sys_platform == 'linux') or "
     "(python_full_version <= '3.12' and sys_platform == 'win32')"),
    ("((platform_system == 'FreeBSD') and (sys_platform != 'win32')) or (python_full_version > "
     "'3.12.0')",
     "python_full_version > '3.12' or (platform_system == 'FreeBSD' and sys_platform != 'win32')"),
    ("(python_version <= '3.12') or (sys_platform == 'darwin')",
     "python_full_version < '3.13' or sys_platform == 'darwin'"),
    ("(('nux' in sys_platform) and (platform_python_implementation == 'PyPy')) and "
     "(((platform_machine == 'x86_64') and ('nux' in sys_platform)) or (platform_machine != "
     "'arm64'))",
     "platform_machine != 'arm64' and platform_python_implementation == 'PyPy' and 'nux' in "
     'sys_platform'),
    ("(python_version < '3.11') and (sys_platform in 'linux darwin')",
     "python_full_version < '3.11' and sys_platform in 'linux darwin'"),
    ("(((platform_python_implementation == 'PyPy') or (sys_platform == 'linux')) or (os_name == "
     "'nt')) or (sys_platform == 'linux')",
     "os_name == 'nt' or platform_python_implementation == 'PyPy' or sys_platform == 'linux'"),
    ("(python_version <= '3.12') and ((os_name == 'java') or ((implementation_name == "
     "'cpython') and (sys_platform in 'linux darwin')))",
     "(python_full_version < '3.13' and implementation_name == 'cpython' and sys_platform in "
     "'linux darwin') or (python_full_version < '3.13' and os_name == 'java')"),
    ("((sys_platform != 'win32') or (platform_system == 'FreeBSD')) and ((python_version == "
     "'3.10') and (python_full_version != '3.9.1'))",
     "(python_full_version == '3.10.*' and platform_system == 'FreeBSD') or "
     "(python_full_version == '3.10.*' and sys_platform != 'win32')"),
    ("((python_full_version != '3.9.1') and (python_version >= '3.9')) and ('nux' in sys_platform)",
     "(python_full_version >= '3.9' and python_full_version < '3.9.1' and 'nux' in "
     "sys_platform) or (python_full_version > '3.9.1' and 'nux' in sys_platform)"),
    ("(sys_platform == 'linux') and ((python_version < '3.11') and ((os_name == 'nt') or "
     "(sys_platform == 'win32')))",
     "python_version < '0'"),
    ("(implementation_name == 'cpython') and (sys_platform == 'linux')",
     "implementation_name == 'cpython' and sys_platform == 'linux'"),
    ("(python_full_version != '3.9.1') and ('nux' in sys_platform)",
     "python_full_version != '3.9.1' and 'nux' in sys_platform"),
    ("(python_version <= '3.12') and ('nux' in sys_platform)",
     "python_full_version < '3.13' and 'nux' in sys_platform"),
    ("((sys_platform == 'darwin') and ((platform_system == 'Linux') and (python_version >= "
     "'3.9'))) and ((os_name == 'nt') and (sys_platform == 'win32'))",
     "python_version < '0'"),
    ("((platform_system == 'Linux') and ((sys_platform == 'win32') and "
     "(platform_python_implementation == 'PyPy'))) and (sys_platform == 'win32')",
     "python_version < '0'"),
    ("(platform_system == 'FreeBSD') and (((os_name == 'nt') and (sys_platform == 'linux')) and "
     "((sys_platform != 'win32') and (implementation_name == 'cpython')))",
     "python_version < '0'"),
    ("((python_version < '3.11') or (platform_machine == 'x86_64')) or (python_full_version > "
     "'3.12.0')",
     "python_full_version < '3.11' or python_full_version > '3.12' or platform_machine == "
     "'x86_64'"),
    ("((implementation_name == 'cpython') and (python_version > '3.8')) and "
     "((implementation_name == 'cpython') or ((python_full_version > '3.12.0') and "
     "(sys_platform != 'win32')))",
     "python_full_version >= '3.9' and implementation_name == 'cpython'"),
    ("(sys_platform == 'win32') and (python_version == '3.10')",
     "python_full_version == '3.10.*' and sys_platform == 'win32'"),
    ("(platform_machine != 'arm64') and (implementation_name == 'cpython')",
     "implementation_name == 'cpython' and platform_machine != 'arm64'"),
    ("(python_version < '3.11') and (sys_platform == 'darwin')",
     "python_full_version < '3.11' and sys_platform == 'darwin'"),
    ("(python_version <= '3.12') or (platform_machine == 'x86_64')",
     "python_full_version < '3.13' or platform_machine == 'x86_64'"),
    ("((sys_platform == 'win32') or (python_version > '3.8')) and (((python_version < '3.11') "
     "and (os_name == 'posix')) and (python_version >= '3.9'))",
     "python_full_version >= '3.9' and python_full_version < '3.11' and os_name == 'posix'"),
    ("(platform_machine == 'x86_64') and ((python_version > '3.8') and "
     "(platform_python_implementation == 'PyPy'))",
     "python_full_version >= '3.9' and platform_machine == 'x86_64' and "
     "platform_python_implementation == 'PyPy'"),
]


# 40 more, drawn after the rules above were settled: a check of them on unseen markers
# (`None`: uv wrote no marker, the marker is always true).
UV_RANDOM_UNSEEN: list[tuple[str, str | None]] = [
    ("((python_version > '3.8') and ((platform_system != 'Windows') or (platform_machine == "
     "'x86_64'))) and (((python_full_version > '3.12.0') or (python_version > '3.8')) or "
     "(platform_python_implementation == 'PyPy'))",
     "(python_full_version >= '3.9' and platform_machine == 'x86_64') or (python_full_version "
     ">= '3.9' and sys_platform != 'win32')"),
    ("(python_full_version != '3.9.1') or (((python_version < '3.11') or (platform_system != "
     "'Windows')) and ((platform_machine == 'x86_64') and (os_name == 'java')))",
     "python_full_version != '3.9.1' or (os_name == 'java' and platform_machine == 'x86_64')"),
    ("(sys_platform == 'win32') or (sys_platform == 'darwin')",
     "sys_platform == 'darwin' or sys_platform == 'win32'"),
    ("(((python_version >= '3.9') and (python_version >= '3.9')) and ((python_version >= '3.9') "
     "and (python_version >= '3.9'))) and (((python_version >= '3.9') and (python_version >= "
     "'3.9')) and ((python_version >= '3.9') and (python_version >= '3.9')))",
     "python_full_version >= '3.9'"),
    ("(platform_system == 'Linux') and ((sys_platform in 'linux darwin') or "
     "(python_full_version != '3.9.1'))",
     "(python_full_version != '3.9.1' and sys_platform == 'linux') or (sys_platform == 'linux' "
     "and sys_platform in 'linux darwin')"),
    ("((python_version == '3.10') or (python_version <= '3.12')) or (((os_name == 'java') or "
     "(platform_python_implementation == 'PyPy')) and ((platform_python_implementation == "
     "'PyPy') or (python_version == '3.10')))",
     "python_full_version < '3.13' or platform_python_implementation == 'PyPy'"),
    ("(sys_platform == 'darwin') and (implementation_name == 'cpython')",
     "implementation_name == 'cpython' and sys_platform == 'darwin'"),
    ("((sys_platform == 'darwin') or ((python_version < '3.11') and (python_full_version > "
     "'3.12.0'))) and (implementation_name == 'cpython')",
     "implementation_name == 'cpython' and sys_platform == 'darwin'"),
    ("(python_version < '3.11') and (implementation_name == 'cpython')",
     "python_full_version < '3.11' and implementation_name == 'cpython'"),
    ("(implementation_name == 'cpython') or (sys_platform in 'linux darwin')",
     "implementation_name == 'cpython' or sys_platform in 'linux darwin'"),
    ("(python_version >= '3.9') or ((implementation_name == 'cpython') and ((python_version < "
     "'3.11') or (implementation_name == 'cpython')))",
     "python_full_version >= '3.9' or implementation_name == 'cpython'"),
    ("(python_version == '3.10') or (((platform_system == 'Linux') and (implementation_name == "
     "'cpython')) and (sys_platform in 'linux darwin'))",
     "python_full_version == '3.10.*' or (implementation_name == 'cpython' and sys_platform == "
     "'linux' and sys_platform in 'linux darwin')"),
    ("(python_version == '3.10') or (python_full_version != '3.9.1')",
     "python_full_version != '3.9.1'"),
    ("(python_version < '3.11') or ((sys_platform != 'win32') or (sys_platform == 'darwin'))",
     "python_full_version < '3.11' or sys_platform != 'win32'"),
    ("(sys_platform in 'linux darwin') and (((sys_platform in 'linux darwin') and "
     "(platform_system == 'Linux')) and ((python_version >= '3.9') or (sys_platform == "
     "'linux')))",
     "sys_platform == 'linux' and sys_platform in 'linux darwin'"),
    ("(platform_machine != 'arm64') or ((platform_machine != 'arm64') or (platform_machine != "
     "'arm64'))",
     "platform_machine != 'arm64'"),
    ("(platform_machine != 'arm64') or (((platform_machine == 'x86_64') or (python_version >= "
     "'3.9')) or ((python_version >= '3.9') or (python_version > '3.8')))",
     "python_full_version >= '3.9' or platform_machine != 'arm64'"),
    ("(implementation_name == 'cpython') or (os_name == 'posix')",
     "implementation_name == 'cpython' or os_name == 'posix'"),
    ("((sys_platform == 'darwin') and (('nux' in sys_platform) and (sys_platform == 'win32'))) "
     "and ((platform_machine != 'arm64') or (sys_platform == 'linux'))",
     "python_version < '0'"),
    ("(((sys_platform == 'linux') or (python_version < '3.11')) and (platform_system == "
     "'FreeBSD')) or (python_version < '3.11')",
     "python_full_version < '3.11' or (platform_system == 'FreeBSD' and sys_platform == "
     "'linux')"),
    ("(python_version == '3.10') and (((os_name == 'java') or (os_name == 'java')) and "
     "(sys_platform == 'win32'))",
     "python_full_version == '3.10.*' and os_name == 'java' and sys_platform == 'win32'"),
    ("((python_version > '3.8') or ('nux' in sys_platform)) or (python_version < '3.11')",
     None),
    ("((platform_system == 'FreeBSD') or (sys_platform != 'win32')) or (((python_full_version "
     "!= '3.9.1') or (python_version == '3.10')) and ((platform_machine != 'arm64') and "
     "(python_version <= '3.12')))",
     "(python_full_version > '3.9.1' and python_full_version < '3.13' and platform_machine != "
     "'arm64') or (python_full_version < '3.9.1' and platform_machine != 'arm64') or "
     "platform_system == 'FreeBSD' or sys_platform != 'win32'"),
    ("(python_version < '3.11') and ((python_full_version > '3.12.0') and (platform_system == "
     "'FreeBSD'))",
     "python_version < '0'"),
    ("((python_version == '3.10') or (os_name == 'java')) and (python_version <= '3.12')",
     "python_full_version == '3.10.*' or (python_full_version >= '3.11' and "
     "python_full_version < '3.13' and os_name == 'java') or (python_full_version < '3.10' and "
     "os_name == 'java')"),
    ("(os_name == 'nt') and (python_version == '3.10')",
     "python_full_version == '3.10.*' and os_name == 'nt'"),
    ("(python_full_version != '3.9.1') or (platform_machine != 'arm64')",
     "python_full_version != '3.9.1' or platform_machine != 'arm64'"),
    ("(os_name == 'posix') and ((os_name == 'nt') and (platform_machine != 'arm64'))",
     "python_version < '0'"),
    ("(sys_platform == 'linux') or (os_name == 'posix')",
     "os_name == 'posix' or sys_platform == 'linux'"),
    ("(platform_system == 'Linux') and (sys_platform == 'linux')",
     "sys_platform == 'linux'"),
    ("((python_version >= '3.9') and ('nux' in sys_platform)) or ((sys_platform != 'win32') or "
     "((implementation_name == 'cpython') and (os_name == 'posix')))",
     "(python_full_version >= '3.9' and 'nux' in sys_platform) or (implementation_name == "
     "'cpython' and os_name == 'posix') or sys_platform != 'win32'"),
    ("(implementation_name == 'cpython') and (implementation_name == 'cpython')",
     "implementation_name == 'cpython'"),
    ("('nux' in sys_platform) and ((implementation_name == 'cpython') and ((platform_system != "
     "'Windows') or (python_version >= '3.9')))",
     "(python_full_version >= '3.9' and implementation_name == 'cpython' and 'nux' in "
     "sys_platform) or (implementation_name == 'cpython' and sys_platform != 'win32' and 'nux' "
     'in sys_platform)'),
    ("(sys_platform == 'linux') and (((python_full_version > '3.12.0') and (sys_platform in "
     "'linux darwin')) and ((os_name == 'nt') or (platform_machine != 'arm64')))",
     "(python_full_version > '3.12' and os_name == 'nt' and sys_platform == 'linux' and "
     "sys_platform in 'linux darwin') or (python_full_version > '3.12' and platform_machine != "
     "'arm64' and sys_platform == 'linux' and sys_platform in 'linux darwin')"),
    ("(python_version <= '3.12') or (((sys_platform == 'win32') or (os_name == 'java')) or "
     "((python_version >= '3.9') and (platform_system != 'Windows')))",
     None),
    ("(platform_machine != 'arm64') or (sys_platform in 'linux darwin')",
     "platform_machine != 'arm64' or sys_platform in 'linux darwin'"),
    ("(python_version >= '3.9') and ((platform_system != 'Windows') and ((sys_platform == "
     "'win32') and (python_version < '3.11')))",
     "python_version < '0'"),
    ("(platform_system == 'Linux') and (python_version < '3.11')",
     "python_full_version < '3.11' and sys_platform == 'linux'"),
    ("(sys_platform == 'darwin') or (((sys_platform == 'linux') or (python_version > '3.8')) "
     "and ((platform_system == 'Linux') or ('nux' in sys_platform)))",
     "(python_full_version >= '3.9' and 'nux' in sys_platform) or sys_platform == 'darwin' or "
     "sys_platform == 'linux'"),
    ("(((sys_platform == 'darwin') and (sys_platform in 'linux darwin')) and "
     "(platform_python_implementation == 'PyPy')) or (sys_platform != 'win32')",
     "sys_platform != 'win32'"),
]


# `resolution-markers` uv wrote for these projects (their forks): already canonical.
UV_RESOLUTION_MARKERS = [
    "(python_full_version < '3.11' and sys_platform == 'darwin') or "
    "(platform_machine == 'AMD64' and sys_platform == 'win32')",
    "python_full_version == '3.10.*' or python_full_version == '3.12.*'",
    "python_full_version < '3.9.2' or python_full_version == '3.11.*' or "
    "python_full_version >= '3.13'",
    "python_full_version >= '4' and sys_platform == 'linux'",
    "python_full_version >= '4' and sys_platform != 'linux'",
    "python_full_version > '3.11.4' and python_full_version < '4' and sys_platform == 'linux'",
    "python_full_version >= '3.10' and python_full_version <= '3.11.4' and "
    "sys_platform != 'linux'",
    "python_full_version > '3.9.1' and python_full_version < '3.10' and sys_platform == 'linux'",
    "python_full_version > '3.9' and python_full_version <= '3.9.1' and "
    "sys_platform != 'linux'",
    "python_full_version == '3.9' and sys_platform == 'linux'",
    "python_full_version < '3.9'",
]


@pytest.mark.parametrize(("written", "rendered"), UV_RENDERING)
def test_renders_as_uv_writes_lock_markers(written: str, rendered: str) -> None:
    assert MarkerTree(written).contents() == rendered
    assert MarkerTree(rendered) == MarkerTree(written)


def test_renders_a_version_hole_across_platforms_as_uv() -> None:
    # the reading of a diagram that tests the version before the platform
    marker = MarkerTree(
        "((python_full_version != '3.9.1') or (sys_platform == 'win32')) and "
        "(python_version > '3.8')")
    assert marker.contents() == (
        "python_full_version > '3.9.1' or "
        "(python_full_version >= '3.9' and python_full_version < '3.9.1') or "
        "(python_full_version == '3.9.1' and sys_platform == 'win32')")


@pytest.mark.parametrize(("written", "rendered"), UV_RANDOM + UV_RANDOM_UNSEEN)
def test_renders_random_markers_as_uv(written: str, rendered: str | None) -> None:
    assert MarkerTree(written).contents() == rendered


@pytest.mark.parametrize(("written", "rendered"), UV_REQUIRES_DIST)
def test_renders_requires_dist_and_environments_as_uv(written: str, rendered: str) -> None:
    assert MarkerTree(written).contents() == rendered


def test_renders_a_difference_as_uv_hints_it() -> None:
    # uv's hint for overlapping `environments`: replace the second with `second and not first`
    first = MarkerTree(
        "sys_platform == 'darwin' or platform_system == 'Windows' and platform_machine == 'AMD64'")
    second = MarkerTree("python_version < '3.10' and implementation_name == 'cpython'")
    assert str(second) == "python_full_version < '3.10' and implementation_name == 'cpython'"
    assert str(second & ~first) == (
        "(python_full_version < '3.10' and implementation_name == 'cpython' and "
        "platform_machine != 'AMD64' and sys_platform == 'win32') or "
        "(python_full_version < '3.10' and implementation_name == 'cpython' and "
        "sys_platform != 'darwin' and sys_platform != 'win32')")


@pytest.mark.parametrize("rendered", UV_RESOLUTION_MARKERS)
def test_uv_resolution_markers_are_fixed_points(rendered: str) -> None:
    assert MarkerTree(rendered).contents() == rendered


def test_equality_ignores_clause_order_and_spelling() -> None:
    a = MarkerTree("sys_platform == 'linux' and python_version >= '3.9'")
    b = MarkerTree("python_full_version >= '3.9' and 'linux' == sys_platform")
    assert a == b
    assert hash(a) == hash(b)
    assert MarkerTree("python_version > '3.9'") == MarkerTree("python_full_version >= '3.10'")


def test_constants() -> None:
    assert TRUE.is_true() and not TRUE.is_false()
    assert FALSE.is_false() and not FALSE.is_true()
    assert TRUE.contents() is None
    assert str(TRUE) == "true"
    assert FALSE.contents() == "python_version < '0'"
    assert MarkerTree("python_version < '0'") == FALSE
    assert MarkerTree() == TRUE


def test_complement_and_contradiction() -> None:
    linux = MarkerTree("sys_platform == 'linux'")
    assert (linux & ~linux).is_false()
    assert (linux | ~linux).is_true()
    assert str(~linux) == "sys_platform != 'linux'"
    assert str(~MarkerTree("python_version >= '3.9' and sys_platform == 'linux'")) == (
        "python_full_version < '3.9' or sys_platform != 'linux'")


def test_disjoint_and_implies() -> None:
    old = MarkerTree("python_version < '3.10'")
    new = MarkerTree("python_version >= '3.10'")
    assert old.is_disjoint(new)
    assert MarkerTree("python_version < '3.9'").implies(old)
    assert not old.implies(MarkerTree("python_version < '3.9'"))
    assert not MarkerTree("sys_platform == 'linux'").is_disjoint(old)


def test_python_version_compares_on_major_minor() -> None:
    assert MarkerTree("python_version <= '3.9'") == MarkerTree("python_full_version < '3.10'")
    assert MarkerTree("python_version == '3.9.1'") == FALSE
    assert MarkerTree("python_version != '3.9.1'") == TRUE
    assert MarkerTree("python_version > '3.9.1'") == MarkerTree("python_version >= '3.10'")
    assert MarkerTree("python_version == '3'") == MarkerTree("python_full_version == '3.0.*'")


def test_string_orderings_follow_pep_508() -> None:
    assert MarkerTree("sys_platform < 'linux'") == FALSE
    assert MarkerTree("sys_platform >= 'linux'") == MarkerTree("sys_platform == 'linux'")


def test_extras_are_independent_variables() -> None:
    both = MarkerTree("extra == 'a' and extra == 'b'")
    assert not both.is_false()
    assert str(both) == "extra == 'a' and extra == 'b'"
    assert MarkerTree("extra == 'A_b'") == MarkerTree("extra == 'a-b'")


def test_uv_platform_knowledge() -> None:
    assert MarkerTree("platform_system == 'Darwin'") == MarkerTree("sys_platform == 'darwin'")
    assert MarkerTree("os_name == 'nt' and sys_platform == 'linux'").is_false()
    assert MarkerTree("os_name == 'posix'").is_disjoint(MarkerTree("sys_platform == 'win32'"))
    assert MarkerTree("platform_system == 'FreeBSD' and sys_platform == 'darwin'").is_false()
    assert not MarkerTree("platform_system == 'iOS' and sys_platform == 'ios'").is_false()


def test_or_absorbs_negated_terms() -> None:
    marker = MarkerTree("sys_platform == 'linux' or python_version >= '3.11'")
    assert str(marker) == "python_full_version >= '3.11' or sys_platform == 'linux'"


def test_opaque_comparisons_are_kept_and_negated() -> None:
    release = MarkerTree("platform_release >= '5.0'")
    assert str(release) == "platform_release >= '5.0'"
    assert str(~release) == "platform_release < '5.0'"
    assert (release & ~release).is_false()


def test_simplify_python_drops_what_requires_python_says() -> None:
    # uv 0.13.8 wrote no marker for `python_version >= '3.8'` under `requires-python >= 3.8`
    # and `python_full_version < '3.10' or sys_platform == 'win32'` kept as is.
    at_least_38 = Ranges.from_specifiers(">=3.8")
    assert MarkerTree("python_version >= '3.8'").simplify_python(at_least_38) == TRUE
    assert str(MarkerTree("python_version >= '3.9' and sys_platform == 'linux'")
               .simplify_python(Ranges.from_specifiers(">=3.9"))) == "sys_platform == 'linux'"
    assert str(MarkerTree("python_version <= '3.9' or sys_platform == 'win32'")
               .simplify_python(at_least_38)) == (
        "python_full_version < '3.10' or sys_platform == 'win32'")
    # uv's own unit tests of `simplify_python_versions`.
    assert MarkerTree("(python_version <= '3.11' and sys_platform == 'win32') or "
                      "python_version > '3.11'").simplify_python(
        Ranges.from_specifiers(">3.12")) == TRUE
    assert str(MarkerTree("python_version < '3.10'").simplify_python(
        Ranges.from_specifiers(">3.7"))) == "python_full_version < '3.10'"


def test_complexify_python_restricts_to_requires_python() -> None:
    requires = Ranges.from_specifiers(">=3.9")
    assert TRUE.complexify_python(requires) == MarkerTree("python_full_version >= '3.9'")
    assert MarkerTree("python_version < '3.9'").complexify_python(requires).is_false()


def test_extras_assumed_active_or_not() -> None:
    marker = MarkerTree("sys_platform == 'linux' and extra == 'dev' or extra == 'docs'")
    assert str(marker.simplify_extras(["dev"])) == "sys_platform == 'linux' or extra == 'docs'"
    assert str(marker.simplify_not_extras(["docs"])) == (
        "sys_platform == 'linux' and extra == 'dev'")
    assert marker.simplify_extras(["Docs"]) == TRUE


def test_without_extras_as_uv_writes_project_dependencies() -> None:
    # uv 0.13.8, `requires-python >= 3.8`, a project's own dependencies
    assert str(MarkerTree("python_version >= '3.9' and extra != 'x' or sys_platform == 'linux'")
               .without_extras().simplify_python(Ranges.from_specifiers(">=3.8"))) == (
        "python_full_version >= '3.9' or sys_platform == 'linux'")
    assert MarkerTree("sys_platform not in 'linux darwin' or extra != 'x'").without_extras() == (
        TRUE)
    assert str(MarkerTree("sys_platform == 'linux' and extra == 'x'").only_extras()) == (
        "extra == 'x'")


# -- properties ------------------------------------------------------------------------------

ATOMS = [
    "python_version >= '3.9'", "python_version < '3.11'", "python_version == '3.10'",
    "python_full_version != '3.9.1'", "python_full_version > '3.12.0'",
    "python_version > '3.8'", "python_version <= '3.12'",
    "sys_platform == 'linux'", "sys_platform == 'darwin'", "sys_platform != 'win32'",
    "platform_machine == 'x86_64'", "platform_machine != 'arm64'",
    "implementation_name == 'cpython'", "platform_python_implementation == 'PyPy'",
    "os_name == 'java'", "'nux' in sys_platform", "sys_platform in 'linux darwin'",
    "extra == 'a'", "extra != 'b'", "platform_release >= '5.0'",
]


@st.composite
def markers(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(ATOMS))
    left = draw(markers(depth - 1))
    right = draw(markers(depth - 1))
    return f"({left}) {draw(st.sampled_from(['and', 'or']))} ({right})"


PLATFORMS = [("linux", "Linux", "posix"), ("darwin", "Darwin", "posix"),
             ("win32", "Windows", "nt"), ("freebsd14", "FreeBSD", "posix"),
             ("cygwin", "CYGWIN_NT-10.0", "posix")]
PYTHONS = ["3.7.9", "3.8.0", "3.9.0", "3.9.1", "3.9.2", "3.10.4", "3.11.0", "3.12.0",
           "3.12.1", "3.13.2", "4.0.0"]


@st.composite
def environments(draw: st.DrawFn) -> dict[str, str]:
    sys_platform, platform_system, os_name = draw(st.sampled_from(PLATFORMS))
    python = draw(st.sampled_from(PYTHONS))
    implementation = draw(st.sampled_from(["cpython", "pypy"]))
    return {
        "sys_platform": sys_platform, "platform_system": platform_system, "os_name": os_name,
        "python_full_version": python, "python_version": ".".join(python.split(".")[:2]),
        "implementation_version": python, "implementation_name": implementation,
        "platform_python_implementation": "CPython" if implementation == "cpython" else "PyPy",
        "platform_machine": draw(st.sampled_from(["x86_64", "arm64", "aarch64"])),
        "platform_release": draw(st.sampled_from(["4.19", "5.0", "6.1.0"])),
        "platform_version": "#1 SMP", "extra": draw(st.sampled_from(["", "a", "b"])),
    }


@given(markers(), markers())
def test_de_morgan(a: str, b: str) -> None:
    x, y = MarkerTree(a), MarkerTree(b)
    assert ~(x & y) == ~x | ~y
    assert ~(x | y) == ~x & ~y


@given(markers(), markers())
def test_idempotence_and_absorption(a: str, b: str) -> None:
    x, y = MarkerTree(a), MarkerTree(b)
    assert x & x == x
    assert x | x == x
    assert x & (x | y) == x
    assert x | (x & y) == x


@given(markers())
def test_excluded_middle(a: str) -> None:
    x = MarkerTree(a)
    assert (x & ~x).is_false()
    assert (x | ~x).is_true()
    assert ~~x == x


@given(markers(), markers())
def test_implies_iff_difference_is_empty(a: str, b: str) -> None:
    x, y = MarkerTree(a), MarkerTree(b)
    assert x.implies(y) == (x & ~y).is_false()
    assert x.is_disjoint(y) == (x & y).is_false()


@given(markers(), markers())
def test_normal_form_is_stable_under_reordering(a: str, b: str) -> None:
    assert MarkerTree(f"({a}) and ({b})") == MarkerTree(f"({b}) and ({a})")
    assert MarkerTree(f"({a}) or ({b})") == MarkerTree(f"({b}) or ({a})")


@settings(max_examples=300)
@given(markers(), environments())
def test_evaluation_agrees_with_packaging(a: str, environment: dict[str, str]) -> None:
    expected = Marker(a).evaluate(environment)
    assert MarkerTree(a).evaluate(environment) == expected


@settings(max_examples=300)
@given(markers(), environments())
def test_rendering_round_trips(a: str, environment: dict[str, str]) -> None:
    marker = MarkerTree(a)
    text = marker.contents()
    again = TRUE if text is None else MarkerTree(text)
    assert again == marker
    assert again.evaluate(environment) == Marker(a).evaluate(environment)


REQUIRES_PYTHON = [">=3.8", ">=3.9", ">=3.10,<4", ">3.9.1", ">=3.11,<3.13"]


@given(markers(), st.sampled_from(REQUIRES_PYTHON))
def test_simplify_python_loses_nothing_inside_requires_python(a: str, specifiers: str) -> None:
    requires = Ranges.from_specifiers(specifiers)
    marker = MarkerTree(a)
    simplified = marker.simplify_python(requires)
    assert simplified.complexify_python(requires) == marker.complexify_python(requires)


PLATFORM_ATOMS = [*ATOMS, "os_name == 'nt'", "os_name == 'posix'", "platform_system == 'Linux'",
                  "platform_system == 'FreeBSD'", "platform_system != 'Windows'",
                  "sys_platform == 'win32'"]


@st.composite
def platform_markers(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(PLATFORM_ATOMS))
    left = draw(platform_markers(depth - 1))
    right = draw(platform_markers(depth - 1))
    return f"({left}) {draw(st.sampled_from(['and', 'or']))} ({right})"


@settings(max_examples=300)
@given(platform_markers(), platform_markers(), environments())
def test_platform_knowledge_agrees_with_real_environments(
        a: str, b: str, environment: dict[str, str]) -> None:
    # uv's rewrites and impossible combinations never change the answer for a real platform.
    x, y = MarkerTree(a), MarkerTree(b)
    expected_a, expected_b = Marker(a).evaluate(environment), Marker(b).evaluate(environment)
    assert x.evaluate(environment) == expected_a
    assert (x & y).evaluate(environment) == (expected_a and expected_b)
    assert (x | ~y).evaluate(environment) == (expected_a or not expected_b)
    # The text means the same (the diagrams may differ in impossible corners, as uv's do).
    text = (x & y).contents()
    again = TRUE if text is None else MarkerTree(text)
    assert again.evaluate(environment) == (expected_a and expected_b)


@given(markers(), environments())
def test_without_extras_holds_wherever_some_extra_makes_it_hold(
        a: str, environment: dict[str, str]) -> None:
    marker = MarkerTree(a)
    some = any(marker.evaluate({**environment, "extra": extra}) for extra in ("", "a", "b"))
    assert marker.without_extras().evaluate(environment) == some
