#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester suites in tests/ against the built module and writes an NUnit result file. build.ps1 starts it
    in a fresh PowerShell process (so the module is never loaded into the build's session).

.DESCRIPTION
    Output is plain text (no ANSI colour codes), readable in a file or a CI log. The last line is
    'Pester: N passed, N failed, N skipped'; the exit code is 0 only when every test passed and at least one ran.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string]$PesterPath,

    [Parameter(Mandatory = $true)]
    [string]$TestsPath,

    [Parameter(Mandatory = $true)]
    [string]$ResultPath,

    [string[]]$Path
)

$ErrorActionPreference = 'Stop'
if ($PSVersionTable.PSVersion.Major -ge 7 -and (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue)) {
    $PSStyle.OutputRendering = 'PlainText'
}
Import-Module -Name $PesterPath -Force
$pester = Get-Module -Name Pester
Write-Host ('Pester {0} from {1}, in PowerShell {2} ({3})' -f $pester.Version, $pester.ModuleBase, $PSVersionTable.PSVersion, $PSVersionTable.PSEdition)

$configuration = [PesterConfiguration]::Default
# -Path may come as one comma-separated argument (pwsh -File passes each argument as one string).
$paths = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
$configuration.Run.Path = @(if ($paths.Count -gt 0) { $paths } else { $TestsPath })
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
$result = Invoke-Pester -Configuration $configuration

Write-Host ('Pester: {0} passed, {1} failed, {2} skipped' -f $result.PassedCount, $result.FailedCount, $result.SkippedCount)
if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) { exit 1 }
exit 0
