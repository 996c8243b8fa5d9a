#Requires -Version 5.1
<#
    What a new user tripped on, made right (issue 7, item 4), black-box in real PowerShell: the built module against
    the local Cognito endpoint. Each It sets up its own pool, user, devices and token after a reset of the endpoint.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    Import-Module (Get-CognitoDeviceManifestPath) -Force
    $profileName = 'cognito-local'

    function Get-VerboseText {
        param([object[]]$Records)
        return @($Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"
    }

    function Get-TableHeader {
        # The header line of the table the default view of these objects shows.
        param([object[]]$InputObject)
        $lines = @(($InputObject | Format-Table | Out-String -Width 250) -split "`r?`n" | Where-Object { $_.Trim() })
        return (Remove-AnsiEscape $lines[0]).Trim()
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Device objects from a token listing, piped on without -AccessToken' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'ends <Name> with one AccessTokenRequired error that says to pass -AccessToken, and sends nothing' -TestCases @(
        @{ Name = 'Remove-CognitoDevice'; Command = { param($u) $input | Remove-CognitoDevice -EndpointUrl $u -Confirm:$false } }
        @{ Name = 'Set-CognitoDevice'; Command = { param($u) $input | Set-CognitoDevice -RememberedStatus not_remembered -EndpointUrl $u -Confirm:$false } }
        @{ Name = 'Get-CognitoDevice'; Command = { param($u) $input | Get-CognitoDevice -EndpointUrl $u } }
    ) {
        param($Name, $Command)
        $user = New-TestUser -DeviceCount 3
        $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url)
        Clear-LocalRequest
        $errors = @()

        $err = { $devices | & $Command $url -ErrorVariable +errors } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeExactly ('AccessTokenRequired,CognitoDevice.Commands.{0}Command' -f ($Name -replace '-', ''))
        $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidArgument'
        $err.TargetObject | Should -BeExactly $devices[0].DeviceKey
        $err.Exception.Message | Should -Match ([regex]::Escape("Pass -AccessToken to $Name as well"))
        $err.Exception.Message | Should -Not -Match 'argument is null'
        # The listing's own request may be logged just after the clear: count what the failing cmdlet would send.
        @(Get-LocalRequest | Where-Object { $_.operation -ne 'ListDevices' }).Count | Should -Be 0
    }

    It 'still forgets them when -AccessToken is passed again' {
        $user = New-TestUser -DeviceCount 2

        Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url | Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

        @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
    }

    It 'says -UserPoolId is empty when it is typed as $null, not that -AccessToken is missing' {
        $user = New-TestUser -DeviceCount 1

        $err = { Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $null -Username $user.Username -EndpointUrl $url -Confirm:$false } |
            Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeExactly 'AccessTokenRequired,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        $err.Exception.Message | Should -Match '^-UserPoolId is null or empty'
    }
}

Describe 'The access token parameter' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'takes a SecureString as well as a string' {
        $user = New-TestUser -DeviceCount 2
        $secure = ConvertTo-SecureString -String $user.Token -AsPlainText -Force

        Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $secure -EndpointUrl $url -Confirm:$false
        Remove-CognitoDevice -DeviceKey $user.DeviceKeys[1] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

        @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
    }

    It 'is typed SecureString, so any host masks it when PowerShell prompts for it' {
        foreach ($name in 'Get-CognitoDevice', 'Remove-CognitoDevice', 'Set-CognitoDevice') {
            (Get-Command $name).Parameters['AccessToken'].ParameterType.FullName | Should -BeExactly 'System.Security.SecureString'
        }
    }

    It 'rejects a Bearer-prefixed SecureString without showing it' {
        $secret = 'Bearer eyJraWQiOiJ0ZXN0In0.eyJzdWIiOiJ4In0.NOTSHOWNSIGNATURE'
        $secure = ConvertTo-SecureString -String $secret -AsPlainText -Force

        $err = { Remove-CognitoDevice -DeviceKey 'eu-west-1_0123abcd' -AccessToken $secure -EndpointUrl $url -WhatIf } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        $err.Exception.Message | Should -Match 'Bearer'
        ConvertTo-SearchableText $err | Should -Not -Match 'NOTSHOWNSIGNATURE'
    }
}

