using System.Globalization;
using RoleMap.AwsAuth;
using RoleMap.Cluster;

namespace RoleMap.Apply;

/// <summary>A stored copy of aws-auth as it was before a write.</summary>
public sealed record BackupInfo(string Name, DateTimeOffset? CreatedAt, string? SourceResourceVersion, string? Reason, ConfigMapObject Object)
{
    /// <summary>The ownership record aws-auth had when the backup was taken.</summary>
    public OwnedEntries Owned => Object.Annotations.LastOrDefault(a => a.Key == Backups.OwnedAnnotation).Value is { } value ? Ownership.Parse(value, out _) : OwnedEntries.None;

    /// <summary>The edit that writes this backup's data back.</summary>
    public RestoreEdit Restore() => new(Name, Object.Data, Owned);
}

/// <summary>
/// Backups of aws-auth: before every write the object about to be replaced is stored as a ConfigMap
/// <c>kube-system/aws-auth-backup-YYYYMMDD-HHMMSS</c> (UTC), labelled <c>rolemap/backup-of=aws-auth</c>, with its data
/// verbatim and, in annotations, when and why it was taken, the resourceVersion it copies and the ownership record.
/// Only the newest N are kept.
/// </summary>
public static class Backups
{
    public const string Prefix = "aws-auth-backup-";
    public const string Label = "rolemap/backup-of";
    public const string Selector = Label + "=" + ConfigMapDocument.AwsAuthName;
    public const string CreatedAnnotation = "rolemap/backup-created-at";
    public const string SourceVersionAnnotation = "rolemap/backup-source-resource-version";
    public const string ReasonAnnotation = "rolemap/backup-reason";
    public const string OwnedAnnotation = "rolemap/backup-owned-entries";

    /// <summary>A token of the write that took the backup, so that a writer whose answer was lost knows its own backup from another's.</summary>
    public const string WriterAnnotation = "rolemap/backup-writer";

    /// <summary>The name for a backup taken at <paramref name="time"/>; <paramref name="collision"/> &gt; 0 adds a suffix when the name is taken.</summary>
    public static string Name(DateTimeOffset time, int collision = 0) =>
        Prefix + time.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + (collision > 0 ? "-" + collision.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>The backup object for <paramref name="live"/>.</summary>
    public static ConfigMapObject Create(ConfigMapObject live, string name, DateTimeOffset time, string reason, string? writer = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        var annotations = new List<KeyValuePair<string, string>>
        {
            new(CreatedAnnotation, time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            new(SourceVersionAnnotation, live.ResourceVersion ?? string.Empty),
            new(ReasonAnnotation, reason),
        };
        if (writer is not null)
        {
            annotations.Add(new(WriterAnnotation, writer));
        }

        if (live.Annotations.LastOrDefault(a => a.Key == Ownership.Annotation).Value is { } owned)
        {
            annotations.Add(new(OwnedAnnotation, owned));
        }

        return new ConfigMapObject(name, live.Namespace, live.Data, [new(Label, ConfigMapDocument.AwsAuthName)], annotations);
    }

    /// <summary>The backups among <paramref name="configMaps"/>, newest first.</summary>
    public static IReadOnlyList<BackupInfo> Describe(IEnumerable<ConfigMapObject> configMaps)
    {
        ArgumentNullException.ThrowIfNull(configMaps);
        return [.. configMaps
            .Where(c => c.Name.StartsWith(Prefix, StringComparison.Ordinal) && c.Labels.Any(l => l.Key == Label && l.Value == ConfigMapDocument.AwsAuthName))
            .Select(c => new BackupInfo(
                c.Name,
                DateTimeOffset.TryParse(Annotation(c, CreatedAnnotation), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : c.CreationTimestamp,
                Annotation(c, SourceVersionAnnotation),
                Annotation(c, ReasonAnnotation),
                c))
            .OrderByDescending(b => b.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenByDescending(b => b.Name, StringComparer.Ordinal)];
    }

    /// <summary>The backups to delete so that only the newest <paramref name="keep"/> remain.</summary>
    public static IReadOnlyList<string> ToDelete(IReadOnlyList<BackupInfo> newestFirst, int keep)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        return [.. newestFirst.Skip(Math.Max(keep, 0)).Select(b => b.Name)];
    }

    /// <summary>
    /// Whether <paramref name="stored"/> is the backup <paramref name="sent"/>: the same writer's, taken at the same
    /// instant of the same version, with the same data (two writers that read the same version in the same
    /// millisecond differ by their token).
    /// </summary>
    public static bool SameBackup(ConfigMapObject stored, ConfigMapObject sent)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(sent);
        return Annotation(stored, WriterAnnotation) == Annotation(sent, WriterAnnotation)
            && Annotation(stored, CreatedAnnotation) == Annotation(sent, CreatedAnnotation)
            && Annotation(stored, SourceVersionAnnotation) == Annotation(sent, SourceVersionAnnotation)
            && stored.Data.OrderBy(d => d.Key, StringComparer.Ordinal).SequenceEqual(sent.Data.OrderBy(d => d.Key, StringComparer.Ordinal));
    }

    private static string? Annotation(ConfigMapObject configMap, string key) => configMap.Annotations.LastOrDefault(a => a.Key == key).Value;
}
