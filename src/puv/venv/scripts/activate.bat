@REM Activation script for a puv virtual environment (cmd.exe).
@REM
@REM Run it in the current console window:   __VIRTUAL_ENV__\__BIN_NAME__\activate.bat
@REM Leave the environment again with:       deactivate
@REM
@REM Every line is a single command (no parenthesised blocks): cmd.exe expands
@REM %VARIABLES% in a block once, before running it, and a PATH that contains
@REM a ")" (such as "C:\Program Files (x86)") would end a block early.

@REM A previous activation (of this or another environment) left its saved
@REM state behind: go back to it first, so that nothing is saved twice.
@if defined _OLD_VIRTUAL_PROMPT set "PROMPT=%_OLD_VIRTUAL_PROMPT%"
@set "_OLD_VIRTUAL_PROMPT="
@if defined _OLD_VIRTUAL_PATH set "PATH=%_OLD_VIRTUAL_PATH%"
@set "_OLD_VIRTUAL_PATH="
@if defined _OLD_VIRTUAL_PYTHONHOME set "PYTHONHOME=%_OLD_VIRTUAL_PYTHONHOME%"
@set "_OLD_VIRTUAL_PYTHONHOME="

@set "VIRTUAL_ENV=__VIRTUAL_ENV__"

@REM An empty prompt setting means: use the name of the environment directory.
@set "VIRTUAL_ENV_PROMPT=__VIRTUAL_PROMPT__"
@if not defined VIRTUAL_ENV_PROMPT for %%d in ("%VIRTUAL_ENV%") do @set "VIRTUAL_ENV_PROMPT=%%~nxd"

@set "_OLD_VIRTUAL_PATH=%PATH%"
@set "PATH=%VIRTUAL_ENV%\__BIN_NAME__;%PATH%"

@REM A PYTHONHOME inherited from the outside would point the interpreter at a
@REM different standard library; keep it aside until deactivation.
@if defined PYTHONHOME set "_OLD_VIRTUAL_PYTHONHOME=%PYTHONHOME%"
@set "PYTHONHOME="

@REM cmd.exe shows $P$G when PROMPT is not set.
@if not defined PROMPT set "PROMPT=$P$G"
@if not defined VIRTUAL_ENV_DISABLE_PROMPT set "_OLD_VIRTUAL_PROMPT=%PROMPT%"
@if not defined VIRTUAL_ENV_DISABLE_PROMPT set "PROMPT=(%VIRTUAL_ENV_PROMPT%) %PROMPT%"
