"""The pip-compatible commands: `puv pip sync`, `uninstall`, `freeze`, `list`, `show`,
`tree`, `check`."""
