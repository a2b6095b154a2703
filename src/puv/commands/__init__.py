"""Commands: orchestration of the layers below, one module per command group.

A command takes typed values (never argv), a `Settings` and a `Console`, and returns an exit
status; user errors are raised as `PuvError`.
"""
