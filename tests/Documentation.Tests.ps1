#Requires -Version 5.1
<#
    The documentation, black-box: the help PowerShell shows for the built module (Get-Help), the help pages in
    docs/en-US/ against the cmdlets as built (so a parameter added or changed without its help fails here), and
    every example of the help pages and every ```powershell block of README.md run against the local Cognito
    endpoint.

    How an example is run (the convention the help pages' NOTES and about_CognitoDevice state):
      - in a fresh PowerShell (-NonInteractive, $ErrorActionPreference = 'Stop') with the built module imported,
        the repository root as the current folder and the built module's parent folder first on PSModulePath
        (so Import-Module CognitoDevice finds it);
      - the local endpoint holds the pool eu-west-1_AbCdEf123 with the user alice, the device
        eu-west-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789 and five more, and the pool us-east-1_LocalDemo with alice and
        five devices (the README's demo);
      - AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER points at the endpoint; the shared credentials file holds the
        profiles admin, default and cognito-local with the committed fake local credentials; no config file;
      - $token holds alice's access token (eu-west-1_AbCdEf123); $PoolId and $User hold eu-west-1_AbCdEf123 and alice;
        $ProfileName holds admin;
        Get-MyTestUserAccessToken (the README's "your sign-in helper") returns $token;
      - the only text changed: the README's local endpoint address http://127.0.0.1:9229 becomes the test
        endpoint's, and a bare -Confirm (a prompt a person answers) becomes -Confirm:$false, "Yes";
      - a block with Pester's BeforeAll/Describe/It runs with Invoke-Pester and must pass;
      - an example passes when it ends without an error (none in $Error, exit code 0) and made at least one call
        to the endpoint.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'DocumentationHelpers.psm1') -Force
    $repositoryRoot = Split-Path -Parent $PSScriptRoot
    $examples = @(Get-DocumentationExample -RepositoryRoot $repositoryRoot)
    $cmdlets = @(Get-ChildItem -LiteralPath (Join-Path (Join-Path $repositoryRoot 'docs') 'en-US') -Filter '*-*.md' |
        ForEach-Object { @{ Name = $_.BaseName; Page = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DocumentationHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $manifest = Get-CognitoDeviceManifestPath
    Import-Module $manifest -Force
    $repositoryRoot = Get-RepositoryRoot
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters |
        Where-Object { $_ -notin 'WhatIf', 'Confirm' }

    # The profiles the examples name, with the committed fake local credentials.
    $local = Get-Content -LiteralPath (Join-Path (Join-Path (Join-Path $repositoryRoot 'tests') 'CognitoDevice.LocalEndpoint') 'local-credentials')
    $keyId = ($local | Where-Object { $_ -match '^aws_access_key_id\s*=' }) -replace '^[^=]+=\s*', ''
    $secret = ($local | Where-Object { $_ -match '^aws_secret_access_key\s*=' }) -replace '^[^=]+=\s*', ''
    $credentials = Join-Path $TestDrive 'credentials'
    $profileText = foreach ($name in 'admin', 'default', 'cognito-local') { "[$name]`naws_access_key_id = $keyId`naws_secret_access_key = $secret`n" }
    [System.IO.File]::WriteAllText($credentials, ($profileText -join ''))
    $emptyConfig = Join-Path $TestDrive 'config'
    [System.IO.File]::WriteAllText($emptyConfig, '')

    $pester = (Get-Module -Name Pester | Sort-Object Version -Descending | Select-Object -First 1).Path
    $moduleParent = Split-Path -Parent (Split-Path -Parent (Get-CognitoDeviceModuleBase))

    function Initialize-ExampleWorld {
        Reset-LocalCognito
        $null = New-LocalPool -Region 'eu-west-1' -PoolId 'eu-west-1_AbCdEf123'
        $null = New-LocalUser -PoolId 'eu-west-1_AbCdEf123' -Username 'alice'
        $null = Add-LocalDevice -PoolId 'eu-west-1_AbCdEf123' -Username 'alice' -DeviceKey 'eu-west-1_0a1b2c3d-4e5f-6789-abcd-ef0123456789' -Name 'alice-laptop' -LastIp '192.0.2.10'
        $null = Add-LocalDevice -PoolId 'eu-west-1_AbCdEf123' -Username 'alice' -Count 5 -Seed 7
        $null = New-LocalPool -Region 'us-east-1' -PoolId 'us-east-1_LocalDemo'
        $null = New-LocalUser -PoolId 'us-east-1_LocalDemo' -Username 'alice'
        $null = Add-LocalDevice -PoolId 'us-east-1_LocalDemo' -Username 'alice' -Count 5 -Seed 1
        Clear-LocalRequest
        return (New-LocalAccessToken -PoolId 'eu-west-1_AbCdEf123' -Username 'alice')
    }

    function Invoke-Example {
        param([hashtable]$Example, [string]$Token)

        $code = $Example.Code
        if ($Example.Source -eq 'README') { $code = $code.Replace('http://127.0.0.1:9229', $url) }
        $code = [regex]::Replace($code, '-Confirm(?![:\w])', '-Confirm:$false')

        $prelude = @"
Import-Module $(ConvertTo-PSLiteral $manifest)
Set-Location -LiteralPath $(ConvertTo-PSLiteral $repositoryRoot)
`$token = `$env:COGNITODEVICE_TEST_TOKEN
`$PoolId = 'eu-west-1_AbCdEf123'
`$User = 'alice'
`$ProfileName = 'admin'
function global:Get-MyTestUserAccessToken { `$env:COGNITODEVICE_TEST_TOKEN }
`$Error.Clear()
"@
        if ($code -match '(?m)^\s*(BeforeAll|Describe|It)\b') {
            $file = Join-Path $TestDrive ('example-{0}.Tests.ps1' -f [guid]::NewGuid().ToString('N'))
            [System.IO.File]::WriteAllText($file, $code)
            $script = $prelude + @"

Import-Module $(ConvertTo-PSLiteral $pester)
`$result = Invoke-Pester -Path $(ConvertTo-PSLiteral $file) -PassThru -Output Detailed
Write-TestResult @{ Errors = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount; Passed = `$result.PassedCount }
"@
        }
        else {
            $script = $prelude + "`n" + $code + "`n" + 'Write-TestResult @{ Errors = $Error.Count; Passed = 1; Messages = @($Error | ForEach-Object { [string]$_ }) }'
        }
        $environment = @{
            COGNITODEVICE_TEST_TOKEN                  = $Token
            AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $url
            AWS_SHARED_CREDENTIALS_FILE               = $credentials
            AWS_CONFIG_FILE                           = $emptyConfig
            AWS_EC2_METADATA_DISABLED                 = 'true'
            PSModulePath                              = $moduleParent + [System.IO.Path]::PathSeparator + $env:PSModulePath
        }
        return Invoke-ChildPowerShell -Script $script -Environment $environment -TimeoutSeconds 180
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Documentation examples' {
    It 'finds the examples of every help page and the README' {
        $examples = @(Get-DocumentationExample -RepositoryRoot $repositoryRoot)
        @($examples | Where-Object Source -EQ 'HelpPage').Count | Should -BeGreaterOrEqual 9
        @($examples | Where-Object Source -EQ 'README').Count | Should -BeGreaterOrEqual 1
    }

    It '<Name> runs against the local endpoint' -ForEach $examples {
        $token = Initialize-ExampleWorld

        $run = Invoke-Example -Example $_ -Token $token

        $because = "the example at $File line $Line must run cleanly. Output:`n$($run.Output)`nErrors:`n$($run.ErrorOutput)"
        $run.ExitCode | Should -Be 0 -Because $because
        $run.Result | Should -Not -BeNullOrEmpty -Because $because
        $run.Result.Errors | Should -Be 0 -Because $because
        $run.Result.Passed | Should -BeGreaterThan 0 -Because $because
        @(Get-LocalRequest).Count | Should -BeGreaterThan 0 -Because 'an example that never reaches the endpoint proves nothing'
        $run.Output + $run.ErrorOutput | Should -Not -Match ([regex]::Escape($token)) -Because 'no example may print the access token'
    }
}

