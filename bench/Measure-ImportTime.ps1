<#
.SYNOPSIS
    Import-Module time of the built module in fresh PowerShell processes (issue 8 target: at most 150 ms over a bare start).

.DESCRIPTION
    Starts the current PowerShell (dotnet <$PSHOME/pwsh.dll> under the local .NET tool, or pwsh) -Runs times each way,
    interleaved: bare (`exit 0`) and with `Import-Module <manifest>`, and reports the wall-clock medians and their
    difference, plus the median of Measure-Command { Import-Module } inside the child. Nothing touches the network.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-ImportTime.ps1 -Runs 15
#>
[CmdletBinding()]
param(
    [string]$ModulePath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'output/CognitoDevice'),
    [ValidateRange(3, 100)]
    [int]$Runs = 11
)

$ErrorActionPreference = 'Stop'
$process = (Get-Process -Id $PID).Path
$prefix = @()
if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
$env:AWS_EC2_METADATA_DISABLED = 'true'
$modulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath

function Invoke-Child([string]$Command) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $process @prefix -NoProfile -NonInteractive -Command $Command
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "child failed ($LASTEXITCODE): $output" }
    [pscustomobject]@{ WallMs = $watch.Elapsed.TotalMilliseconds; Output = $output }
}

function Get-Median([double[]]$Values) {
    $sorted = $Values | Sort-Object
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

$importCommand = "Import-Module '$modulePath'; exit 0"
$measureCommand = "`$t = Measure-Command { Import-Module '$modulePath' }; if (@(Get-Command -Module CognitoDevice).Count -ne 3) { exit 3 }; `$t.TotalMilliseconds; exit 0"
$null = Invoke-Child 'exit 0' # warm the file cache once
$null = Invoke-Child $measureCommand
$bare = [System.Collections.Generic.List[double]]::new()
$imported = [System.Collections.Generic.List[double]]::new()
$inside = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Invoke-Child 'exit 0').WallMs)
    $imported.Add((Invoke-Child $importCommand).WallMs)
    $inside.Add([double]((Invoke-Child $measureCommand).Output | Select-Object -Last 1))
}
$b = Get-Median $bare
$m = Get-Median $imported
[pscustomobject]@{
    Module                = $modulePath
    Runs                  = $Runs
    BareStartMedianMs     = [Math]::Round($b, 1)
    WithImportMedianMs    = [Math]::Round($m, 1)
    ImportOverBareMs      = [Math]::Round($m - $b, 1)
    MeasureCommandImportMs = [Math]::Round((Get-Median $inside), 1)
}
