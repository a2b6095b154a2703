"""Project commands: `lock`, `sync`, `add`, `remove`, `run`.

Orchestration only (see ../shared/DESIGN.md): discover the workspace (`puv.workspace.project`),
lock it if the lock is stale (`lock.py`), choose the project environment (`environment.py`),
install what the lock selects for it (`sync.py`), then run (`run.py`) or edit `pyproject.toml`
(`add.py`, `remove.py`).
"""
