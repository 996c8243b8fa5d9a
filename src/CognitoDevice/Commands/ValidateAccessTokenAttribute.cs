using System;
using System.Management.Automation;
using System.Security;
using CognitoDevice.Runtime;
using CognitoDevice.Validation;

namespace CognitoDevice.Commands
{
    /// <summary>
    /// Validates an access token against the service's pattern (<see cref="CognitoPatterns.AccessToken"/>) with a
    /// message that never contains the value: ValidatePattern would print the rejected argument, and a pasted
    /// "Bearer eyJ..." would land in the error, the transcript and the log.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateAccessTokenAttribute : ValidateEnumeratedArgumentsAttribute
    {
        protected override void ValidateElement(object element)
        {
            string? value = element is SecureString secure ? SecretText.Reveal(secure) : element as string ?? (element is null ? null : string.Empty);
            string? problem = InputRules.DescribeAccessTokenProblem(value);
            if (problem is not null) throw new ValidationMetadataException(problem);
        }
    }

    /// <summary>
    /// Lets -AccessToken take a plain string (a variable, a secret vault's plain text) as well as a SecureString: the
    /// parameter is a SecureString so that PowerShell's prompt for it, when it is missing, masks what is typed and
    /// keeps it out of transcripts. Any other value becomes its text, which the validator then judges without quoting.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class AccessTokenTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case string text:
                    return SecretText.Protect(text);
                default:
                    return SecretText.Protect(value.ToString() ?? string.Empty);
            }
        }
    }

    /// <summary>
    /// A validator for an identifier bound from the command line or by property name from a piped object. A null value
    /// (a piped device object from a listing by access token has no user pool or user name) passes here, so that the
    /// cmdlet can say in one error that -AccessToken is what is missing; anything else must be valid.
    /// </summary>
    public abstract class ValidateIdentifierAttribute : ValidateArgumentsAttribute
    {
        private protected abstract bool IsValid(string? value);

        private protected abstract string Describe(string? value);

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object? value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is null) return;
            string? text = value as string;
            if (!IsValid(text)) throw new ValidationMetadataException(Describe(text ?? value.ToString()));
        }
    }

    /// <summary>
    /// Validates a Cognito user name per code point (<see cref="InputRules.IsUsername"/>): 1..128 letters, marks,
    /// symbols, numbers or punctuation, as the service counts them (a .NET regex would count UTF-16 units).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateUsernameAttribute : ValidateIdentifierAttribute
    {
        private protected override bool IsValid(string? value) => InputRules.IsUsername(value);

        private protected override string Describe(string? value) => InputRules.DescribeUsernameProblem(value);
    }

    /// <summary>
    /// Validates a user pool ID against the service's pattern and length (<see cref="CognitoPatterns.UserPoolId"/>,
    /// the same constant <see cref="InputRules.IsUserPoolId"/> uses).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateUserPoolIdAttribute : ValidateIdentifierAttribute
    {
        private protected override bool IsValid(string? value) => InputRules.IsUserPoolId(value);

        private protected override string Describe(string? value) => InputRules.DescribeUserPoolIdProblem(value);
    }
}
