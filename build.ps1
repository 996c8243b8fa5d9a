<#
.SYNOPSIS
    Builds the CognitoDevice module and runs all its tests: xunit and Pester in real PowerShell.

.DESCRIPTION
    The README's test command is `dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1`: PowerShell 7.6.9
    is the local .NET tool pinned in dotnet-tools.json, and Pester 5.9.1 comes from NuGet (tools/Tools.csproj). A user
    who already has pwsh (or Windows PowerShell 5.1) and Pester 5 or later can run ./build.ps1 with theirs.

    1. dotnet build of the solution: compiles the module and lays out the importable module folder
       output/CognitoDevice/<ModuleVersion>/, the local Cognito endpoint and the test projects.
    2. dotnet test (xunit), unless -SkipTests. Results: TestResults/xunit/*.trx.
    3. The Pester suites in tests/*.Tests.ps1, unless -SkipTests or -SkipPester, in a fresh PowerShell process of the
       same kind as this one (-NoProfile -NonInteractive), so the module is never loaded into this session and a
       confirmation prompt fails instead of waiting. Results: TestResults/pester.xml (NUnit).

    Everything it prints is plain text (no CLIXML, no colour codes), readable in a file or a CI log. The last line
    totals xunit and Pester: 'Total: N passed, N failed, N skipped'. AWS_EC2_METADATA_DISABLED is 'true' for the
    test runs, so nothing ever asks the instance metadata service for credentials. Exits non-zero when any step fails.

.PARAMETER Configuration
    Debug (default) or Release.

.PARAMETER SkipTests
    Build only.

.PARAMETER SkipPester
    Run xunit but not the Pester suites.

.PARAMETER Package
    After the tests, build the PowerShell Gallery package (tools/Build-Package.ps1) into output/packages/, a local
    folder repository (Install-PSResource -Repository <a repository registered on that folder>).

.PARAMETER PesterPath
    Run only these Pester files (paths), for example ./tests/Remove-CognitoDevice.Tests.ps1.

.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1

.EXAMPLE
    ./build.ps1 -SkipTests

.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -SkipTests -Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Debug',

    [switch]$SkipTests,

    [switch]$SkipPester,

    [switch]$Package,

    [string[]]$PesterPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
if ($PSVersionTable.PSVersion.Major -ge 7 -and (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue)) {
    $PSStyle.OutputRendering = 'PlainText'
}

function Invoke-DotNet {
    param([Parameter(Mandatory = $true)][string[]]$Arguments)

    Write-Host ('> dotnet ' + ($Arguments -join ' '))
    & dotnet @Arguments | Out-Host
    return $LASTEXITCODE
}

function Get-PinnedPester {
    # Pester as pinned in tools/Tools.csproj, restored from NuGet into the global packages folder; $null if that fails.
    $project = Join-Path $PSScriptRoot 'tools/Tools.csproj'
    [xml]$xml = Get-Content -LiteralPath $project -Raw
    $version = ([string]$xml.Project.ItemGroup.PackageDownload.Version).Trim('[', ']')
    Write-Host "> dotnet restore tools/Tools.csproj (Pester $version)"
    & dotnet restore $project --verbosity quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { return $null }
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
        $packages = ([string]$line -replace '^\s*global-packages:\s*', '').Trim()
    }
    $manifest = Join-Path $packages ('pester/{0}/tools/Pester.psd1' -f $version)
    if (Test-Path -LiteralPath $manifest -PathType Leaf) { return $manifest }
    return $null
}

function Get-PesterManifest {
    $pinned = Get-PinnedPester
    if ($pinned) { return $pinned }
    $installed = Get-Module -Name Pester -ListAvailable |
        Where-Object { $_.Version -ge [version]'5.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($installed) {
        Write-Host ('The pinned Pester could not be restored; using the installed Pester {0}.' -f $installed.Version)
        return $installed.Path
    }
    throw 'Pester 5 or later is needed: the pinned Pester could not be restored from NuGet (dotnet restore tools/Tools.csproj) and none is installed.'
}

function Get-ChildPowerShell {
    # How to start a fresh PowerShell of the kind running this script: powershell.exe, pwsh, or (for the .NET tool,
    # whose process is dotnet) dotnet <PSHOME>/pwsh.dll.
    $self = (Get-Process -Id $PID).Path
    if ($PSVersionTable.PSEdition -eq 'Core' -and [System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') {
        return @{ File = $self; Arguments = @((Join-Path $PSHOME 'pwsh.dll')) }
    }
    return @{ File = $self; Arguments = @() }
}

function Read-TrxTotals {
    param([string]$Folder)

    $totals = @{ Passed = 0; Failed = 0; Skipped = 0; Files = 0 }
    foreach ($file in @(Get-ChildItem -LiteralPath $Folder -Filter '*.trx' -ErrorAction SilentlyContinue)) {
        [xml]$trx = Get-Content -LiteralPath $file.FullName -Raw
        $counters = $trx.TestRun.ResultSummary.Counters
        $totals.Passed += [int]$counters.passed
        $totals.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $totals.Skipped += [int]$counters.notExecuted
        $totals.Files++
    }
    return $totals
}

$root = $PSScriptRoot
$results = Join-Path $root 'TestResults'
$savedMetadataDisabled = $env:AWS_EC2_METADATA_DISABLED
$failures = New-Object System.Collections.Generic.List[string]
$xunit = $null
$pester = $null
Push-Location -LiteralPath $root
try {
    if (-not (Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'dotnet was not found on PATH. Install the .NET SDK named in global.json.'
    }
    if ((Invoke-DotNet @('build', 'CognitoDevice.sln', '-c', $Configuration, '-nologo')) -ne 0) {
        throw 'The build failed.'
    }

    if ($SkipTests) {
        Write-Host 'Build only: -SkipTests was given.'
    }
    else {
        $env:AWS_EC2_METADATA_DISABLED = 'true'
        if (Test-Path -LiteralPath $results) { Remove-Item -LiteralPath $results -Recurse -Force }
        $null = New-Item -ItemType Directory -Path $results

        $status = Invoke-DotNet @('test', 'CognitoDevice.sln', '-c', $Configuration, '--no-build', '-nologo',
            '--logger', 'trx', '--logger', 'console;verbosity=minimal', '--results-directory', (Join-Path $results 'xunit'))
        $xunit = Read-TrxTotals -Folder (Join-Path $results 'xunit')
        Write-Host ('xunit: {0} passed, {1} failed, {2} skipped ({3} test assemblies)' -f $xunit.Passed, $xunit.Failed, $xunit.Skipped, $xunit.Files)
        if ($status -ne 0 -or $xunit.Failed -gt 0) { $failures.Add('xunit') }
        if ($xunit.Files -eq 0 -or $xunit.Passed -eq 0) { $failures.Add('xunit ran no test') }

        if ($SkipPester) {
            Write-Host 'Skipping the Pester suites: -SkipPester was given.'
        }
        else {
            $manifest = Get-PesterManifest
            $child = Get-ChildPowerShell
            $resultFile = Join-Path $results 'pester.xml'
            $arguments = @($child.Arguments) + @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text',
                '-File', (Join-Path $root 'tests/Invoke-PesterSuite.ps1'),
                '-PesterPath', $manifest, '-TestsPath', (Join-Path $root 'tests'), '-ResultPath', $resultFile)
            if ($PesterPath) { $arguments += @('-Path', ((@($PesterPath | ForEach-Object { (Resolve-Path -LiteralPath $_).Path })) -join ',')) }
            Write-Host ('> {0} {1}' -f $child.File, ($arguments -join ' '))
            $log = Join-Path $results 'pester.log'
            & $child.File @arguments 2>&1 | ForEach-Object { "$_" } | Tee-Object -FilePath $log | Out-Host
            $pesterStatus = $LASTEXITCODE
            $summary = Select-String -LiteralPath $log -Pattern '^Pester: (\d+) passed, (\d+) failed, (\d+) skipped' | Select-Object -Last 1
            if ($summary) {
                $pester = @{
                    Passed  = [int]$summary.Matches[0].Groups[1].Value
                    Failed  = [int]$summary.Matches[0].Groups[2].Value
                    Skipped = [int]$summary.Matches[0].Groups[3].Value
                }
            }
            if ($pesterStatus -ne 0 -or -not $pester) { $failures.Add('Pester') }
        }
    }
    if ($Package -and $failures.Count -eq 0) {
        Write-Host '> tools/Build-Package.ps1 -OutputPath output/packages'
        $nupkg = & (Join-Path $root 'tools/Build-Package.ps1') -OutputPath (Join-Path $root 'output/packages')
        Write-Host ('Package: ' + $nupkg.FullName)
    }
}
catch {
    $failures.Add($_.Exception.Message)
}
finally {
    $env:AWS_EC2_METADATA_DISABLED = $savedMetadataDisabled
    Pop-Location
}

if ($xunit -or $pester) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($part in @($xunit, $pester)) {
        if ($part) { $passed += $part.Passed; $failed += $part.Failed; $skipped += $part.Skipped }
    }
    if ($failures.Count -gt 0) { Write-Host ('FAILED: ' + ($failures -join '; ')) }
    $total = 'Total: {0} passed, {1} failed, {2} skipped' -f $passed, $failed, $skipped
    Set-Content -LiteralPath (Join-Path $results 'summary.txt') -Value $total -Encoding ascii
    Write-Host $total
}
elseif ($failures.Count -gt 0) {
    Write-Host ('FAILED: ' + ($failures -join '; '))
}
if ($failures.Count -gt 0) { exit 1 }
exit 0
