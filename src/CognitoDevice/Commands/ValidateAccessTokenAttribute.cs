using System;
using System.Management.Automation;
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
            string? problem = InputRules.DescribeAccessTokenProblem(element as string ?? (element is null ? null : string.Empty));
            if (problem is not null) throw new ValidationMetadataException(problem);
        }
    }

    /// <summary>
    /// Validates a Cognito user name per code point (<see cref="InputRules.IsUsername"/>): 1..128 letters, marks,
    /// symbols, numbers or punctuation, as the service counts them (a .NET regex would count UTF-16 units).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateUsernameAttribute : ValidateEnumeratedArgumentsAttribute
    {
        protected override void ValidateElement(object element)
        {
            string? value = element as string;
            if (!InputRules.IsUsername(value)) throw new ValidationMetadataException(InputRules.DescribeUsernameProblem(value ?? element?.ToString()));
        }
    }
}
