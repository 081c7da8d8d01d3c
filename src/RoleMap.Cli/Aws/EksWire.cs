using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoleMap.Cli.Aws;

// The EKS REST-JSON shapes rolemap reads and writes (reference: eks-iam-sts-api.md §1.5), for source generation.

internal sealed record EksAccessEntryWire(
    string? ClusterName,
    string? PrincipalArn,
    List<string>? KubernetesGroups,
    string? AccessEntryArn,
    [property: JsonConverter(typeof(AwsTimestampConverter))] DateTimeOffset? CreatedAt,
    [property: JsonConverter(typeof(AwsTimestampConverter))] DateTimeOffset? ModifiedAt,
    Dictionary<string, string>? Tags,
    string? Username,
    string? Type);

internal sealed record EksAccessEntryResponse(EksAccessEntryWire? AccessEntry);

internal sealed record EksListAccessEntriesResponse(List<string>? AccessEntries, string? NextToken);

internal sealed record EksAccessScopeWire(string? Type, List<string>? Namespaces);

internal sealed record EksAssociatedPolicyWire(
    string? PolicyArn,
    EksAccessScopeWire? AccessScope,
    [property: JsonConverter(typeof(AwsTimestampConverter))] DateTimeOffset? AssociatedAt,
    [property: JsonConverter(typeof(AwsTimestampConverter))] DateTimeOffset? ModifiedAt);

internal sealed record EksListAssociatedPoliciesResponse(string? ClusterName, string? PrincipalArn, List<EksAssociatedPolicyWire>? AssociatedAccessPolicies, string? NextToken);

internal sealed record EksAccessConfigWire(bool? BootstrapClusterCreatorAdminPermissions, string? AuthenticationMode);

internal sealed record EksComputeConfigWire(bool? Enabled, List<string>? NodePools, string? NodeRoleArn);

internal sealed record EksClusterWire(
    string? Name,
    string? Arn,
    [property: JsonConverter(typeof(AwsTimestampConverter))] DateTimeOffset? CreatedAt,
    string? Version,
    string? Status,
    EksAccessConfigWire? AccessConfig,
    EksComputeConfigWire? ComputeConfig);

internal sealed record EksDescribeClusterResponse(EksClusterWire? Cluster);

internal sealed record EksUpdateErrorWire(string? ErrorCode, string? ErrorMessage, List<string>? ResourceIds);

internal sealed record EksUpdateWire(string? Id, string? Status, string? Type, List<EksUpdateErrorWire>? Errors);

internal sealed record EksUpdateResponse(EksUpdateWire? Update);

internal sealed record EksCreateAccessEntryRequest(
    string PrincipalArn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? KubernetesGroups,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, string>? Tags,
    string ClientRequestToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username,
    string Type);

internal sealed record EksUpdateAccessEntryRequest(
    List<string> KubernetesGroups,
    string ClientRequestToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username);

internal sealed record EksAssociateAccessPolicyRequest(string PolicyArn, EksAccessScopeWire AccessScope);

internal sealed record EksUpdateClusterConfigRequest(EksAccessConfigWire AccessConfig, string ClientRequestToken);

internal sealed record EksErrorWire(
    string? Message,
    [property: JsonPropertyName("Message")] string? MessageUpper,
    string? Code,
    [property: JsonPropertyName("Code")] string? CodeUpper,
    [property: JsonPropertyName("__type")] string? Type);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EksAccessEntryResponse))]
[JsonSerializable(typeof(EksListAccessEntriesResponse))]
[JsonSerializable(typeof(EksListAssociatedPoliciesResponse))]
[JsonSerializable(typeof(EksDescribeClusterResponse))]
[JsonSerializable(typeof(EksUpdateResponse))]
[JsonSerializable(typeof(EksCreateAccessEntryRequest))]
[JsonSerializable(typeof(EksUpdateAccessEntryRequest))]
[JsonSerializable(typeof(EksAssociateAccessPolicyRequest))]
[JsonSerializable(typeof(EksUpdateClusterConfigRequest))]
[JsonSerializable(typeof(EksErrorWire))]
internal sealed partial class EksJsonContext : JsonSerializerContext;

/// <summary>An AWS timestamp: epoch seconds as a JSON number (rest-json's default, possibly fractional) or an ISO-8601 string.</summary>
internal sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return FromEpochSeconds(reader.GetDecimal());
            case JsonTokenType.String:
                var text = reader.GetString() ?? string.Empty;
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    return FromEpochSeconds(seconds);
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    return parsed;
                }

                throw new JsonException("not a timestamp: '" + text + "'");
            default:
                throw new JsonException("expected a timestamp (epoch seconds or ISO-8601)");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteNumberValue(time.ToUnixTimeMilliseconds() / 1000m);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static DateTimeOffset FromEpochSeconds(decimal seconds) => DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
}
