using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RoleMap.AwsApi;

namespace RoleMap.Cli.Aws;

/// <summary>
/// IAM ListRoles and ListUsers over the Query protocol (reference §2): a signed form POST to the partition's global
/// endpoint, XML answers, every page followed while IsTruncated with the returned Marker.
/// </summary>
internal sealed class IamQueryApi(AwsTransport transport) : IIamApi
{
    private const string Service = "iam";
    private const string Version = "2010-05-08";

    /// <summary>MaxItems asked for (IAM allows 1..1000 and may return fewer); null leaves it to IAM (100).</summary>
    public int? PageSize { get; init; }

    public Task<IReadOnlyList<IamPrincipal>> ListRolesAsync(string? pathPrefix, CancellationToken cancellationToken) =>
        ListAsync("ListRoles", "Roles", "RoleName", "RoleId", pathPrefix, cancellationToken);

    public Task<IReadOnlyList<IamPrincipal>> ListUsersAsync(string? pathPrefix, CancellationToken cancellationToken) =>
        ListAsync("ListUsers", "Users", "UserName", "UserId", pathPrefix, cancellationToken);

    private async Task<IReadOnlyList<IamPrincipal>> ListAsync(string operation, string listName, string nameElement, string idElement, string? pathPrefix, CancellationToken cancellationToken)
    {
        var call = new AwsCallContext(Service, operation);
        var all = new List<IamPrincipal>();
        string? marker = null;
        do
        {
            var form = new List<KeyValuePair<string, string>> { new("Action", operation), new("Version", Version) };
            if (pathPrefix is { Length: > 0 })
            {
                form.Add(new("PathPrefix", pathPrefix));
            }

            if (PageSize is { } size)
            {
                form.Add(new("MaxItems", size.ToString(CultureInfo.InvariantCulture)));
            }

            if (marker is not null)
            {
                form.Add(new("Marker", marker));
            }

            var body = Encoding.UTF8.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
            var bytes = await transport.SendAsync(call, HttpMethod.Post, "/", body, "application/x-www-form-urlencoded; charset=utf-8", ParseError, cancellationToken).ConfigureAwait(false);
            var result = Result(call, bytes, operation);
            var list = Child(result, listName);
            foreach (var member in list?.Elements().Where(e => e.Name.LocalName == "member") ?? [])
            {
                all.Add(new IamPrincipal(
                    Text(member, "Arn") ?? throw Malformed(call, "a member without Arn"),
                    Text(member, nameElement) ?? string.Empty,
                    Text(member, "Path") ?? "/",
                    Text(member, idElement),
                    Text(member, "CreateDate") is { } date && DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created) ? created : null));
            }

            var truncated = string.Equals(Text(result, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase);
            var next = truncated ? Text(result, "Marker") : null;
            if (truncated && (string.IsNullOrEmpty(next) || next == marker))
            {
                throw Malformed(call, "IsTruncated without a new Marker");
            }

            marker = next;
        }
        while (marker is not null);
        return all;
    }

    /// <summary>The Query protocol's error document: ErrorResponse/Error/Code and Message.</summary>
    public static AwsServiceError ParseError(int status, HttpResponseHeaders headers, byte[] body)
    {
        try
        {
            var document = XDocument.Parse(Encoding.UTF8.GetString(body));
            var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            return new AwsServiceError(status, error is null ? null : Text(error, "Code"), (error is null ? null : Text(error, "Message")) ?? string.Empty);
        }
        catch (XmlException)
        {
            return new AwsServiceError(status, null, Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)));
        }
    }

    private static XElement Result(AwsCallContext call, byte[] bytes, string operation)
    {
        try
        {
            var document = XDocument.Parse(Encoding.UTF8.GetString(bytes));
            return document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == operation + "Result") ?? throw Malformed(call, "no " + operation + "Result");
        }
        catch (XmlException ex)
        {
            throw Malformed(call, ex.Message);
        }
    }

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement parent, string name) => Child(parent, name)?.Value;

    private static AwsApiException Malformed(AwsCallContext call, string detail) =>
        new("IAM answered " + call.Operation + " with a response rolemap cannot read (" + detail + ")", call.Service, call.Operation, "MalformedResponse");
}