Describe 'Where the region came from' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'says the region came from the piped object, not from -Region, for a device object piped in' {
        $user = New-TestUser -DeviceCount 1
        $device = Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url

        $verbose = Get-VerboseText ($device | Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -Verbose 4>&1)

        $verbose | Should -Match ([regex]::Escape("Region $($user.Region) (from the piped object's Region property)"))
        $verbose | Should -Not -Match ([regex]::Escape('(from -Region)'))
    }

    It 'says -Region when -Region is typed, even with a device object piped in' {
        $user = New-TestUser -DeviceCount 1
        $device = Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url

        $verbose = Get-VerboseText ($device | Remove-CognitoDevice -AccessToken $user.Token -Region $user.Region -EndpointUrl $url -Confirm:$false -Verbose 4>&1)

        $verbose | Should -Match ([regex]::Escape("Region $($user.Region) (from -Region)"))
    }

    It 'names <Source> in a RegionInvalid message, not an internal name' -TestCases @(
        @{ Source = '-Region'; Variable = $null }
        @{ Source = 'AWS_REGION'; Variable = 'AWS_REGION' }
        @{ Source = 'AWS_DEFAULT_REGION'; Variable = 'AWS_DEFAULT_REGION' }
    ) {
        param($Source, $Variable)
        $splat = @{ DeviceKey = 'local_0123abcd'; AccessToken = 'abc.def.ghi'; EndpointUrl = $url; Confirm = $false }
        if ($Variable) { Set-Item -Path "env:$Variable" -Value 'not a region' } else { $splat.Region = 'not a region' }
        try {
            $err = { Remove-CognitoDevice @splat } | Should -Throw -PassThru
        }
        finally {
            if ($Variable) { Remove-Item -Path "env:$Variable" }
        }

        $err.FullyQualifiedErrorId | Should -BeExactly 'RegionInvalid,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        $err.Exception.Message | Should -BeLike "'not a region' (from $Source) is not a region name.*"
        $err.Exception.Message | Should -Not -Match 'RegionParameter|AwsRegionVariable|AwsDefaultRegionVariable'
    }

    It 'says that a token that is not a Cognito JWT could not be read, without showing it' {
        $err = { Remove-CognitoDevice -DeviceKey 'local_0123abcd' -AccessToken 'abc.def.ghi' -EndpointUrl $url -Confirm:$false } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeExactly 'RegionNotFound,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
        $err.Exception.Message | Should -Match 'could not be read as a Cognito JWT'
        $err.Exception.Message | Should -Match '-Region helps only if this is a real Cognito access token'
        ConvertTo-SearchableText $err | Should -Not -Match 'abc\.def\.ghi'
        @(Get-LocalRequest).Count | Should -Be 0
    }
}

Describe 'Result views of -PassThru' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'shows no empty user pool or user name columns for results of the token set' {
        $user = New-TestUser -DeviceCount 2

        $forgotten = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru
        $changed = Set-CognitoDevice -DeviceKey $user.DeviceKeys[1] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru

        Get-TableHeader $forgotten | Should -Match '^DeviceKey\s+Region$'
        Get-TableHeader $changed | Should -Match '^DeviceKey\s+RememberedStatus\s+Region$'
        $forgotten | Should -BeOfType CognitoDevice.ForgottenDevice
    }

    It 'shows the user and the pool for results of the Admin set' {
        $user = New-TestUser -DeviceCount 2

        $forgotten = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false -PassThru
        $changed = Set-CognitoDevice -DeviceKey $user.DeviceKeys[1] -RememberedStatus not_remembered -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false -PassThru

        Get-TableHeader $forgotten | Should -Match '^DeviceKey\s+Username\s+UserPoolId\s+Region$'
        Get-TableHeader $changed | Should -Match '^DeviceKey\s+RememberedStatus\s+Username\s+UserPoolId\s+Region$'
    }
}

Describe 'Get-CognitoDevice parameter sets' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'refuses -PageSize together with -DeviceKey as a binding error, sending nothing' {
        $user = New-TestUser -DeviceCount 1

        $err = { Get-CognitoDevice -AccessToken $user.Token -DeviceKey $user.DeviceKeys[0] -PageSize 5 -EndpointUrl $url } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeExactly 'AmbiguousParameterSet,CognitoDevice.Commands.GetCognitoDeviceCommand'
        @(Get-LocalRequest).Count | Should -Be 0
    }

    It 'asks for 60 devices a page when -PageSize is not given' {
        $user = New-TestUser -DeviceCount 61

        @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url).Count | Should -Be 61

        $calls = @(Get-LocalRequest -Operation 'ListDevices')
        $calls.Count | Should -Be 2
        foreach ($call in $calls) { ($call.body | ConvertFrom-Json).Limit | Should -Be 60 }
    }
}

Describe 'Recommended actions fit the operation' {
    BeforeEach {
        Reset-LocalCognito
    }

    It 'talks about the user pool, not device keys, when a listing names a pool that does not exist' {
        $user = New-TestUser -DeviceCount 1
        $missingPool = $user.Region + '_NoSuchPool0'
        $errors = @()

        $null = Get-CognitoDevice -UserPoolId $missingPool -Username $user.Username -ProfileName $profileName -EndpointUrl $url -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.GetCognitoDeviceCommand'
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'user pool was not found'
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -Match 'device key'
    }

    It 'talks about the device key when a device to forget does not exist' {
        $user = New-TestUser -DeviceCount 1
        $errors = @()

        Remove-CognitoDevice -DeviceKey (New-MissingDeviceKey -Region $user.Region) -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'device was not found: check the device key'
    }

    It 'can be caught as CognitoDevice.NotAuthorizedException with -ErrorAction Stop' {
        $user = New-TestUser -DeviceCount 1
        Revoke-LocalAccessToken -PoolId $user.PoolId -Username $user.Username
        $caught = 'nothing'

        try {
            Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -ErrorAction Stop
        }
        catch [CognitoDevice.NotAuthorizedException] {
            $caught = 'NotAuthorizedException'
        }
        catch {
            $caught = 'other: ' + $_.Exception.GetType().FullName
        }

        $caught | Should -BeExactly 'NotAuthorizedException'
    }
}