Describe 'Get-Help' {
    Context '<Name>' -ForEach $cmdlets {
        BeforeAll {
            $help = Get-Help -Name $Name -Full
            $command = Get-Command -Name $Name
            $pageExamples = @(Get-DocumentationExample -RepositoryRoot $repositoryRoot | Where-Object { $_.Source -eq 'HelpPage' -and $_.File -eq "$Name.md" })
        }

        It 'has the synopsis and description of its help page' {
            $page = [System.IO.File]::ReadAllText($Page)
            $synopsis = [regex]::Match($page, '(?ms)^## SYNOPSIS\s*\n(.*?)\n\s*\n').Groups[1].Value.Trim() -replace '\s*\n\s*', ' '
            $help.Synopsis | Should -BeExactly $synopsis
            ($help.Description | Out-String).Trim() | Should -Match '\w{3,}'
            ($help.Description | Out-String).Length | Should -BeGreaterThan 200
        }

        It 'describes every parameter of every parameter set' {
            foreach ($set in $command.ParameterSets) {
                foreach ($parameter in $set.Parameters | Where-Object { $commonParameters -notcontains $_.Name }) {
                    $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $parameter.Name })
                    $entry.Count | Should -Be 1 -Because "-$($parameter.Name) of the $($set.Name) set must be in Get-Help -Full"
                    ($entry[0].description | Out-String).Trim().Length | Should -BeGreaterThan 40 -Because "-$($parameter.Name) needs a real description"
                }
            }
        }

        It 'shows a syntax for each parameter set' {
            @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
        }

        It 'lists its examples, each with code and a sentence, with -Examples' {
            $shown = @((Get-Help -Name $Name -Examples).examples.example)
            $shown.Count | Should -BeGreaterOrEqual 3
            $shown.Count | Should -Be $pageExamples.Count
            foreach ($example in $shown) {
                $example.code | Should -Match $Name.Split('-')[1]
                ($example.remarks | Out-String).Trim().Length | Should -BeGreaterThan 40
            }
        }

        It 'has inputs, outputs, notes and related links' {
            ($help.inputTypes | Out-String).Trim() | Should -Match 'System.String'
            ($help.returnValues | Out-String).Trim() | Should -Match 'CognitoDevice\.'
            ($help.alertSet | Out-String).Trim().Length | Should -BeGreaterThan 100
            @($help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 3
        }

        It 'says that the access token is never shown' {
            $text = @((Get-Help -Name $Name -Parameter AccessToken).description | ForEach-Object { $_.Text }) -join ' '
            ($text -replace '\s+', ' ') | Should -Match 'The value is never shown'
        }
    }

    It 'finds about_CognitoDevice' {
        $topic = Get-Help -Name about_CognitoDevice -ErrorAction Stop | Out-String
        $topic | Should -Match 'about_CognitoDevice'
        $topic | Should -Match 'SHORT DESCRIPTION'
        $topic | Should -Match 'ValidateAccessToken'
    }
}

