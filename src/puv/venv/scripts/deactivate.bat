@REM Leave the puv virtual environment activated by activate.bat (cmd.exe):
@REM put PROMPT, PATH and PYTHONHOME back and drop the VIRTUAL_ENV variables.
@REM Single-line commands only; see activate.bat for why.

@if defined _OLD_VIRTUAL_PROMPT set "PROMPT=%_OLD_VIRTUAL_PROMPT%"
@set "_OLD_VIRTUAL_PROMPT="

@if defined _OLD_VIRTUAL_PATH set "PATH=%_OLD_VIRTUAL_PATH%"
@set "_OLD_VIRTUAL_PATH="

@if defined _OLD_VIRTUAL_PYTHONHOME set "PYTHONHOME=%_OLD_VIRTUAL_PYTHONHOME%"
@set "_OLD_VIRTUAL_PYTHONHOME="

@set "VIRTUAL_ENV="
@set "VIRTUAL_ENV_PROMPT="
