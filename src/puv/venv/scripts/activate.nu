# Activation module for a puv virtual environment (Nushell).
#
#     overlay use __VIRTUAL_ENV__/__BIN_NAME__/activate.nu     # enter the environment
#     deactivate                                               # leave it again
#
# The file is a module: `overlay use` runs the `export-env` block below in a
# new overlay named after the file ("activate"), and `deactivate` is an alias
# for `overlay hide activate`. Hiding the overlay throws away every environment
# change made here (PATH, VIRTUAL_ENV, VIRTUAL_ENV_PROMPT, PYTHONHOME and the
# prompt), which restores the previous state exactly. When the overlay is used
# under another name (`overlay use activate.nu as foo`), leave with
# `overlay hide foo` instead.

export-env {
    let venv_dir = '__VIRTUAL_ENV__'
    let bin_dir = ([$venv_dir '__BIN_NAME__'] | path join)

    let configured_prompt = '__VIRTUAL_PROMPT__'
    let venv_prompt = if ($configured_prompt | is-empty) {
        $venv_dir | path basename
    } else {
        $configured_prompt
    }

    # The search path is `Path` on Windows and `PATH` elsewhere; keep whatever
    # spelling the session already uses.
    let path_names = ($env | columns | where ($it | str downcase) == 'path')
    let path_name = if ($path_names | is-empty) { 'PATH' } else { $path_names | first }
    let old_path = if ($path_names | is-empty) { [] } else { $env | get $path_name }
    let path_is_string = (($old_path | describe) == 'string')
    let old_entries = if $path_is_string {
        $old_path | split row '__PATH_SEP__' | where $it != ''
    } else {
        $old_path
    }

    # Another environment activated in the same overlay stack: drop its
    # directory so only the new one is on the search path.
    let previous_venv = ($env.VIRTUAL_ENV? | default '')
    let kept_entries = if ($previous_venv | is-empty) {
        $old_entries
    } else {
        let previous_bin = ([$previous_venv '__BIN_NAME__'] | path join)
        $old_entries | where $it != $previous_bin
    }
    let new_entries = ($kept_entries | prepend $bin_dir)
    let new_path = if $path_is_string {
        $new_entries | str join '__PATH_SEP__'
    } else {
        $new_entries
    }

    let prompt_disabled = not ($env.VIRTUAL_ENV_DISABLE_PROMPT? | default '' | into string | is-empty)
    let prompt_env = if $prompt_disabled {
        {}
    } else {
        let previous_prompt = $env.PROMPT_COMMAND?
        let prefix = ('(' + $venv_prompt + ') ')
        {
            PROMPT_COMMAND: {||
                let rest = if ($previous_prompt | describe) == 'closure' {
                    do $previous_prompt
                } else if $previous_prompt == null {
                    $env.PWD
                } else {
                    $previous_prompt
                }
                $prefix + ($rest | into string)
            }
        }
    }

    # A PYTHONHOME inherited from the outside would point the interpreter at a
    # different standard library; hide it while the overlay is active.
    if 'PYTHONHOME' in $env {
        hide-env PYTHONHOME
    }

    load-env ({
        VIRTUAL_ENV: $venv_dir
        VIRTUAL_ENV_PROMPT: $venv_prompt
    } | insert $path_name $new_path | merge $prompt_env)
}

export alias deactivate = overlay hide activate
