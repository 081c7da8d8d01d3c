using RoleMap.Yaml;

namespace RoleMap.AwsAuth;

/// <summary>
/// Words for each way go-yaml v2 and sigs.k8s.io/yaml read an aws-auth key differently from what its author likely
/// meant: what the library does with the key, and how to write it instead. One finding id per case (docs/yaml.md).
/// </summary>
public static class GoYamlFindings
{
    /// <summary>The finding ids under which the authenticator drops a whole data key.</summary>
    public static IReadOnlyList<string> KeyDropped { get; } =
        ["yaml-invalid", "yaml-control-character", "yaml-tag-mismatch", "yaml-merge-key", "yaml-binary", "yaml-json-value", "list-not-sequence", "data-not-string"];

    /// <summary>What the error means for the key, in words, and the fix.</summary>
    public static (string Why, string? Fix) Explain(YamlSyntaxError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Rule == "yaml-invalid" && error.Message.StartsWith("invalid map key", StringComparison.Ordinal))
        {
            return ("uses a mapping or list as a mapping key (an unquoted value that starts with '{{' is read as a mapping: quote it), which go-yaml refuses", "quote the value, e.g. username: \"{{SessionName}}\"");
        }

        return error.Rule switch
        {
            "yaml-control-character" => ("holds a control character, which go-yaml refuses in any YAML document", "remove the character; write it as a double-quoted escape (\"\\x01\") if it is meant"),
            "yaml-tag-mismatch" => ("has a tag its value cannot have, which fails the whole document in go-yaml", "remove the tag, or quote the value as a string"),
            "yaml-merge-key" => ("merges ('<<') something that is not a mapping, which fails the whole document in go-yaml", "merge an anchored mapping ('<<: *name'), or write the fields out"),
            "yaml-binary" => ("has a !!binary value that is not valid base64, which fails the whole document in go-yaml", "write the value as a plain string without !!binary"),
            "yaml-json-value" => ("holds a value JSON cannot represent (sigs.k8s.io/yaml converts the key to JSON before decoding it)", "quote the value (\".inf\"), or give the mapping key a name"),
            _ => ("is not valid YAML", "fix the YAML; 'rolemap generate' writes it correctly"),
        };
    }
}