Describe 'Help pages' {
    Context '<Name>' -ForEach $cmdlets {
        BeforeAll {
            $command = Get-Command -Name $Name
            $documented = @(Get-HelpPageParameter -Path $Page)
            $syntax = @(Get-HelpPageSyntax -Path $Page)

            function Get-TypeName([System.Type]$Type) {
                $underlying = [System.Nullable]::GetUnderlyingType($Type)
                if ($underlying) { $Type = $underlying }
                return $Type.Name
            }
        }

        It 'has one syntax section per parameter set, the default marked' {
            ($syntax.Name | Sort-Object) -join ',' | Should -BeExactly (($command.ParameterSets.Name | Sort-Object) -join ',')
            @($syntax | Where-Object IsDefault).Name | Should -BeExactly $command.DefaultParameterSet
        }

        It 'names in each syntax exactly the parameters of that set' {
            foreach ($set in $command.ParameterSets) {
                $expected = @($set.Parameters.Name | Where-Object { $commonParameters -notcontains $_ } | Sort-Object) -join ','
                $actual = @(($syntax | Where-Object Name -EQ $set.Name).Parameters | Where-Object { $_ -ne 'CommonParameters' } | Sort-Object) -join ','
                $actual | Should -BeExactly $expected -Because "the syntax of the $($set.Name) set"
            }
        }

        It 'documents every parameter of every set as the cmdlet declares it' {
            foreach ($set in $command.ParameterSets) {
                foreach ($parameter in $set.Parameters | Where-Object { $commonParameters -notcontains $_.Name }) {
                    $what = "-$($parameter.Name) in the $($set.Name) set"
                    $doc = @($documented | Where-Object Name -EQ $parameter.Name)
                    $doc.Count | Should -Be 1 -Because "$what needs a ### -$($parameter.Name) section"
                    $block = @($doc[0].Blocks | Where-Object { ($_['Parameter Sets'] -split ',\s*') -contains $set.Name -or $_['Parameter Sets'] -eq '(All)' })
                    $block.Count | Should -Be 1 -Because "$what needs one yaml block listing that set"
                    $block = $block[0]
                    $block['Type'] | Should -BeExactly (Get-TypeName $parameter.ParameterType) -Because $what
                    $block['Required'] | Should -Be ([string]$parameter.IsMandatory) -Because $what
                    $position = if ($parameter.Position -lt 0) { 'Named' } else { [string]$parameter.Position }
                    $block['Position'] | Should -BeExactly $position -Because $what
                    $pipeline = @()
                    if ($parameter.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
                    if ($parameter.ValueFromPipeline) { $pipeline += 'ByValue' }
                    $expectedPipeline = if ($pipeline.Count) { 'True ({0})' -f ($pipeline -join ', ') } else { 'False' }
                    $block['Accept pipeline input'] | Should -BeExactly $expectedPipeline -Because $what
                    $aliases = @($parameter.Aliases) -join ', '
                    $block['Aliases'] | Should -BeExactly $aliases -Because $what
                }
            }
        }

        It 'documents no parameter the cmdlet does not have' {
            $actual = @($command.Parameters.Keys)
            foreach ($doc in $documented) {
                $actual | Should -Contain $doc.Name -Because "### -$($doc.Name) is documented"
            }
        }
    }
}
