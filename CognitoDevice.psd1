@{
    RootModule           = 'CognitoDevice.psm1'
    ModuleVersion        = '0.2.0'
    GUID                 = '6f0d8a6e-3b7c-4a53-9a55-2f7d3f1c9b21'
    Author               = 'CognitoDevice contributors'
    CompanyName          = 'CognitoDevice'
    Copyright            = '(c) CognitoDevice contributors. Apache-2.0.'
    Description          = 'Manage the devices that Amazon Cognito user pools remember: list, get, change remembered status and forget (ForgetDevice / AdminForgetDevice).'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('CognitoDevice.format.ps1xml')
    CmdletsToExport      = @(
        'Get-CognitoDevice'
        'Remove-CognitoDevice'
        'Set-CognitoDevice'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'Cognito', 'CognitoIdentityProvider', 'Device', 'ForgetDevice', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://github.com/CognitoDevice/CognitoDevice'
            # The package's release notes are the CHANGELOG.md entry of this version: tools/Build-Package.ps1 writes them here.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
