#Requires -Version 5.1
<#
    Tab completion of -Region and -ProfileName, black-box: TabExpansion2 in real PowerShell over the built module,
    as a person pressing Tab would get it. The AWS shared files are temporary ones named by AWS_CONFIG_FILE and
    AWS_SHARED_CREDENTIALS_FILE, holding secrets that must never come back.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    Import-Module (Get-CognitoDeviceManifestPath) -Force

    $secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOMPLETIONSECRET'
    $keyId = 'AKIDCOMPLETIONTEST'

    function Get-Completion {
        param([Parameter(Mandatory = $true)][string]$Line)
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        return @($result.CompletionMatches)
    }
}

AfterAll {
    Restore-CognitoTestEnvironment
}

Describe 'Completion' {
    Context '-Region' {
        It 'completes region names on <Command>' -ForEach @(
            @{ Command = 'Get-CognitoDevice' }
            @{ Command = 'Set-CognitoDevice' }
            @{ Command = 'Remove-CognitoDevice' }
        ) {
            $completions = Get-Completion "$Command -Region eu-west-"

            ($completions.CompletionText -join ',') | Should -BeExactly 'eu-west-1,eu-west-2,eu-west-3'
            $completions | ForEach-Object { $_.ResultType | Should -Be 'ParameterValue' }
        }

        It 'offers the regions of every partition the module ships, and no global pseudo-region' {
            $all = @((Get-Completion 'Get-CognitoDevice -Region ').CompletionText)

            $all | Should -Contain 'us-east-1'
            $all | Should -Contain 'cn-north-1'
            $all | Should -Contain 'us-gov-west-1'
            $all | Should -Not -Contain 'aws-global'
            $all.Count | Should -BeGreaterThan 30
        }

        It 'ignores case and an opening quote' {
            (Get-Completion "Get-CognitoDevice -Region 'US-GOV-").CompletionText -join ',' | Should -BeExactly 'us-gov-east-1,us-gov-west-1'
        }

        It 'offers nothing for a prefix no region has' {
            Get-Completion 'Get-CognitoDevice -Region mars-' | Should -BeNullOrEmpty
        }
    }

    Context '-ProfileName' {
        BeforeEach {
            $config = Join-Path $TestDrive ('config-' + [guid]::NewGuid().ToString('N'))
            $credentials = Join-Path $TestDrive ('credentials-' + [guid]::NewGuid().ToString('N'))
            [System.IO.File]::WriteAllText($config, "[default]`nregion = eu-west-1`n[profile admin]`nrole_arn = arn:aws:iam::123456789012:role/admin`nsource_profile = default`n[profile 'team lead']`n[sso-session corp]`nsso_start_url = https://corp.example/start`n")
            [System.IO.File]::WriteAllText($credentials, "[default]`naws_access_key_id = $keyId`naws_secret_access_key = $secret`n[ci-runner]`naws_access_key_id = $keyId`naws_secret_access_key = $secret`naws_session_token = $secret`n")
            $env:AWS_CONFIG_FILE = $config
            $env:AWS_SHARED_CREDENTIALS_FILE = $credentials
        }

        It 'completes the profile names of both shared files (Admin set)' {
            $completions = Get-Completion 'Get-CognitoDevice -UserPoolId eu-west-1_AbCdEf123 -Username alice -ProfileName '

            ($completions.CompletionText -join ',') | Should -BeExactly "admin,ci-runner,default,'team lead'"
            ($completions.ListItemText -join ',') | Should -BeExactly 'admin,ci-runner,default,team lead'
        }

        It 'completes by prefix on <Command>' -ForEach @(
            @{ Command = 'Set-CognitoDevice' }
            @{ Command = 'Remove-CognitoDevice' }
        ) {
            (Get-Completion "$Command -ProfileName ci").CompletionText | Should -BeExactly 'ci-runner'
        }

        It 'shows names only: no key, secret, role or address from the files' {
            $text = Get-Completion 'Get-CognitoDevice -ProfileName ' | ForEach-Object { $_.CompletionText; $_.ListItemText; $_.ToolTip }
            $joined = $text -join "`n"

            $joined | Should -Not -Match ([regex]::Escape($secret))
            $joined | Should -Not -Match $keyId
            $joined | Should -Not -Match 'arn:aws'
            $joined | Should -Not -Match 'corp'
        }

        It 'offers nothing, without an error, when the files do not exist' {
            $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'missing-config'
            $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'missing-credentials'
            $Error.Clear()

            Get-Completion 'Get-CognitoDevice -ProfileName ' | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
    }
}
