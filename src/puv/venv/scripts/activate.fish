# Activation script for a puv virtual environment (fish).
#
# Source it into the running shell, do not execute it:
#     source __VIRTUAL_ENV__/__BIN_NAME__/activate.fish
# Run `deactivate` to leave the environment again.

# `fish activate.fish` would only change a child shell that exits right away.
# A sourced file runs inside a block and shows up in the call stack; the main
# script of a fish process does neither.
if not status is-block; and not status stack-trace | string match -q -r .
    echo "You must source this script: \$ source "(status current-filename) >&2
    exit 1
end

# Undo an activation: restore PATH, PYTHONHOME and the prompt, drop the
# VIRTUAL_ENV* variables. `deactivate nondestructive` keeps the function; the
# activation below uses it to clear out a previously active environment.
function deactivate --description 'Leave the puv virtual environment'
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        if functions -q _puv_old_fish_prompt
            functions -e fish_prompt
            functions -c _puv_old_fish_prompt fish_prompt
            functions -e _puv_old_fish_prompt
        end
        functions -e _puv_return_status
    end

    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

deactivate nondestructive

set -gx VIRTUAL_ENV '__VIRTUAL_ENV__'

set -gx VIRTUAL_ENV_PROMPT '__VIRTUAL_PROMPT__'
if test -z "$VIRTUAL_ENV_PROMPT"
    set -gx VIRTUAL_ENV_PROMPT (string replace -r -- '.*/' '' $VIRTUAL_ENV)
end

set -g _OLD_VIRTUAL_PATH $PATH
set -gx PATH "$VIRTUAL_ENV/__BIN_NAME__" $PATH

# A PYTHONHOME inherited from the outside would point the interpreter at a
# different standard library; keep it aside until deactivation.
if set -q PYTHONHOME
    set -g _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    # Give the previous prompt back the exit status of the last command.
    function _puv_return_status
        return $argv[1]
    end

    if functions -q fish_prompt
        functions -c fish_prompt _puv_old_fish_prompt
    else
        function _puv_old_fish_prompt
            printf '%s> ' (prompt_pwd)
        end
    end

    function fish_prompt --description 'Prompt prefixed with the active puv environment'
        set -l last_status $status
        printf '(%s) ' $VIRTUAL_ENV_PROMPT
        _puv_return_status $last_status
        _puv_old_fish_prompt
    end

    set -g _OLD_FISH_PROMPT_OVERRIDE "$VIRTUAL_ENV"
end
