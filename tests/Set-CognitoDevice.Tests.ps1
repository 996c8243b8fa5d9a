#Requires -Version 5.1
<#
    Set-CognitoDevice, black-box: the built module (output/CognitoDevice/<version>/) against the local Cognito
    endpoint (tests/CognitoDevice.LocalEndpoint), started once for this file. Every It sets up its own pool, user,
    devices and token after a reset of the endpoint, so no It depends on another.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    Import-Module (Get-CognitoDeviceManifestPath) -Force
    $profileName = 'cognito-local'

    function Get-RememberedStatus {
        # The remembered status of each of the user's devices as the endpoint stores it: a hashtable key -> status.
        param([Parameter(Mandatory = $true)]$User)
        $map = @{}
        foreach ($device in (Get-LocalDevice -PoolId $User.PoolId -Username $User.Username)) {
            $map[[string]$device.deviceKey] = [string]$device.rememberedStatus
        }
        return $map
    }

    function New-UserWithStatus {
        # A user whose devices all have the given remembered status (so a change is visible whatever the seed gives).
        param([int]$Count, [bool]$Remembered)
        $user = New-TestUser -DeviceCount 0
        $keys = @(for ($i = 0; $i -lt $Count; $i++) {
                Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name ('Device {0}' -f $i) -Remembered $Remembered
            })
        $user.DeviceKeys = [string[]]$keys
        return $user
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Set-CognitoDevice' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Remembered status' {
        It 'sets not_remembered with the access token (UpdateDeviceStatus)' {
            $user = New-UserWithStatus -Count 2 -Remembered $true

            Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            $status[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
            $status[$user.DeviceKeys[1]] | Should -BeExactly 'remembered'
            (Get-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url).RememberedStatus | Should -BeExactly 'not_remembered'
            @(Get-LocalRequest -Operation 'UpdateDeviceStatus').Count | Should -Be 1
        }

        It 'sets remembered with -UserPoolId -Username (AdminUpdateDeviceStatus)' {
            $user = New-UserWithStatus -Count 2 -Remembered $false

            Set-CognitoDevice -DeviceKey $user.DeviceKeys[1] -RememberedStatus remembered -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            $status[$user.DeviceKeys[1]] | Should -BeExactly 'remembered'
            $status[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
            @(Get-LocalRequest -Operation 'AdminUpdateDeviceStatus').Count | Should -Be 1
        }

        It 'offers exactly remembered and not_remembered (ValidateSet)' {
            $attribute = @((Get-Command Set-CognitoDevice).Parameters['RememberedStatus'].Attributes |
                    Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })

            $attribute.Count | Should -Be 1
            $attribute[0].ValidValues | Format-KeySet | Should -BeExactly 'not_remembered,remembered'
        }

        It 'completes -RememberedStatus with remembered and not_remembered on Tab' {
            $line = 'Set-CognitoDevice -RememberedStatus '

            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            @($completion.CompletionMatches | ForEach-Object { $_.CompletionText }) | Format-KeySet | Should -BeExactly 'not_remembered,remembered'
        }

        It 'accepts <Typed> and sends the API spelling <Sent>' -TestCases @(
            @{ Typed = 'NOT_REMEMBERED'; Sent = 'not_remembered'; Start = $true }
            @{ Typed = 'Not_Remembered'; Sent = 'not_remembered'; Start = $true }
            @{ Typed = 'Remembered'; Sent = 'remembered'; Start = $false }
        ) {
            param($Typed, $Sent, $Start)
            $user = New-UserWithStatus -Count 1 -Remembered $Start

            $change = Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus $Typed -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru

            $requests = @(Get-LocalRequest -Operation 'UpdateDeviceStatus')
            $requests.Count | Should -Be 1
            ($requests[0].body | ConvertFrom-Json).DeviceRememberedStatus | Should -BeExactly $Sent
            $change.RememberedStatus | Should -BeExactly $Sent
            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly $Sent
        }

        It 'rejects a status that is not a DeviceRememberedStatusType' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            $err = {
                Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus 'forgotten' -AccessToken $user.Token -EndpointUrl $url -Confirm:$false
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.SetCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'RememberedStatus'
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context '-PassThru' {
        It 'writes a CognitoDevice.DeviceRememberedStatusChange for each device (access token)' {
            $user = New-UserWithStatus -Count 2 -Remembered $true

            $out = @(Set-CognitoDevice -DeviceKey $user.DeviceKeys -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru)

            $out.Count | Should -Be 2
            foreach ($item in $out) {
                $item.GetType().FullName | Should -BeExactly 'CognitoDevice.DeviceRememberedStatusChange'
                $item.RememberedStatus | Should -BeExactly 'not_remembered'
                $item.Region | Should -BeExactly $user.Region
                $item.UserPoolId | Should -BeNullOrEmpty
                $item.Username | Should -BeNullOrEmpty
            }
            $out | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            ($out[0].PSObject.Properties | ForEach-Object { $_.Name }) | Format-KeySet | Should -BeExactly 'DeviceKey,Region,RememberedStatus,UserPoolId,Username'
        }

        It 'writes the user pool and user name with -UserPoolId -Username' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            $out = @(Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false -PassThru)

            $out.Count | Should -Be 1
            $out[0].DeviceKey | Should -BeExactly $user.DeviceKeys[0]
            $out[0].UserPoolId | Should -BeExactly $user.PoolId
            $out[0].Username | Should -BeExactly $user.Username
            $out[0].Region | Should -BeExactly $user.Region
        }

        It 'writes nothing without -PassThru' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            $out = Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            $out | Should -BeNullOrEmpty
            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
        }
    }

    Context 'Binding' {
        It 'sets the status of keys piped as strings' {
            $user = New-UserWithStatus -Count 3 -Remembered $true

            $user.DeviceKeys[0], $user.DeviceKeys[2] | Set-CognitoDevice -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            $status[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
            $status[$user.DeviceKeys[1]] | Should -BeExactly 'remembered'
            $status[$user.DeviceKeys[2]] | Should -BeExactly 'not_remembered'
        }

        It 'sets the status of a positional key' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            Set-CognitoDevice $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
        }

        It 'sets the status of the devices piped from Get-CognitoDevice -AccessToken when the token is passed again' {
            $user = New-UserWithStatus -Count 12 -Remembered $true

            Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url |
                Set-CognitoDevice -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            @($status.Values | Where-Object { $_ -ne 'not_remembered' }).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'UpdateDeviceStatus').Count | Should -Be 12
        }

        It 'sets the status of the devices piped from Get-CognitoDevice -UserPoolId -Username without repeating the user' {
            $user = New-UserWithStatus -Count 3 -Remembered $false

            Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url |
                Set-CognitoDevice -RememberedStatus remembered -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            @($status.Values | Where-Object { $_ -ne 'remembered' }).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'AdminUpdateDeviceStatus').Count | Should -Be 3
        }

        It 'takes UserPoolId, Username and DeviceKey by property name from piped objects' {
            $user = New-UserWithStatus -Count 2 -Remembered $true

            [pscustomobject]@{ UserPoolId = $user.PoolId; Username = $user.Username; DeviceKey = $user.DeviceKeys[1] } |
                Set-CognitoDevice -RememberedStatus not_remembered -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            $status = Get-RememberedStatus -User $user
            $status[$user.DeviceKeys[0]] | Should -BeExactly 'remembered'
            $status[$user.DeviceKeys[1]] | Should -BeExactly 'not_remembered'
        }
    }

    Context 'ShouldProcess' {
        It '-WhatIf changes nothing and sends no request' {
            $user = New-UserWithStatus -Count 2 -Remembered $true

            Set-CognitoDevice -DeviceKey $user.DeviceKeys -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -WhatIf

            @((Get-RememberedStatus -User $user).Values | Where-Object { $_ -ne 'remembered' }).Count | Should -Be 0
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It '-Force -WhatIf changes nothing and sends no request' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Force -WhatIf

            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'remembered'
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It '-Force changes nothing under a $WhatIfPreference = $true inherited from the calling function' {
            $user = New-UserWithStatus -Count 1 -Remembered $true
            function Invoke-Change {
                $WhatIfPreference = $true
                Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Force
            }

            Invoke-Change

            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'remembered'
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context 'Errors' {
        It 'writes one ObjectNotFound error for a missing key and goes on with the next key' {
            $user = New-UserWithStatus -Count 1 -Remembered $true
            $missing = New-MissingDeviceKey -Region $user.Region
            $ev = $null

            $out = @(Set-CognitoDevice -DeviceKey $missing, $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru -ErrorVariable ev -ErrorAction SilentlyContinue)

            $out.Count | Should -Be 1
            $out[0].DeviceKey | Should -BeExactly $user.DeviceKeys[0]
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.SetCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $ev[0].TargetObject | Should -BeExactly $missing
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'not_remembered'
        }

        It 'reports an expired token as NotAuthorizedException, AuthenticationError, without showing it' {
            $user = New-UserWithStatus -Count 1 -Remembered $true
            $expired = New-LocalAccessToken -PoolId $user.PoolId -Username $user.Username -LifetimeSeconds -120
            $ev = $null

            Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $expired -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'NotAuthorizedException,CognitoDevice.Commands.SetCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'AuthenticationError'
            $ev[0].TargetObject | Should -BeExactly $user.DeviceKeys[0]
            ($ev[0] | ConvertTo-SearchableText).Contains($expired) | Should -BeFalse
            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'remembered'
        }

        It '-ErrorAction Stop makes the first failure terminating' {
            $user = New-UserWithStatus -Count 1 -Remembered $true
            $missing = New-MissingDeviceKey -Region $user.Region

            $err = {
                Set-CognitoDevice -DeviceKey $missing, $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorAction Stop
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.SetCognitoDeviceCommand'
            (Get-RememberedStatus -User $user)[$user.DeviceKeys[0]] | Should -BeExactly 'remembered'
        }

        It 'ends with InsecureEndpoint before sending a token over plain http to a host that is not loopback' {
            $user = New-UserWithStatus -Count 1 -Remembered $true

            $err = {
                Set-CognitoDevice -DeviceKey $user.DeviceKeys[0] -RememberedStatus not_remembered -AccessToken $user.Token -EndpointUrl 'http://cognito-idp.example.invalid' -Confirm:$false
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InsecureEndpoint,CognitoDevice.Commands.SetCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'SecurityError'
        }
    }
}
