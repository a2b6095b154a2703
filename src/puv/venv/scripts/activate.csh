# Activation script for a puv virtual environment (csh, tcsh).
#
# Source it into the running shell, do not execute it:
#     source __VIRTUAL_ENV__/__BIN_NAME__/activate.csh
# Run `deactivate` to leave the environment again.
#
# csh has no functions, so `deactivate` is an alias. It puts PATH, PYTHONHOME
# and the prompt back, drops the VIRTUAL_ENV* variables and, unless called as
# `deactivate nondestructive`, removes itself.

# `csh activate.csh` would only change a child shell that exits right away. A
# shell running this file as its script has $0 set to the file's path; when
# the file is sourced, $0 is unset or names the calling script.
if ( $?0 ) then
    if ( "$0:t" == "activate.csh" ) then
        echo 'You must source this script: $ source '"$0:q" >& /dev/stderr
        exit 1
    endif
endif

alias deactivate 'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH:q" && unset _OLD_VIRTUAL_PATH; test $?_OLD_VIRTUAL_PYTHONHOME != 0 && setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q" && unset _OLD_VIRTUAL_PYTHONHOME; test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt="$_OLD_VIRTUAL_PROMPT:q" && unset _OLD_VIRTUAL_PROMPT; rehash; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; test "\!:*" != "nondestructive" && unalias deactivate'

# Clear out a previously active environment, keeping the alias just defined.
deactivate nondestructive

setenv VIRTUAL_ENV '__VIRTUAL_ENV__'

set _puv_prompt = '__VIRTUAL_PROMPT__'
if ( "$_puv_prompt" == "" ) then
    set _puv_prompt = "$VIRTUAL_ENV:t"
endif
setenv VIRTUAL_ENV_PROMPT "$_puv_prompt"
unset _puv_prompt

set _OLD_VIRTUAL_PATH = "$PATH:q"
setenv PATH "${VIRTUAL_ENV}/__BIN_NAME__:$PATH:q"

# A PYTHONHOME inherited from the outside would point the interpreter at a
# different standard library; keep it aside until deactivation.
if ( $?PYTHONHOME ) then
    set _OLD_VIRTUAL_PYTHONHOME = "$PYTHONHOME:q"
    unsetenv PYTHONHOME
endif

# Only interactive shells have a prompt to decorate.
if ( $?prompt ) then
    if ( ! $?VIRTUAL_ENV_DISABLE_PROMPT ) then
        set _puv_disable_prompt = ""
    else
        set _puv_disable_prompt = "$VIRTUAL_ENV_DISABLE_PROMPT:q"
    endif
    if ( "$_puv_disable_prompt" == "" ) then
        set _OLD_VIRTUAL_PROMPT = "$prompt:q"
        set prompt = "(${VIRTUAL_ENV_PROMPT:q}) $prompt:q"
    endif
    unset _puv_disable_prompt
endif

rehash
