<#
.SYNOPSIS
    Reads the documentation the way the tests need it: the examples of docs/en-US/<Verb-Noun>.md and README.md,
    and the platyPS parameter blocks of the help pages. Used by tests/Documentation.Tests.ps1.

.DESCRIPTION
    Examples are the first ```powershell block under each "### Example N: <title>" of a help page's ## EXAMPLES,
    and every ```powershell block of README.md. Blocks that are not meant to run (a console transcript, a shell
    command) are fenced otherwise (```text, ```sh).
#>

Set-StrictMode -Version 2.0

function Get-DocumentationExample {
    <#
    .SYNOPSIS
        Every runnable example: hashtables Name, Source (HelpPage or README), File, Line and Code, in document order.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory = $true)][string]$RepositoryRoot)

    $pages = Get-ChildItem -LiteralPath (Join-Path (Join-Path $RepositoryRoot 'docs') 'en-US') -Filter '*-*.md' | Sort-Object Name
    foreach ($page in $pages) {
        $lines = [System.IO.File]::ReadAllLines($page.FullName)
        $inExamples = $false
        $title = $null
        $taken = $false
        for ($i = 0; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if ($line -match '^## ') { $inExamples = ($line -eq '## EXAMPLES'); $title = $null; continue }
            if (-not $inExamples) { continue }
            if ($line -match '^### (.+)$') { $title = $Matches[1]; $taken = $false; continue }
            if ($null -ne $title -and -not $taken -and $line -match '^```powershell\s*$') {
                $code = Read-Fence -Lines $lines -Start $i
                $taken = $true
                @{
                    Name   = '{0} {1}' -f $page.BaseName, $title
                    Source = 'HelpPage'
                    File   = $page.Name
                    Line   = $i + 1
                    Code   = $code
                }
            }
        }
    }

    $readme = Join-Path $RepositoryRoot 'README.md'
    $lines = [System.IO.File]::ReadAllLines($readme)
    $heading = 'README'
    $number = 0
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^#{1,4} (.+)$') { $heading = $Matches[1] }
        if ($lines[$i] -match '^```powershell\s*$') {
            $number++
            @{
                Name   = 'README block {0} ("{1}", line {2})' -f $number, $heading, ($i + 1)
                Source = 'README'
                File   = 'README.md'
                Line   = $i + 1
                Code   = Read-Fence -Lines $lines -Start $i
            }
        }
    }
}

function Read-Fence {
    # The lines after the opening fence at $Start up to the closing ```, joined with newlines.
    param([string[]]$Lines, [int]$Start)

    $body = New-Object System.Collections.Generic.List[string]
    for ($j = $Start + 1; $j -lt $Lines.Count; $j++) {
        if ($Lines[$j] -match '^```\s*$') { return ($body -join "`n") }
        $body.Add($Lines[$j])
    }
    throw "The code block that starts on line $($Start + 1) is never closed."
}

function Get-HelpPageParameter {
    <#
    .SYNOPSIS
        The parameters of a help page (docs/en-US/<Verb-Noun>.md): objects Name and Blocks, each block a hashtable
        of its yaml keys (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, ...).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Path)

    $lines = [System.IO.File]::ReadAllLines($Path)
    $inParameters = $false
    $current = $null
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^## ') {
            if ($current) { $current; $current = $null }
            $inParameters = ($line -eq '## PARAMETERS')
            continue
        }
        if (-not $inParameters) { continue }
        if ($line -match '^### -(\w+)\s*$') {
            if ($current) { $current }
            $current = [pscustomobject]@{ Name = $Matches[1]; Blocks = (New-Object System.Collections.Generic.List[hashtable]) }
            continue
        }
        if ($line -match '^### ') {
            if ($current) { $current; $current = $null }
            continue
        }
        if ($current -and $line -match '^```yaml\s*$') {
            $block = @{}
            foreach ($entry in ((Read-Fence -Lines $lines -Start $i) -split "`n")) {
                if ($entry -match '^([^:]+):\s*(.*)$') { $block[$Matches[1].Trim()] = $Matches[2].Trim() }
            }
            $current.Blocks.Add($block)
        }
    }
    if ($current) { $current }
}

function Get-HelpPageSyntax {
    <# .SYNOPSIS The parameter sets under ## SYNTAX of a help page: objects Name, IsDefault, Parameters (names in order). #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Path)

    $lines = [System.IO.File]::ReadAllLines($Path)
    $inSyntax = $false
    $set = $null
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^## ') { $inSyntax = ($line -eq '## SYNTAX'); continue }
        if (-not $inSyntax) { continue }
        if ($line -match '^### (.+?)\s*$') { $set = $Matches[1]; continue }
        if ($set -and $line -match '^```') {
            $code = Read-Fence -Lines $lines -Start $i
            $isDefault = $set.EndsWith('(Default)')
            [pscustomobject]@{
                Name       = $set.Replace('(Default)', '').Trim()
                IsDefault  = $isDefault
                Parameters = @([regex]::Matches($code, '(?<![\w-])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
            }
            $set = $null
        }
    }
}

Export-ModuleMember -Function 'Get-DocumentationExample', 'Get-HelpPageParameter', 'Get-HelpPageSyntax'
