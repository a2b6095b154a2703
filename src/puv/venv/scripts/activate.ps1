<#
.SYNOPSIS
Activate the puv virtual environment in the current PowerShell session.

.DESCRIPTION
Puts the environment's __BIN_NAME__ directory first on PATH, sets VIRTUAL_ENV
and VIRTUAL_ENV_PROMPT, clears PYTHONHOME and prefixes the prompt with the
environment's name (unless VIRTUAL_ENV_DISABLE_PROMPT is set).
Run `deactivate` to undo all of it.

Environment variables belong to the process, and every function this script
defines is created in the global scope, so it works both dot-sourced
(`. activate.ps1`) and run directly (`activate.ps1`).

.EXAMPLE
PS> . __VIRTUAL_ENV__/__BIN_NAME__/activate.ps1
#>

function global:deactivate {
    param(
        # Keep this function: used when re-activating to clear out the
        # previously active environment.
        [switch] $NonDestructive
    )

    $oldPath = Get-Variable -Name _OLD_VIRTUAL_PATH -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $oldPath) {
        $env:PATH = $oldPath.Value
        Remove-Variable -Name _OLD_VIRTUAL_PATH -Scope Global
    }

    $oldHome = Get-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $oldHome) {
        $env:PYTHONHOME = $oldHome.Value
        Remove-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope Global
    }

    $oldPrompt = Get-Variable -Name _OLD_VIRTUAL_PROMPT -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $oldPrompt) {
        Set-Item -Path Function:global:prompt -Value $oldPrompt.Value
        Remove-Variable -Name _OLD_VIRTUAL_PROMPT -Scope Global
    }

    if (Test-Path -LiteralPath Env:VIRTUAL_ENV) {
        Remove-Item -LiteralPath Env:VIRTUAL_ENV
    }
    if (Test-Path -LiteralPath Env:VIRTUAL_ENV_PROMPT) {
        Remove-Item -LiteralPath Env:VIRTUAL_ENV_PROMPT
    }

    if (-not $NonDestructive) {
        Remove-Item -Path Function:global:deactivate -ErrorAction SilentlyContinue
    }
}

# Clear out a previously active environment (this one or another one).
deactivate -NonDestructive

$_puvVenvDir = '__VIRTUAL_ENV__'
$_puvVenvPrompt = '__VIRTUAL_PROMPT__'
if ([string]::IsNullOrEmpty($_puvVenvPrompt)) {
    $_puvVenvPrompt = Split-Path -Leaf $_puvVenvDir
}

$env:VIRTUAL_ENV = $_puvVenvDir
$env:VIRTUAL_ENV_PROMPT = $_puvVenvPrompt

$global:_OLD_VIRTUAL_PATH = $env:PATH
$_puvVenvBin = Join-Path -Path $_puvVenvDir -ChildPath '__BIN_NAME__'
if ([string]::IsNullOrEmpty($env:PATH)) {
    $env:PATH = $_puvVenvBin
} else {
    $env:PATH = $_puvVenvBin + '__PATH_SEP__' + $env:PATH
}

# A PYTHONHOME inherited from the outside would point the interpreter at a
# different standard library; keep it aside until deactivation.
if (Test-Path -LiteralPath Env:PYTHONHOME) {
    $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -LiteralPath Env:PYTHONHOME
}

if ([string]::IsNullOrEmpty($env:VIRTUAL_ENV_DISABLE_PROMPT)) {
    $_puvCurrentPrompt = Get-Item -Path Function:prompt -ErrorAction SilentlyContinue
    if ($null -ne $_puvCurrentPrompt) {
        $global:_OLD_VIRTUAL_PROMPT = $_puvCurrentPrompt.ScriptBlock
    } else {
        $global:_OLD_VIRTUAL_PROMPT = { "PS $($executionContext.SessionState.Path.CurrentLocation)> " }
    }

    Set-Item -Path Function:global:prompt -Value {
        # The prefix is written to the host first so that prompts which draw
        # themselves with Write-Host still show it at the start of the line.
        Write-Host -NoNewline -ForegroundColor Green "($env:VIRTUAL_ENV_PROMPT) "
        & $global:_OLD_VIRTUAL_PROMPT
    }
}

Remove-Variable -Name _puvVenvDir, _puvVenvPrompt, _puvVenvBin, _puvCurrentPrompt -ErrorAction SilentlyContinue
