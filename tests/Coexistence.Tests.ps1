#Requires -Version 5.1
<#
    CognitoDevice beside another module that loads its own AWSSDK.Core (AWS Tools for PowerShell v4 loads 3.7,
    assembly version 3.3.0.0; newer modules 4.x, assembly version 4.0.0.0). Black-box, each case in a fresh
    PowerShell 7 process (-NoProfile -NonInteractive): the other module is played by the netstandard2.0 AWSSDK.Core.dll
    of the NuGet packages AWSSDK.Core 3.7.402 and 4.1.0 (restored, test-only, with tools/Tools.csproj: tools/TestPackages.props), loaded with
    [Reflection.Assembly]::LoadFrom and used as a script would; Admin calls go to the local Cognito endpoint with the
    committed fake profile. Windows PowerShell 5.1 has no load contexts: what coexists there is stated in the README.
#>

# Discovery-time data: the PowerShell 7 executables to test in (the one running the tests; pwsh beside powershell.exe).
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
$coreHosts = @(Get-TestPowerShellHost | Where-Object { $_.Edition -eq 'Core' })
$orders = foreach ($h in $coreHosts) {
    foreach ($sdk in @('3.7.402', '4.1.0')) {
        @{ Name = $h.Name; Path = $h.Path; Sdk = $sdk; Order = 'before the module is imported' }
        @{ Name = $h.Name; Path = $h.Path; Sdk = $sdk; Order = 'after an Admin call' }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $manifest = Get-CognitoDeviceManifestPath
    $moduleBase = Get-CognitoDeviceModuleBase

    # The NuGet global packages folder, found as build.ps1 finds Pester (NuGet's own answer honours a NuGet.Config).
    $nugetPackages = $env:NUGET_PACKAGES
    if (-not $nugetPackages) {
        $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
        $nugetPackages = ([string]$line -replace '^\s*global-packages:\s*', '').Trim()
    }

    function Get-OtherSdkPath {
        # The netstandard2.0 AWSSDK.Core.dll of a NuGet package version in the global packages folder.
        param([Parameter(Mandatory = $true)][string]$Version)
        $path = [System.IO.Path]::Combine($nugetPackages, 'awssdk.core', $Version, 'lib', 'netstandard2.0', 'AWSSDK.Core.dll')
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
            throw "AWSSDK.Core $Version is not restored ($path). Run 'dotnet restore tools/Tools.csproj' first (build.ps1 does; tools/TestPackages.props downloads it for these tests)."
        }
        return [System.IO.Path]::GetFullPath($path)
    }

    # Functions every child script starts with: the other module's use of its AWSSDK.Core, the module's Admin calls,
    # and where each loaded AWSSDK.Core came from.
    $childFunctions = @'
function Use-OtherSdk {
    $null = [System.Reflection.Assembly]::LoadFrom({{SDK}})   # the same path again returns the loaded assembly
    $credentials = New-Object -TypeName Amazon.Runtime.BasicAWSCredentials -ArgumentList 'AKIDOTHERMODULE', 'other-module-secret'
    $immutable = $credentials.GetCredentials()
    @{ accessKey = $immutable.AccessKey; version = $credentials.GetType().Assembly.GetName().Version.ToString(); location = $credentials.GetType().Assembly.Location }
}
function Get-AdminDeviceCount {
    @(Get-CognitoDevice -UserPoolId {{POOL}} -Username {{USER}} -ProfileName cognito-local -EndpointUrl {{URL}}).Count
}
function Get-AwsSdkAssembly {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object {
        @{ version = $_.GetName().Version.ToString(); location = $_.Location; context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
    })
}
'@ + [Environment]::NewLine
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'CognitoDevice beside another AWSSDK.Core' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Both modules work, whichever loads first (fresh process each)' {
        It 'works with AWSSDK.Core <Sdk> loaded <Order> in <Name>' -TestCases $orders {
            param($Name, $Path, $Sdk, $Order)
            $user = New-TestUser -DeviceCount 3
            $sdkPath = Get-OtherSdkPath -Version $Sdk
            if ($Order -eq 'before the module is imported') {
                $steps = @'
$other1 = Use-OtherSdk
Import-Module {{MANIFEST}}
$admin1 = Get-AdminDeviceCount
$forgotten = @(Remove-CognitoDevice -UserPoolId {{POOL}} -Username {{USER}} -DeviceKey {{KEY}} -ProfileName cognito-local -EndpointUrl {{URL}} -Confirm:$false -PassThru).Count
$other2 = Use-OtherSdk
$admin2 = Get-AdminDeviceCount
'@
            }
            else {
                $steps = @'
Import-Module {{MANIFEST}}
$admin1 = Get-AdminDeviceCount
$other1 = Use-OtherSdk
$forgotten = @(Remove-CognitoDevice -UserPoolId {{POOL}} -Username {{USER}} -DeviceKey {{KEY}} -ProfileName cognito-local -EndpointUrl {{URL}} -Confirm:$false -PassThru).Count
$admin2 = Get-AdminDeviceCount
$other2 = Use-OtherSdk
'@
            }
            $script = Resolve-ChildScript -Values @{ SDK = $sdkPath; POOL = $user.PoolId; USER = $user.Username; KEY = $user.DeviceKeys[0] } -Script ($childFunctions + $steps + [Environment]::NewLine + @'
Write-TestResult @{ other1 = $other1; other2 = $other2; admin1 = $admin1; forgotten = $forgotten; admin2 = $admin2; sdks = Get-AwsSdkAssembly }
'@)

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $(Remove-AnsiEscape $child.ErrorOutput)"
            $expectedVersion = if ($Sdk.StartsWith('3.')) { '3.3.0.0' } else { '4.0.0.0' }
            foreach ($other in @($child.Result.other1, $child.Result.other2)) {
                $other.accessKey | Should -BeExactly 'AKIDOTHERMODULE'
                $other.version | Should -BeExactly $expectedVersion
                ConvertTo-NormalPath $other.location | Should -Be (ConvertTo-NormalPath $sdkPath)
            }
            $child.Result.admin1 | Should -Be 3
            $child.Result.forgotten | Should -Be 1
            $child.Result.admin2 | Should -Be 2
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys[1], $user.DeviceKeys[2] | Format-KeySet)
            # Two copies side by side: the other module's in the default context, the module's in its own.
            $sdks = @($child.Result.sdks)
            $sdks.Count | Should -Be 2
            $ours = @($sdks | Where-Object { $_.context -eq 'CognitoDevice' })
            $ours.Count | Should -Be 1
            ConvertTo-NormalPath ([System.IO.Path]::GetDirectoryName([string]$ours[0].location)) | Should -Be (ConvertTo-NormalPath $moduleBase)
            $theirs = @($sdks | Where-Object { $_.context -ne 'CognitoDevice' })
            $theirs[0].context | Should -BeExactly 'Default'
            ConvertTo-NormalPath $theirs[0].location | Should -Be (ConvertTo-NormalPath $sdkPath)
        }
    }

    Context 'What the module answers for in the default context' {
        It 'answers no request for AWSSDK.Core after an Admin call, of any version, in <Name>' -TestCases $coreHosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 1
            $script = Resolve-ChildScript -Values @{ SDK = ''; POOL = $user.PoolId; USER = $user.Username } -Script ($childFunctions + @'
Import-Module {{MANIFEST}}
$listed = Get-AdminDeviceCount
$answers = foreach ($version in '3.3.0.0', '4.0.0.0') {
    try {
        $assembly = [System.Reflection.Assembly]::Load("AWSSDK.Core, Version=$version, Culture=neutral, PublicKeyToken=885c28607f98e604")
        'loaded ' + $assembly.Location
    }
    catch {
        $_.Exception.InnerException.GetType().FullName
    }
}
Write-TestResult @{ listed = $listed; answers = @($answers) }
'@)

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $(Remove-AnsiEscape $child.ErrorOutput)"
            $child.Result.listed | Should -Be 1
            @($child.Result.answers) | Should -BeExactly @('System.IO.FileNotFoundException', 'System.IO.FileNotFoundException')
        }

        It 'leaves code compiled against AWSSDK.Core 3.7 to its own module''s resolver after an Admin call in <Name>' -TestCases $coreHosts {
            param($Name, $Edition, $Path)
            # The other module as AWS Tools v4 is built: code compiled against AWSSDK.Core 3.3.0.0 and a resolve handler,
            # registered after CognitoDevice was imported, that answers from its own folder. The code uses LitJson, which
            # AWSSDK.Core 4 no longer has: answered with 4.0 it fails with a TypeLoadException.
            $user = New-TestUser -DeviceCount 1
            $sdkPath = Get-OtherSdkPath -Version '3.7.402'
            $script = Resolve-ChildScript -Values @{ SDK = $sdkPath; POOL = $user.PoolId; USER = $user.Username } -Script ($childFunctions + @'
Import-Module {{MANIFEST}}
$before = Get-AdminDeviceCount
Add-Type -ReferencedAssemblies {{SDK}}, netstandard -TypeDefinition @"
public static class OtherModuleResolver {
    public static void Register(string path) {
        System.AppDomain.CurrentDomain.AssemblyResolve += (sender, e) =>
            new System.Reflection.AssemblyName(e.Name).Name == "AWSSDK.Core" ? System.Reflection.Assembly.LoadFrom(path) : null;
    }
}
public static class OtherModuleCode {
    public static string Use() {
        ThirdParty.Json.LitJson.JsonData data = ThirdParty.Json.LitJson.JsonMapper.ToObject("{\"k\":\"v\"}");
        return (string)data["k"] + "|" + typeof(ThirdParty.Json.LitJson.JsonData).Assembly.GetName().Version;
    }
}
"@
[OtherModuleResolver]::Register({{SDK}})
$used = [OtherModuleCode]::Use()
$after = Get-AdminDeviceCount
Write-TestResult @{ before = $before; used = $used; after = $after; sdks = Get-AwsSdkAssembly }
'@)

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $(Remove-AnsiEscape $child.ErrorOutput)"
            $child.Result.used | Should -BeExactly 'v|3.3.0.0'
            $child.Result.before | Should -Be 1
            $child.Result.after | Should -Be 1
            @($child.Result.sdks | ForEach-Object { $_.context }) | Sort-Object | Should -BeExactly @('CognitoDevice', 'Default')
        }
    }

    Context 'Remove-Module and Import-Module beside another AWSSDK.Core' {
        It 'imports again with Import-Module -Force and the cmdlets still work in <Name>' -TestCases $coreHosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 2
            $script = Resolve-ChildScript -Values @{ SDK = ''; POOL = $user.PoolId; USER = $user.Username } -Script ($childFunctions + @'
Import-Module {{MANIFEST}}
$first = Get-AdminDeviceCount
Import-Module {{MANIFEST}} -Force
$exported = @((Get-Module -Name CognitoDevice).ExportedCmdlets.Keys)
$second = Get-AdminDeviceCount
$listed = @(Get-CognitoDevice -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}}).Count
Write-TestResult @{ first = $first; exported = $exported; second = $second; listed = $listed }
'@)

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $(Remove-AnsiEscape $child.ErrorOutput)"
            $child.Result.first | Should -Be 2
            @($child.Result.exported) | Format-KeySet | Should -BeExactly 'Get-CognitoDevice,Remove-CognitoDevice,Set-CognitoDevice'
            $child.Result.second | Should -Be 2
            $child.Result.listed | Should -Be 2
        }

        It 'removes and imports the module again and both modules still work, AWSSDK.Core 3.7.402 loaded in between, in <Name>' -TestCases $coreHosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 2
            $sdkPath = Get-OtherSdkPath -Version '3.7.402'
            $script = Resolve-ChildScript -Values @{ SDK = $sdkPath; POOL = $user.PoolId; USER = $user.Username } -Script ($childFunctions + @'
Import-Module Microsoft.PowerShell.Utility # Write-TestResult needs ConvertTo-Json once auto-loading is off
$PSModuleAutoLoadingPreference = 'None'
Import-Module {{MANIFEST}}
$first = Get-AdminDeviceCount
Remove-Module -Name CognitoDevice
$commandsAfterRemove = @(Get-Command -Name Get-CognitoDevice, Remove-CognitoDevice, Set-CognitoDevice -ErrorAction SilentlyContinue).Count
$other = Use-OtherSdk
Import-Module {{MANIFEST}}
$commandsAfterImport = @(Get-Command -Module CognitoDevice | ForEach-Object { $_.Name })
$second = Get-AdminDeviceCount
Write-TestResult @{
    first = $first; second = $second; other = $other; commandsAfterRemove = $commandsAfterRemove
    commandsAfterImport = $commandsAfterImport
    contexts = @([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.Name -eq 'CognitoDevice' }).Count
    sdks = Get-AwsSdkAssembly
}
'@)

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $(Remove-AnsiEscape $child.ErrorOutput)"
            $child.Result.first | Should -Be 2
            $child.Result.commandsAfterRemove | Should -Be 0
            $child.Result.other.version | Should -BeExactly '3.3.0.0'
            @($child.Result.commandsAfterImport) | Format-KeySet | Should -BeExactly 'Get-CognitoDevice,Remove-CognitoDevice,Set-CognitoDevice'
            $child.Result.second | Should -Be 2
            $child.Result.contexts | Should -Be 1 # the load context is made once per process and reused
            @($child.Result.sdks | ForEach-Object { $_.context }) | Sort-Object | Should -BeExactly @('CognitoDevice', 'Default')
        }
    }
}
