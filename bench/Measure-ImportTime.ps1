<#
.SYNOPSIS
    Import-Module time of the built module in fresh PowerShell processes (issue 8 target: at most 150 ms over a bare start).

.DESCRIPTION
    Starts the current PowerShell (dotnet <$PSHOME/pwsh.dll> under the local .NET tool, or pwsh) -Runs times each way,
    interleaved so that machine load hits every variant alike: bare (`exit 0`), and for each module folder given,
    `Import-Module <folder>` (wall clock of the whole process) and Measure-Command { Import-Module <folder> } inside the
    child. Reports medians; ImportOverBareMs is the issue-8 figure. Nothing touches the network.

.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-ImportTime.ps1 -Runs 15

.EXAMPLE
    # before/after: an older layout copied aside, and the current build
    dotnet pwsh -NoProfile -File bench/Measure-ImportTime.ps1 -ModulePath /tmp/old/CognitoDevice, ./output/CognitoDevice
#>
[CmdletBinding()]
param(
    [string[]]$ModulePath = @(Join-Path (Split-Path -Parent $PSScriptRoot) 'output/CognitoDevice'),
    [ValidateRange(3, 100)]
    [int]$Runs = 11
)

$ErrorActionPreference = 'Stop'
$process = (Get-Process -Id $PID).Path
$prefix = @()
if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
$env:AWS_EC2_METADATA_DISABLED = 'true'
$modules = @($ModulePath | ForEach-Object { (Resolve-Path -LiteralPath $_).ProviderPath })

function Invoke-Child([string]$Command) {
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $output = & $process @prefix -NoProfile -NonInteractive -Command $Command
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "child failed ($LASTEXITCODE): $output" }
    [pscustomobject]@{ WallMs = $watch.Elapsed.TotalMilliseconds; Output = $output }
}

function Get-Median([double[]]$Values) {
    $sorted = @($Values | Sort-Object)
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

$bare = [System.Collections.Generic.List[double]]::new()
$samples = @{}
foreach ($module in $modules) {
    $samples[$module] = @{ Wall = [System.Collections.Generic.List[double]]::new(); Inside = [System.Collections.Generic.List[double]]::new() }
}
$measure = "`$t = Measure-Command {{ Import-Module '{0}' }}; if (@(Get-Command -Module CognitoDevice).Count -ne 3) {{ exit 3 }}; `$t.TotalMilliseconds; exit 0"

$null = Invoke-Child 'exit 0' # warm the file cache once
foreach ($module in $modules) { $null = Invoke-Child ($measure -f $module) }
for ($i = 0; $i -lt $Runs; $i++) {
    $bare.Add((Invoke-Child 'exit 0').WallMs)
    foreach ($module in $modules) {
        $samples[$module].Wall.Add((Invoke-Child "Import-Module '$module'; exit 0").WallMs)
        $samples[$module].Inside.Add([double]((Invoke-Child ($measure -f $module)).Output | Select-Object -Last 1))
    }
}
$b = Get-Median $bare
foreach ($module in $modules) {
    $m = Get-Median $samples[$module].Wall
    [pscustomobject]@{
        Module                 = $module
        Runs                   = $Runs
        BareStartMedianMs      = [Math]::Round($b, 1)
        WithImportMedianMs     = [Math]::Round($m, 1)
        ImportOverBareMs       = [Math]::Round($m - $b, 1)
        MeasureCommandImportMs = [Math]::Round((Get-Median $samples[$module].Inside), 1)
    }
}
